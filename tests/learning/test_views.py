"""The learning pages: nothing trainer-only reaches a learner, the cohort's learning view in a
fixed number of queries, confirming a catch-up, and who may see what."""

import json
import uuid
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership, SelfStudy, Trainee
from courses.models import ProgrammePage, SessionPage
from courses.outline import session_ids
from learning.models import CheckAnswer, StudyProgress
from learning.services import study_parts
from tests.factories import hold_sessions
from tests.helpers import fold, html_text, sentences


def trainer_only_texts(session) -> list[str]:
    """Every sentence of a session that only trainers may read: trainer notes, every block's
    trainer-only fields, safeguarding, the plan, materials and room set-up. (A check's right
    options and feedback are for the learner.)"""
    texts = [str(session.safeguarding), session.room_setup]
    texts += [str(item.value) for item in session.materials]
    texts += [" ".join(str(v) for v in step.value.values()) for step in session.plan]
    for child in session.body:
        if getattr(child.block.meta, "renderings", None) == ("trainer",):
            texts.append(str(child.value["text"]))
            continue
        for name in getattr(child.block.meta, "trainer_only", ()):
            value = child.value[name]
            if not isinstance(value, int):
                texts.append(str(value))
    found = []
    for text in texts:
        found += sentences(html_text(text))
    return found


def everything_sent(response) -> str:
    """The page as text, with what its scripts are given."""
    soup = BeautifulSoup(response.content, "html.parser")
    data = [
        json.dumps(json.loads(script.string), ensure_ascii=False)
        for script in soup.find_all("script", type="application/json")
    ]
    return fold(soup.get_text(" ") + " " + " ".join(data))


@pytest.mark.django_db
def test_no_trainer_only_field_of_any_session_reaches_the_learner(client_for, own_trainee, home):
    for programme in ProgrammePage.objects.live():
        cohort = Cohort.objects.create(
            establishment=home, programme=programme, name=programme.title, start_date=date.today()
        )
        Membership.objects.create(cohort=cohort, trainee=own_trainee)
    client = client_for("trainee")
    studied = 0
    pages = [client.get(reverse("learning:home"))]
    for session in SessionPage.objects.live():
        hidden = trainer_only_texts(session)
        assert hidden, f"{session.title} has no trainer-only text to look for"
        parts = fold(json.dumps([p.value for p in study_parts(session)], default=str))
        for sentence in hidden:
            assert fold(sentence) not in parts, (session.title, sentence)
        response = client.get(reverse("learning:study", args=[session.pk]))
        if response.status_code == 404:
            continue  # in no programme: nobody studies it
        studied += 1
        sent = everything_sent(response)
        for sentence in hidden:
            assert fold(sentence) not in sent, (session.title, sentence)
        pages.append(
            client.get(reverse("learning:trainee_answers", args=[own_trainee.pk, session.pk]))
        )
    assert studied >= 15
    for response in pages:
        assert response.status_code == 200


@pytest.mark.django_db
def test_the_learner_page_carries_each_options_feedback_but_no_guidance(
    client_for, own_trainee, home
):
    programme = ProgrammePage.objects.get(slug="three-day-programme")
    cohort = Cohort.objects.create(
        establishment=home, programme=programme, name="C", start_date=date.today()
    )
    Membership.objects.create(cohort=cohort, trainee=own_trainee)
    session = SessionPage.objects.get(pk=session_ids(programme)[0])
    check = next(c for c in session.body if c.block_type == "knowledge_check")
    sent = everything_sent(client_for("trainee").get(reverse("learning:study", args=[session.pk])))
    for option in check.value["options"]:
        assert fold(option["feedback"]) in sent
    if check.value["guidance"]:
        for sentence in sentences(html_text(str(check.value["guidance"]))):
            assert fold(sentence) not in sent


