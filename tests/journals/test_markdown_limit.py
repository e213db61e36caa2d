"""Every box rendered as Markdown takes at most MARKDOWN_LIMIT characters: longer text is
refused with a message saying how much to take out, the writer's text comes back on the page,
and the preview says so instead of rendering. At the limit, the renderer's worst inputs still
come out as safe HTML."""

import datetime

import pytest
from django.urls import reverse

from benchmarks.markdown import PATHOLOGICAL
from journals import services
from journals.models import Comment, JournalEntry, Share, SupervisionMeeting
from journals.rendering import ALLOWED_TAGS, MARKDOWN_LIMIT, markdown_to_html
from tests.journals.test_entries import entry, post_data  # noqa: F401  (a fixture)
from tests.journals.test_sanitising import Elements
from tests.journals.test_supervision import form_data, worker

pytestmark = pytest.mark.usefixtures("staff_at_home")

AT_LIMIT = "a" * MARKDOWN_LIMIT
OVER = "b" * (MARKDOWN_LIMIT + 25)
PREVIEW = "/markdownx/markdownify/"


def test_a_section_at_the_limit_is_saved(client_for, own_trainee):
    response = client_for("trainee").post(
        reverse("journals:new_entry"), post_data(**{"section-feelings": AT_LIMIT})
    )
    assert response.status_code == 302
    assert JournalEntry.objects.get().sections["feelings"] == AT_LIMIT


def test_a_section_over_the_limit_is_refused_and_comes_back_on_the_page(client_for, own_trainee):
    response = client_for("trainee").post(
        reverse("journals:new_entry"), post_data(**{"section-feelings": OVER})
    )
    assert response.status_code == 400
    assert not JournalEntry.objects.exists()
    page = response.content.decode()
    assert "Take out 25 characters" in page
    assert "it has 10,025 characters and can have up to 10,000" in page
    assert OVER in page  # the box still holds every character typed
    assert response.context["errors"][0][0] == "id_section-feelings"


def test_an_autosave_over_the_limit_says_why_in_json(client_for, own_trainee):
    response = client_for("trainee").post(
        reverse("journals:new_entry"),
        post_data(autosave="1", **{"section-description": OVER}),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "id_section-description"
    assert "Take out 25 characters" in error["message"]


def test_the_rules_refuse_a_section_over_the_limit(own_trainee):
    with pytest.raises(services.JournalError) as refused:
        services.save_entry(
            JournalEntry(trainee=own_trainee),
            title="Long",
            written_on="2026-11-26",
            framework="free",
            sections={"text": OVER},
        )
    assert refused.value.code == "too_long"


def test_a_comment_over_the_limit_is_refused_and_kept_in_the_box(client_for, users, entry):  # noqa: F811
    Share.objects.create(entry=entry, supervisor=users["trainer"])
    response = client_for("trainer").post(
        reverse("journals:add_comment", args=[entry.pk]), {"text": OVER}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = response.content.decode()
    assert "Make your comment shorter" in page
    assert f">{OVER}</textarea>" in page


def test_a_comment_at_the_limit_is_saved(client_for, users, entry):  # noqa: F811
    Share.objects.create(entry=entry, supervisor=users["trainer"])
    client_for("trainer").post(reverse("journals:add_comment", args=[entry.pk]), {"text": AT_LIMIT})
    assert Comment.objects.get().text == AT_LIMIT


def test_supervision_notes_over_the_limit_are_refused_and_kept(client_for, staff_at_home):
    sam = worker(staff_at_home, "Sam")
    data = form_data(staff_at_home, **{str(sam.pk): (3, OVER)})
    response = client_for("trainer").post(reverse("journals:new_meeting"), data)
    assert not SupervisionMeeting.objects.exists()
    page = response.content.decode()
    assert "Take out 25 characters" in page
    assert f">{OVER}</textarea>" in page
    assert (f"id_worker-{sam.pk}-notes", response.context["errors"][0][1]) in response.context[
        "errors"
    ]


def test_the_rules_refuse_supervision_notes_over_the_limit(users, staff_at_home):
    sam = worker(staff_at_home, "Sam")
    with pytest.raises(services.SupervisionError) as refused:
        services.record_meeting(
            establishment=staff_at_home,
            supervisor=users["trainer"],
            held_on=datetime.date(2026, 11, 24),
            kind="one_to_one",
            attendees=[services.AttendeeRecord(sam, 3, OVER)],
        )
    assert refused.value.code == "too_long"


def test_the_preview_over_the_limit_says_so_and_renders_nothing(client_for):
    response = client_for("trainee").post(PREVIEW, {"content": "**bold** " + OVER})
    assert response.status_code == 413
    text = response.content.decode()
    assert "<strong>" not in text
    assert "Make this part shorter: it has 10,034 characters" in text


def test_the_preview_at_the_limit_renders(client_for):
    text = "**bold** " + "a" * (MARKDOWN_LIMIT - 9)
    response = client_for("trainee").post(PREVIEW, {"content": text})
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.content.decode()


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_the_pathological_inputs_at_the_limit_come_out_safe(name):
    text = PATHOLOGICAL[name]
    assert len(text) == MARKDOWN_LIMIT
    tags = {tag for tag, _ in Elements(str(markdown_to_html(text))).tags}
    assert tags <= ALLOWED_TAGS
