"""Responses: what a peer support worker is asked to fill in and when, filling it in on screen,
staff keying in paper forms, and who may reach each of these pages."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from cohorts.models import Cohort, Membership
from evaluation.models import Item, Questionnaire, Response
from evaluation.services import EvaluationError, questionnaires_due, record_response
from tests.factories import hold_sessions, make_cohort

pytestmark = pytest.mark.usefixtures("staff_at_home")

TODAY = date.today()


def days_ago(n: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=n), time(9, 30), tzinfo=UTC)


def join(cohort: Cohort, trainee) -> None:
    Membership.objects.create(cohort=cohort, trainee=trainee)


def due_set(trainee, today=TODAY) -> set:
    return {
        (d.questionnaire.slug, d.time_point, d.delivery.pk if d.delivery else None)
        for d in questionnaires_due(trainee, today)
    }


def all_answers(questionnaire: Questionnaire, choice: int = 1, text: str = "") -> dict:
    return {
        item.pk: (choice if item.kind == Item.Kind.RATING else text)
        for item in questionnaire.items.all()
    }


def posted(questionnaire: Questionnaire, choice: int = 1, text: str = "More role play") -> dict:
    return {f"item-{pk}": value for pk, value in all_answers(questionnaire, choice, text).items()}


@pytest.fixture
def running(home, own_trainee):
    """A cohort at home that started three days ago: Sam came to the first two of its three
    sessions (held three and two days ago) and missed the last (yesterday)."""
    cohort = make_cohort(sessions=3, trainees=1, establishment=home, status="running")
    join(cohort, own_trainee)
    deliveries = hold_sessions(
        cohort, {"Sam": ["present", "late", "absent"]}, first_day=days_ago(3)
    )
    return cohort, deliveries


def fill_in_url(slug: str, cohort, time_point: str, delivery=None) -> str:
    query = {"cohort": cohort.pk, "time_point": time_point}
    if delivery is not None:
        query["delivery"] = delivery.pk
    return reverse("evaluation:fill_in", args=[slug]) + "?" + urlencode(query)


# --- What is due ------------------------------------------------------------------------------


def test_a_cohort_that_has_just_started_asks_for_before_and_feedback_on_sessions_attended(
    own_trainee, running
):
    _, (first, second, missed) = running
    assert due_set(own_trainee) == {
        ("attitudes-to-care", "before", None),
        ("rosenberg-self-esteem", "before", None),
        ("session-feedback", "after_session", first.pk),
        ("session-feedback", "after_session", second.pk),
    }


def test_before_closes_two_weeks_after_the_first_session(own_trainee, running):
    later = TODAY + timedelta(days=20)
    assert all(time_point != "before" for _, time_point, _ in due_set(own_trainee, later))


def test_session_feedback_is_asked_for_two_weeks_only(own_trainee, running):
    later = TODAY + timedelta(days=13)  # the second session was 15 days before
    assert [d for _, tp, d in due_set(own_trainee, later) if tp == "after_session"] == []


def test_a_planned_cohort_asks_for_before_only(home, own_trainee):
    cohort = make_cohort(sessions=2, trainees=0, establishment=home, status="planned")
    join(cohort, own_trainee)
    assert due_set(own_trainee) == {
        ("attitudes-to-care", "before", None),
        ("rosenberg-self-esteem", "before", None),
    }


def test_a_finished_cohort_asks_for_end_then_follow_up_three_months_after_its_last_session(
    home, own_trainee
):
    cohort = make_cohort(sessions=2, trainees=0, establishment=home, status="finished")
    join(cohort, own_trainee)
    first_day = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)  # last session 6 January
    hold_sessions(cohort, {"Sam": ["present", "absent"]}, first_day=first_day)

    assert due_set(own_trainee, date(2026, 2, 1)) == {
        ("attitudes-to-care", "end", None),
        ("rosenberg-self-esteem", "end", None),
    }
    assert due_set(own_trainee, date(2026, 4, 5)) == due_set(own_trainee, date(2026, 2, 1))
    assert due_set(own_trainee, date(2026, 4, 6)) == {
        ("attitudes-to-care", "follow_up", None),
        ("rosenberg-self-esteem", "follow_up", None),
    }


def test_a_trainee_who_completed_a_running_cohort_is_asked_about_the_end(home, own_trainee):
    cohort = make_cohort(sessions=2, trainees=0, establishment=home, status="running")
    join(cohort, own_trainee)
    hold_sessions(cohort, {"Sam": ["present", "present"]}, first_day=days_ago(30))
    assert {tp for _, tp, _ in due_set(own_trainee)} == {"end"}


def test_what_was_answered_is_no_longer_due(own_trainee, running, rosenberg):
    cohort, (first, *_) = running
    record_response(
        rosenberg,
        all_answers(rosenberg),
        trainee=own_trainee,
        establishment=own_trainee.establishment,
        cohort=cohort,
        time_point="before",
        completed_on=TODAY,
    )
    feedback = Questionnaire.objects.get(slug="session-feedback")
    record_response(
        feedback,
        all_answers(feedback),
        trainee=own_trainee,
        establishment=own_trainee.establishment,
        cohort=cohort,
        delivery=first,
        time_point="after_session",
        completed_on=TODAY,
    )
    due = due_set(own_trainee)
    assert ("rosenberg-self-esteem", "before", None) not in due
    assert ("session-feedback", "after_session", first.pk) not in due
    assert ("attitudes-to-care", "before", None) in due


def test_the_people_receiving_support_form_is_never_due_to_a_trainee(own_trainee, running):
    assert all(slug != "support-received" for slug, _, _ in due_set(own_trainee))


# --- Filling in on screen ---------------------------------------------------------------------


def test_the_questionnaires_page_lists_what_is_due_with_links(client_for, running):
    cohort, (first, *_) = running
    page = client_for("trainee").get(reverse("evaluation:my_questionnaires")).content.decode()
    assert fill_in_url("attitudes-to-care", cohort, "before").replace("&", "&amp;") in page
    assert first.session.title in page


def test_the_fill_in_page_shows_the_introduction_and_a_radio_group_per_rating_question(
    client_for, running, rosenberg
):
    cohort, _ = running
    response = client_for("trainee").get(fill_in_url(rosenberg.slug, cohort, "before"))
    page = response.content.decode()
    assert response.status_code == 200
    assert rosenberg.introduction in page
    assert page.count('<fieldset class="govuk-fieldset"') == 10
    assert page.count('type="radio"') == 40
    assert "Strongly agree" in page


def test_filling_in_saves_the_answers_for_the_trainee_cohort_and_time_point(
    client_for, users, own_trainee, running
):
    cohort, (first, *_) = running
    feedback = Questionnaire.objects.get(slug="session-feedback")
    url = fill_in_url(feedback.slug, cohort, "after_session", first)
    response = client_for("trainee").post(url, posted(feedback, choice=4))

    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:my_questionnaires")
    saved = Response.objects.get(trainee=own_trainee)
    assert (saved.questionnaire, saved.cohort, saved.delivery) == (feedback, cohort, first)
    assert (saved.establishment, saved.time_point) == (own_trainee.establishment, "after_session")
    assert saved.completed_on == TODAY
    assert not saved.from_paper
    assert saved.entered_by == users["trainee"]
    answers = {a.item.kind: a for a in saved.answers.select_related("item")}
    assert [a.choice for a in saved.answers.filter(item__kind="rating")] == [4, 4, 4]
    assert answers["text"].text == "More role play"


def test_missing_answers_are_refused_with_an_error_summary(client_for, running, rosenberg):
    cohort, _ = running
    data = posted(rosenberg)
    items = list(rosenberg.items.all())
    del data[f"item-{items[2].pk}"]
    data[f"item-{items[6].pk}"] = "9"  # not one of the four answers
    response = client_for("trainee").post(fill_in_url(rosenberg.slug, cohort, "before"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_item-{items[2].pk}-0">Choose an answer for question 3' in page
    assert "Choose one of the answers for question 7" in page
    assert 'value="1" checked' in page  # what was chosen is kept
    assert not Response.objects.exists()


def test_a_trainee_cannot_answer_for_a_cohort_that_is_not_theirs(client_for, home, elsewhere):
    browser = client_for("trainee")
    for establishment in (home, elsewhere):
        cohort = make_cohort(sessions=1, trainees=1, establishment=establishment)
        url = fill_in_url("attitudes-to-care", cohort, "before")
        assert browser.get(url).status_code == 404
        attitudes = Questionnaire.objects.get(slug="attitudes-to-care")
        assert browser.post(url, posted(attitudes)).status_code == 404
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("slug", "time_point", "which"),
    [
        ("attitudes-to-care", "end", None),  # the cohort is still running
        ("attitudes-to-care", "someday", None),
        ("session-feedback", "after_session", 2),  # a session Sam missed
        ("session-feedback", "after_session", None),  # no session named
        ("support-received", "end", None),  # not a trainee's form
    ],
)
def test_a_questionnaire_that_is_not_due_is_not_found(client_for, running, slug, time_point, which):
    cohort, deliveries = running
    delivery = deliveries[which] if which is not None else None
    assert (
        client_for("trainee").get(fill_in_url(slug, cohort, time_point, delivery)).status_code
        == 404
    )


def test_answering_twice_is_not_saved_twice(client_for, own_trainee, running, rosenberg):
    cohort, _ = running
    browser = client_for("trainee")
    url = fill_in_url(rosenberg.slug, cohort, "before")
    browser.post(url, posted(rosenberg))
    again = browser.post(url, posted(rosenberg), follow=True)
    assert "You have already filled in" in again.content.decode()
    assert Response.objects.filter(trainee=own_trainee).count() == 1


def test_a_peer_worker_without_a_trainee_record_is_told_so(client_for):
    page = client_for("trainee").get(reverse("evaluation:my_questionnaires")).content.decode()
    assert "Ask your trainer to link your account" in page


def test_the_navigation_offers_questionnaires_to_peer_support_workers_only(client_for):
    link = reverse("evaluation:my_questionnaires")
    assert link in client_for("trainee").get("/").content.decode()
    assert link not in client_for("trainer").get("/").content.decode()


# --- The rules of a response ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("unknown_item", "unknown_item"),
        ("out_of_range", "choice_out_of_range"),
        ("negative", "choice_out_of_range"),
        ("missing", "missing_answer"),
        ("time_point", "time_point_not_offered"),
        ("other_cohort", "not_in_cohort"),
        ("twice", "already_answered"),
    ],
)
def test_a_response_that_breaks_a_rule_is_refused_with_a_code(
    own_trainee, running, rosenberg, attitudes, change, code
):
    cohort, _ = running
    answers = all_answers(rosenberg)
    fields = {
        "trainee": own_trainee,
        "establishment": own_trainee.establishment,
        "cohort": cohort,
        "time_point": "before",
        "completed_on": TODAY,
    }
    first_item = rosenberg.items.first().pk
    if change == "unknown_item":
        answers[attitudes.items.first().pk] = 1
    elif change == "out_of_range":
        answers[first_item] = 4
    elif change == "negative":
        answers[first_item] = -1
    elif change == "missing":
        answers[first_item] = None
    elif change == "time_point":
        fields["time_point"] = "after_session"
    elif change == "other_cohort":
        fields["cohort"] = make_cohort(sessions=1, trainees=1, establishment=cohort.establishment)
    elif change == "twice":
        record_response(rosenberg, dict(answers), **fields)

    with pytest.raises(EvaluationError) as refused:
        record_response(rosenberg, answers, **fields)
    assert refused.value.code == code
    assert Response.objects.count() == (1 if change == "twice" else 0)


def test_the_form_of_people_receiving_support_names_nobody(home, own_trainee):
    support = Questionnaire.objects.get(slug="support-received")
    with pytest.raises(EvaluationError) as refused:
        record_response(
            support,
            all_answers(support),
            trainee=own_trainee,
            establishment=home,
            time_point="end",
            completed_on=TODAY,
        )
    assert refused.value.code == "anonymous_form"


# --- Keying in from paper ---------------------------------------------------------------------


def key_in_url(slug: str) -> str:
    return reverse("evaluation:key_in") + "?" + urlencode({"questionnaire": slug})


def test_a_paper_form_keyed_in_is_marked_from_paper_with_who_keyed_it_in(
    client_for, users, home, attitudes
):
    cohort = make_cohort(sessions=1, trainees=2, establishment=home, status="finished")
    membership = cohort.memberships.select_related("trainee").first()
    data = {
        "membership": membership.pk,
        "time_point": "end",
        "completed_on": "2026-10-02",
        **posted(attitudes, choice=3),
    }
    browser = client_for("trainer")
    response = browser.post(key_in_url(attitudes.slug), data)

    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.from_paper
    assert saved.entered_by == users["trainer"]
    assert (saved.trainee, saved.cohort, saved.establishment) == (membership.trainee, cohort, home)
    assert (saved.time_point, saved.completed_on) == ("end", date(2026, 10, 2))
    users["trainer"].first_name, users["trainer"].last_name = "Terry", "Trainer"
    users["trainer"].save()
    page = browser.get(reverse("evaluation:key_in")).content.decode()
    assert "Keyed in from paper by Terry Trainer" in page
    assert membership.trainee.display_name in page


def test_the_key_in_form_offers_only_trainees_of_the_users_prisons(client_for, home, elsewhere):
    mine = make_cohort(sessions=1, trainees=1, establishment=home)
    theirs = make_cohort(sessions=1, trainees=1, establishment=elsewhere)
    page = client_for("trainer").get(key_in_url("attitudes-to-care")).content.decode()
    assert f'<option value="{mine.memberships.get().pk}"' in page
    assert f'<option value="{theirs.memberships.get().pk}"' not in page


def test_keying_in_for_another_prisons_trainee_is_not_found(client_for, elsewhere, attitudes):
    theirs = make_cohort(sessions=1, trainees=1, establishment=elsewhere)
    data = {
        "membership": theirs.memberships.get().pk,
        "time_point": "before",
        "completed_on": "2026-10-02",
        **posted(attitudes),
    }
    assert client_for("facilitator").post(key_in_url(attitudes.slug), data).status_code == 404
    assert not Response.objects.exists()


def test_session_feedback_keyed_in_needs_a_session_of_the_trainees_cohort(client_for, home):
    feedback = Questionnaire.objects.get(slug="session-feedback")
    cohort = make_cohort(sessions=1, trainees=1, establishment=home)
    other = make_cohort(sessions=1, trainees=1, establishment=home)
    (own_session,) = hold_sessions(cohort, {"Trainee 1": ["present"]}, first_day=days_ago(1))
    (other_session,) = hold_sessions(other, {"Trainee 1": ["present"]}, first_day=days_ago(1))
    data = {
        "membership": cohort.memberships.get().pk,
        "time_point": "after_session",
        "delivery": other_session.pk,
        "completed_on": str(TODAY),
        **posted(feedback),
    }
    browser = client_for("trainer")
    refused = browser.post(key_in_url(feedback.slug), data)
    assert "Choose a session of the trainee&#x27;s cohort" in refused.content.decode()
    data["delivery"] = own_session.pk
    assert browser.post(key_in_url(feedback.slug), data).status_code == 302
    assert Response.objects.get().delivery == own_session


def test_the_support_form_is_keyed_in_for_a_prison_without_a_name(client_for, users, home):
    support = Questionnaire.objects.get(slug="support-received")
    page = client_for("trainer").get(key_in_url(support.slug)).content.decode()
    assert 'name="membership"' not in page
    data = {
        "establishment": home.pk,
        "time_point": "follow_up",
        "completed_on": "2026-11-20",
        **posted(support, choice=2, text="More time to talk"),
    }
    assert client_for("trainer").post(key_in_url(support.slug), data).status_code == 302
    saved = Response.objects.get()
    assert (saved.trainee, saved.cohort, saved.establishment) == (None, None, home)
    assert saved.from_paper and saved.entered_by == users["trainer"]
    page = client_for("trainer").get(reverse("evaluation:key_in")).content.decode()
    assert "Anonymous, HMP Home" in page


def test_the_support_form_of_another_prison_is_not_found(client_for, elsewhere):
    support = Questionnaire.objects.get(slug="support-received")
    data = {"establishment": elsewhere.pk, "time_point": "end", "completed_on": "2026-11-20"}
    data.update(posted(support))
    assert client_for("trainer").post(key_in_url(support.slug), data).status_code == 404


def test_a_paper_form_with_a_missing_answer_or_date_in_the_future_is_refused(
    client_for, home, attitudes
):
    cohort = make_cohort(sessions=1, trainees=1, establishment=home)
    data = {
        "membership": cohort.memberships.get().pk,
        "time_point": "before",
        "completed_on": str(TODAY + timedelta(days=1)),
        **posted(attitudes),
    }
    del data[f"item-{attitudes.items.last().pk}"]
    page = client_for("trainer").post(key_in_url(attitudes.slug), data).content.decode()
    assert "The date on the form cannot be in the future" in page
    assert "Choose an answer for question 10" in page
    assert not Response.objects.exists()


# --- Who may reach each page ------------------------------------------------------------------

ROLES = ["facilitator", "reviewer", "trainer", "education", "trainee", "evaluator", None]
OWN = {"trainee": 200}
KEYERS = {"facilitator": 200, "reviewer": 200, "trainer": 200}
PRINTERS = {**KEYERS, "education": 200}
PAGES = {
    "my_questionnaires": OWN,
    "fill_in": OWN,
    "paper_form": PRINTERS,
    "paper_form_support": PRINTERS,
    "key_in": KEYERS,
    "key_in_form": KEYERS,
    "key_in_support_form": KEYERS,
}


@pytest.fixture
def urls(running):
    cohort, _ = running
    return {
        "my_questionnaires": reverse("evaluation:my_questionnaires"),
        "fill_in": fill_in_url("attitudes-to-care", cohort, "before"),
        "paper_form": reverse("evaluation:paper_form", args=["attitudes-to-care"]),
        "paper_form_support": reverse("evaluation:paper_form", args=["support-received"]),
        "key_in": reverse("evaluation:key_in"),
        "key_in_form": key_in_url("rosenberg-self-esteem"),
        "key_in_support_form": key_in_url("support-received"),
    }


@pytest.mark.parametrize(("page", "role"), [(p, r) for p in PAGES for r in ROLES])
def test_every_questionnaire_url_answers_each_role_as_expected(
    client, client_for, urls, page, role
):
    browser = client_for(role) if role else client
    response = browser.get(urls[page])
    if role is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == PAGES[page].get(role, 403)


@pytest.mark.parametrize("role", ["facilitator", "trainer", "education", "evaluator"])
def test_staff_cannot_post_answers_as_a_trainee(client_for, urls, role, attitudes):
    assert client_for(role).post(urls["fill_in"], posted(attitudes)).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize("role", ["education", "trainee", "evaluator"])
def test_only_response_keyers_can_post_a_paper_form(client_for, role, home, attitudes):
    cohort = make_cohort(sessions=1, trainees=1, establishment=home)
    data = {"membership": cohort.memberships.get().pk, "time_point": "before"}
    data.update(posted(attitudes), completed_on=str(TODAY))
    assert client_for(role).post(key_in_url(attitudes.slug), data).status_code == 403
    assert not Response.objects.exists()