def learning_cohort(home, size: int) -> Cohort:
    """A running cohort of the three-day programme with ``size`` trainees who came to some
    sessions, missed one, studied it on screen and answered every check."""
    programme = ProgrammePage.objects.get(slug="three-day-programme")
    cohort = Cohort.objects.create(
        establishment=home, programme=programme, name=f"Size {size}", start_date=date(2026, 1, 5)
    )
    trainees = Trainee.objects.bulk_create(
        Trainee(establishment=home, display_name=f"Trainee {n + 1}") for n in range(size)
    )
    memberships = Membership.objects.bulk_create(
        Membership(cohort=cohort, trainee=trainee) for trainee in trainees
    )
    hold_sessions(
        cohort,
        {t.display_name: ["present", "absent", "present"] for t in trainees},
    )
    session = SessionPage.objects.get(pk=session_ids(programme)[1])
    parts = study_parts(session)
    checks = [p for p in parts if p.is_check]
    now = timezone.now()
    StudyProgress.objects.bulk_create(
        StudyProgress(trainee=t, session=session, parts_seen=[p.key for p in parts], studied_at=now)
        for t in trainees
    )
    CheckAnswer.objects.bulk_create(
        CheckAnswer(
            trainee=t,
            session=session,
            check_id=check.key,
            option=attempt,
            correct=check.value["options"][attempt]["right"],
            attempt=attempt + 1,
            answered_at=now + timedelta(seconds=attempt),
            client_id=uuid.uuid4(),
        )
        for t in trainees
        for check in checks
        for attempt in range(2)
    )
    SelfStudy.objects.bulk_create(
        SelfStudy(membership=m, session=session, studied_at=now) for m in memberships
    )
    return cohort


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 50])
def test_the_learning_view_takes_the_same_queries_for_5_and_50_trainees(
    client_for, staff_at_home, django_assert_num_queries, size
):
    cohort = learning_cohort(staff_at_home, size)
    client = client_for("trainer")
    url = reverse("learning:cohort", args=[cohort.pk])
    client.get(url)  # the session and permissions are cached after the first request
    with django_assert_num_queries(13):  # attendance comes with completion, not its own query
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Confirm catch-up") == size


@pytest.mark.django_db
def test_a_trainer_confirms_a_catch_up_after_talking_it_through(client_for, staff_at_home):
    cohort = learning_cohort(staff_at_home, 2)
    record = SelfStudy.objects.filter(membership__cohort=cohort).first()
    client = client_for("trainer")
    url = reverse("learning:confirm", args=[cohort.pk, record.pk])
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    refused = client.post(url, {"talked_on": tomorrow})
    assert refused.status_code == 400
    assert "in the future" in refused.content.decode()
    assert client.post(url, {"talked_on": "not a date"}).status_code == 400
    today = date.today().strftime("%d/%m/%Y")
    assert client.post(url, {"talked_on": today}).status_code == 302
    record.refresh_from_db()
    assert record.confirmed_at is not None
    assert record.talked_on == date.today()
    page = client.get(reverse("learning:cohort", args=[cohort.pk])).content.decode()
    assert page.count("Confirm catch-up") == 1


@pytest.mark.django_db
def test_the_learning_view_lists_the_same_catch_ups_to_confirm_as_the_cohort_page(
    client_for, staff_at_home
):
    """The cohort page sends the trainer here to confirm: whatever cohorts recorded as studied
    is waiting here too, even with no progress row (a study recorded before this install kept
    progress, or the demo's)."""
    cohort = learning_cohort(staff_at_home, 2)
    StudyProgress.objects.filter(trainee__memberships__cohort=cohort).delete()
    client = client_for("trainer")
    cohort_page = client.get(reverse("cohorts:cohort_detail", args=[cohort.pk])).content.decode()
    assert "waiting for you to confirm" in cohort_page
    page = client.get(reverse("learning:cohort", args=[cohort.pk])).content.decode()
    assert page.count("Confirm catch-up") == 2


