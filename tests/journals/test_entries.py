"""Writing, reading, sharing and commenting on journal entries, and typing them up from paper."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from audit.models import AuditEvent
from cohorts.models import Trainee
from courses.models import SessionPage
from courses.views import render_session
from journals.models import Comment, Framework, JournalEntry, Share
from journals.services import carry_sections
from kernel import roles

pytestmark = pytest.mark.usefixtures("staff_at_home")

GIBBS = {
    "section-description": "I helped **Mr B** to the library.",
    "section-feelings": "Proud.",
    "section-evaluation": "It went well.",
    "section-analysis": "I listened.",
    "section-conclusion": "Ask earlier.",
    "section-action_plan": "Ask first next time.",
}


def post_data(**fields) -> dict:
    data = {
        "title": "Helping Mr B",
        "written_on": "2026-11-26",
        "framework": "gibbs",
        "sections_framework": "gibbs",
        "session": "",
        "prompt": "",
        **GIBBS,
    }
    data.update(fields)
    return data


@pytest.fixture
def entry(own_trainee):
    return JournalEntry.objects.create(
        trainee=own_trainee,
        title="A hard day",
        written_on=date(2026, 11, 20),
        framework=Framework.WHAT,
        sections={"what": "Someone shouted.", "so_what": "I kept calm.", "now_what": "Breathe."},
    )


def reads_of(entry) -> int:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.READ, what=f"journal entry {entry.pk}"
    ).count()


def test_a_peer_worker_writes_an_entry_that_is_theirs(client_for, own_trainee):
    client = client_for("trainee")
    response = client.post(reverse("journals:new_entry"), post_data())
    entry = JournalEntry.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("journals:entry_detail", args=[entry.pk])
    assert entry.trainee == own_trainee
    assert entry.staff_author is None
    assert entry.sections["description"] == "I helped **Mr B** to the library."


def test_a_trainers_entry_is_their_own(client_for, users):
    client_for("trainer").post(reverse("journals:new_entry"), post_data())
    entry = JournalEntry.objects.get()
    assert entry.staff_author == users["trainer"]
    assert entry.trainee is None


def test_a_peer_worker_without_a_trainee_record_is_told_why_they_cannot_write(client_for):
    response = client_for("trainee").get(reverse("journals:new_entry"))
    assert b"not linked to a trainee record" in response.content
    assert not JournalEntry.objects.exists()


def test_a_title_is_needed_to_save(client_for, own_trainee):
    response = client_for("trainee").post(reverse("journals:new_entry"), post_data(title=""))
    assert response.status_code == 400
    assert b"Enter a title" in response.content
    assert b"I helped **Mr B** to the library." in response.content
    assert not JournalEntry.objects.exists()


def test_only_the_author_edits_an_entry(client_for, entry):
    for username in ("trainer", "facilitator"):
        response = client_for(username).get(reverse("journals:edit_entry", args=[entry.pk]))
        assert response.status_code == 404
    client = client_for("trainee")
    response = client.post(
        reverse("journals:edit_entry", args=[entry.pk]),
        post_data(
            title="A hard day, again",
            framework="what",
            sections_framework="what",
            **{
                "section-what": "Someone shouted at me.",
                "section-so_what": "",
                "section-now_what": "",
            },
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "A hard day, again"
    assert entry.sections == {"what": "Someone shouted at me.", "so_what": "", "now_what": ""}


def test_the_editor_starts_from_a_reflection_prompt(client_for, own_trainee):
    session = SessionPage.objects.live().get(slug="principles-of-care")
    response = client_for("trainee").get(
        reverse("journals:new_entry"),
        {"prompt": "Think of a time.", "framework": "what_so_what", "session": session.slug},
    )
    form = response.context["form"]
    assert form["framework"].value() == Framework.WHAT
    assert [field.label for field in form.section_fields()] == ["What?", "So what?", "Now what?"]
    assert form["session"].value() == "principles-of-care"
    assert response.context["prompt"] == "Think of a time."
    assert b"Think of a time." in response.content


def test_a_long_prompt_in_the_address_is_cut_short(client_for, own_trainee):
    response = client_for("trainee").get(reverse("journals:new_entry"), {"prompt": "x" * 5000})
    assert len(response.context["prompt"]) == 300


def test_changing_the_framework_keeps_what_was_typed(client_for, own_trainee):
    response = client_for("trainee").post(
        reverse("journals:new_entry"), post_data(framework="what", change_framework="1")
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert not JournalEntry.objects.exists()
    assert form["title"].value() == "Helping Mr B"
    texts = {field.name: field.value() for field in form.section_fields()}
    assert texts["section-what"] == "I helped **Mr B** to the library."
    assert texts["section-so_what"] == "Proud."
    for kept in ("It went well.", "I listened.", "Ask earlier.", "Ask first next time."):
        assert kept in texts["section-now_what"]


def test_carrying_sections_over_and_back_loses_nothing():
    gibbs = {key.removeprefix("section-"): text for key, text in GIBBS.items()}
    free = carry_sections("gibbs", "free", gibbs)
    assert all(text in free["text"] for text in gibbs.values())
    assert carry_sections("free", "gibbs", free)["description"] == free["text"]


def test_an_entry_is_hidden_from_a_second_trainee(client, entry, home, make_user):
    other = make_user("trainee-2", roles.PEER_SUPPORT_WORKER)
    Trainee.objects.create(establishment=home, display_name="Alex", user=other)
    client.force_login(other)
    for name in ("entry_detail", "edit_entry"):
        assert client.get(reverse(f"journals:{name}", args=[entry.pk])).status_code == 404
    assert client.post(reverse("journals:share_entry", args=[entry.pk])).status_code == 404


def test_an_entry_is_hidden_from_a_trainer_of_another_prison(client, entry, elsewhere, make_user):
    client.force_login(make_user("olu", establishment=elsewhere))
    assert client.get(reverse("journals:entry_detail", args=[entry.pk])).status_code == 404


def test_an_entry_is_hidden_from_a_trainer_it_is_not_shared_with(client_for, entry):
    response = client_for("trainer").get(reverse("journals:entry_detail", args=[entry.pk]))
    assert response.status_code == 404
    assert reads_of(entry) == 0


def test_sharing_lets_the_supervisor_read_until_it_is_taken_back(client_for, users, entry):
    author = client_for("trainee")
    url = reverse("journals:share_entry", args=[entry.pk])
    author.post(url, {"supervisor": [users["trainer"].pk, users["facilitator"].pk]})
    assert set(entry.shares.values_list("supervisor__username", flat=True)) == {
        "trainer",
        "facilitator",
    }
    page = client_for("trainer").get(reverse("journals:entry_detail", args=[entry.pk]))
    assert page.status_code == 200
    assert b"I kept calm." in page.content

    client_for("trainee").post(url, {"stop": users["trainer"].pk})
    assert list(entry.shares.values_list("supervisor__username", flat=True)) == ["facilitator"]
    page = client_for("trainer").get(reverse("journals:entry_detail", args=[entry.pk]))
    assert page.status_code == 404


def test_sharing_with_staff_of_another_prison_is_refused(client_for, entry, elsewhere, make_user):
    outsider = make_user("olu", establishment=elsewhere)
    client_for("trainee").post(
        reverse("journals:share_entry", args=[entry.pk]), {"supervisor": outsider.pk}
    )
    assert not entry.shares.exists()


def test_sharing_with_someone_who_does_not_supervise_is_refused(client_for, users, entry):
    client_for("trainee").post(
        reverse("journals:share_entry", args=[entry.pk]), {"supervisor": users["education"].pk}
    )
    assert not entry.shares.exists()


def test_only_the_author_shares_an_entry(client_for, users, entry):
    Share.objects.create(entry=entry, supervisor=users["trainer"])
    response = client_for("trainer").post(
        reverse("journals:share_entry", args=[entry.pk]), {"supervisor": users["facilitator"].pk}
    )
    assert response.status_code == 404
    assert entry.shares.count() == 1


def test_every_read_by_a_supervisor_is_audited_and_the_authors_are_not(client_for, users, entry):
    Share.objects.create(entry=entry, supervisor=users["trainer"])
    url = reverse("journals:entry_detail", args=[entry.pk])
    client_for("trainee").get(url)
    assert reads_of(entry) == 0
    supervisor = client_for("trainer")
    supervisor.get(url)
    supervisor.get(url)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.READ)
    assert reads_of(entry) == 2
    assert {event.username for event in events} == {"trainer"}
    assert all("A hard day" not in event.what for event in events)


def test_a_supervisors_comment_is_shown_to_the_author(client_for, users, entry):
    Share.objects.create(entry=entry, supervisor=users["trainer"])
    response = client_for("trainer").post(
        reverse("journals:add_comment", args=[entry.pk]), {"text": "Well **done**."}
    )
    assert response.status_code == 302
    page = client_for("trainee").get(reverse("journals:entry_detail", args=[entry.pk]))
    assert b"Well <strong>done</strong>." in page.content
    assert page.context["comments"][0][1] == users["trainer"].username


def test_staff_the_entry_is_not_shared_with_cannot_comment(client_for, users, entry):
    response = client_for("facilitator").post(
        reverse("journals:add_comment", args=[entry.pk]), {"text": "Hello"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_an_empty_comment_is_not_saved(client_for, users, entry):
    Share.objects.create(entry=entry, supervisor=users["trainer"])
    client_for("trainer").post(reverse("journals:add_comment", args=[entry.pk]), {"text": "  "})
    assert not Comment.objects.exists()


def test_a_typed_up_entry_belongs_to_the_trainee_and_says_who_typed_it(client_for, users, home):
    paper = Trainee.objects.create(establishment=home, display_name="Dee")
    client = client_for("trainer")
    response = client.post(
        reverse("journals:on_behalf_entry", args=[paper.pk]),
        post_data(consent="on", supervisors=[users["trainer"].pk]),
    )
    entry = JournalEntry.objects.get()
    assert response.url == reverse("journals:entry_detail", args=[entry.pk])
    assert entry.trainee == paper
    assert entry.staff_author is None
    assert entry.entered_by == users["trainer"]
    assert list(entry.shares.values_list("supervisor__username", flat=True)) == ["trainer"]
    page = client.get(response.url)
    assert b"Entered by trainer on behalf of Dee with consent." in page.content


def test_typing_up_needs_the_trainees_consent(client_for, users, home):
    paper = Trainee.objects.create(establishment=home, display_name="Dee")
    response = client_for("trainer").post(
        reverse("journals:on_behalf_entry", args=[paper.pk]),
        post_data(supervisors=[users["trainer"].pk]),
    )
    assert response.status_code == 400
    assert b"Tick the box to say the trainee agreed" in response.content
    assert not JournalEntry.objects.exists()


def test_nobody_types_up_for_a_trainee_of_another_prison(client_for, elsewhere):
    paper = Trainee.objects.create(establishment=elsewhere, display_name="Reece")
    client = client_for("trainer")
    url = reverse("journals:on_behalf_entry", args=[paper.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, post_data(consent="on")).status_code == 404
    assert not JournalEntry.objects.exists()


def test_the_list_chooser_leads_to_typing_up_for_that_trainee(client_for, home):
    paper = Trainee.objects.create(establishment=home, display_name="Dee")
    response = client_for("trainer").get(reverse("journals:journal_list"), {"trainee": paper.pk})
    assert response.url == reverse("journals:on_behalf_entry", args=[paper.pk])


def test_autosave_creates_the_entry_then_updates_it(client_for, own_trainee):
    client = client_for("trainee")
    first = client.post(
        reverse("journals:new_entry"),
        post_data(title="", autosave="1", **{"section-description": "Half a thought"}),
        headers={"Accept": "application/json"},
    )
    answer = first.json()
    entry = JournalEntry.objects.get()
    assert answer["id"] == entry.pk
    assert answer["edit_url"] == reverse("journals:edit_entry", args=[entry.pk])
    assert len(answer["saved_at"]) == 5
    assert entry.title == "Reflection of 26 November 2026"
    second = client.post(
        answer["edit_url"],
        post_data(title="Now with a title", autosave="1", **{"section-description": "A whole one"}),
        headers={"Accept": "application/json"},
    )
    assert second.json()["id"] == entry.pk
    entry.refresh_from_db()
    assert JournalEntry.objects.count() == 1
    assert entry.title == "Now with a title"
    assert entry.sections["description"] == "A whole one"


def test_a_draft_that_cannot_be_saved_says_why_in_json(client_for, own_trainee):
    response = client_for("trainee").post(
        reverse("journals:new_entry"),
        post_data(written_on="not a date", autosave="1"),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "id_written_on", "message": "Enter a real date"}]


def test_writing_is_shown_as_sanitised_html(client_for, own_trainee):
    entry = JournalEntry.objects.create(
        trainee=own_trainee,
        title="<b>Title</b>",
        written_on=date(2026, 11, 26),
        framework=Framework.FREE,
        sections={"text": "<script>alert(1)</script> [x](javascript:alert(2)) **bold**"},
    )
    page = client_for("trainee").get(reverse("journals:entry_detail", args=[entry.pk]))
    html = page.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "[x](javascript:alert(2))" in html  # shown as typed, never a link
    assert "<strong>bold</strong>" in html
    assert "&lt;b&gt;Title&lt;/b&gt;" in html


def test_the_reading_page_offers_write_about_this_to_journal_keepers(client_for, own_trainee):
    url = SessionPage.objects.live().get(slug="principles-of-care").url
    page = client_for("trainee").get(url).content.decode()
    link = BeautifulSoup(page, "html.parser").select_one("a.app-write-about")["href"]
    query = parse_qs(urlsplit(link).query)
    assert query["framework"] == ["questions"]
    assert query["session"] == ["principles-of-care"]
    assert query["question"][:2] == ["What happened?", "How did you feel?"]
    for username in ("education", "evaluator"):
        assert "Write about this" not in client_for(username).get(url).content.decode()


def test_write_about_this_is_on_the_trainer_page_but_not_the_printed_pages(client_for, users, rf):
    session = SessionPage.objects.live().get(slug="principles-of-care")
    client = client_for("facilitator")
    assert "Write about this" in client.get(session.url + "trainer/").content.decode()
    for mode in ("workbook", "trainer_book"):
        request = rf.get(session.url)
        request.user = users["facilitator"]
        page = render_session(request, session, mode).render().content.decode()
        assert "What will you do as a buddy because of it?" in page
        assert "Write about this" not in page