@pytest.mark.django_db
def test_another_prisons_trainer_gets_404_for_the_learning_view(client_for, staff_at_home):
    from cohorts.models import Establishment

    elsewhere = Establishment.objects.create(name="HMP Away", code="hmp-away")
    cohort = learning_cohort(elsewhere, 2)
    record = SelfStudy.objects.filter(membership__cohort=cohort).first()
    client = client_for("trainer")
    assert client.get(reverse("learning:cohort", args=[cohort.pk])).status_code == 404
    confirm = reverse("learning:confirm", args=[cohort.pk, record.pk])
    assert client.post(confirm, {"talked_on": "1/1/2026"}).status_code == 404
    trainee = record.membership.trainee
    answers = reverse("learning:trainee_answers", args=[trainee.pk, record.session_id])
    assert client.get(answers).status_code == 404


@pytest.mark.django_db
def test_education_staff_see_the_learning_view_but_cannot_confirm(client_for, staff_at_home):
    cohort = learning_cohort(staff_at_home, 1)
    record = SelfStudy.objects.get(membership__cohort=cohort)
    client = client_for("education")
    page = client.get(reverse("learning:cohort", args=[cohort.pk]))
    assert page.status_code == 200
    assert "Confirm catch-up" not in page.content.decode()
    url = reverse("learning:confirm", args=[cohort.pk, record.pk])
    assert client.post(url, {"talked_on": "1/1/2026"}).status_code == 403
    answers = reverse(
        "learning:trainee_answers", args=[record.membership.trainee_id, record.session_id]
    )
    assert client.get(answers).status_code == 200


@pytest.mark.django_db
def test_evaluators_see_each_check_across_cohorts_without_names(client_for, staff_at_home):
    learning_cohort(staff_at_home, 3)
    page = client_for("evaluator").get(reverse("learning:checks"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Trainee 1" not in text
    assert "Right first time" in text


@pytest.mark.django_db
def test_my_learning_shows_each_sessions_state_and_the_next_thing_to_do(
    client_for, own_trainee, home
):
    programme = ProgrammePage.objects.get(slug="three-day-programme")
    cohort = Cohort.objects.create(
        establishment=home, programme=programme, name="Mine", start_date=date(2026, 1, 5)
    )
    Membership.objects.create(cohort=cohort, trainee=own_trainee)
    hold_sessions(cohort, {own_trainee.display_name: ["present", "absent"]})
    missed = SessionPage.objects.get(pk=session_ids(programme)[1])
    page = client_for("trainee").get(reverse("learning:home"))
    text = fold(BeautifulSoup(page.content, "html.parser").get_text(" "))
    assert f"Catch up on {missed.title}" in text
    assert "Attended" in text
    assert "Missed" in text


@pytest.mark.django_db
def test_my_learning_lists_open_supervision_actions_and_never_anothers(
    client_for, own_trainee, home, users
):
    from journals.models import SupervisionAction, SupervisionAttendee, SupervisionMeeting

    other = Trainee.objects.create(establishment=home, display_name="Other")
    meeting = SupervisionMeeting.objects.create(
        establishment=home, supervisor=users["trainer"], held_on=date(2026, 1, 5)
    )
    mine = SupervisionAttendee.objects.create(meeting=meeting, trainee=own_trainee)
    theirs = SupervisionAttendee.objects.create(meeting=meeting, trainee=other)
    SupervisionAction.objects.create(meeting=meeting, attendee=mine, text="Read the hand out")
    SupervisionAction.objects.create(meeting=meeting, attendee=None, text="Group: tidy room")
    SupervisionAction.objects.create(meeting=meeting, attendee=theirs, text="Their own action")
    SupervisionAction.objects.create(meeting=meeting, attendee=mine, text="Done one", done=True)
    text = client_for("trainee").get(reverse("learning:home")).content.decode()
    assert "Read the hand out" in text
    assert "Group: tidy room" in text
    assert "Their own action" not in text
    assert "Done one" not in text


@pytest.mark.django_db
def test_a_peer_worker_with_no_training_record_is_told_what_to_do(client_for, users):
    page = client_for("trainee").get(reverse("learning:home"))
    assert page.status_code == 200
    assert "Ask your trainer" in page.content.decode()


@pytest.mark.django_db
def test_staff_are_refused_my_learning(client_for):
    assert client_for("trainer").get(reverse("learning:home")).status_code == 403
