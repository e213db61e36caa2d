"""Studying a session: the answer and progress endpoints, and the studied rule."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Establishment, SelfStudy, Trainee
from learning.models import CheckAnswer, StudyProgress
from learning.services import study_parts


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def answer(client, session, check, option, client_id=None):
    return post_json(
        client,
        reverse("learning:answer", args=[session.pk]),
        {
            "client_id": str(client_id or uuid.uuid4()),
            "check": check,
            "option": option,
            "answered_at": timezone.now().isoformat(),
        },
    )


def checks_of(session):
    return [part for part in study_parts(session) if part.is_check]


def right_option(part) -> int:
    return next(i for i, o in enumerate(part.value["options"]) if o["right"])


def wrong_option(part) -> int:
    return next(i for i, o in enumerate(part.value["options"]) if not o["right"])


@pytest.mark.django_db
def test_the_server_decides_whether_an_answer_is_right(client_for, cohort, session):
    client = client_for("trainee")
    check = checks_of(session)[0]
    response = answer(client, session, check.key, wrong_option(check))
    assert response.status_code == 200
    assert response.json()["correct"] is False
    assert response.json()["attempt"] == 1
    response = answer(client, session, check.key, right_option(check))
    assert response.json()["correct"] is True
    assert response.json()["attempt"] == 2
    assert CheckAnswer.objects.filter(session=session).count() == 2


@pytest.mark.django_db
def test_an_answer_sent_twice_is_kept_once(client_for, cohort, session):
    client = client_for("trainee")
    check = checks_of(session)[0]
    same = uuid.uuid4()
    first = answer(client, session, check.key, 0, same)
    again = answer(client, session, check.key, 0, same)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert CheckAnswer.objects.filter(client_id=same).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"check": "no-such-check"},
        {"check": None},
        {"option": 99},
        {"option": -1},
        {"option": "1"},
        {"option": True},
        {"client_id": "not-a-uuid"},
        {"answered_at": "yesterday"},
        {"answered_at": "0001-01-01T00:00:00+14:00"},
        {"answered_at": 12},
    ],
)
def test_a_wrong_value_is_refused_with_400(client_for, cohort, session, change):
    client = client_for("trainee")
    check = checks_of(session)[0]
    data = {
        "client_id": str(uuid.uuid4()),
        "check": check.key,
        "option": 0,
        "answered_at": timezone.now().isoformat(),
        **change,
    }
    response = post_json(client, reverse("learning:answer", args=[session.pk]), data)
    assert response.status_code == 400
    assert not CheckAnswer.objects.exists()


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_refused_with_400(client_for, cohort, session):
    client = client_for("trainee")
    url = reverse("learning:answer", args=[session.pk])
    for body in ("{not json", "[1, 2]", "x" * 5000):
        assert client.post(url, body, content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_another_trainees_answer_id_is_refused(client_for, cohort, session, home):
    check = checks_of(session)[0]
    other = Trainee.objects.create(establishment=home, display_name="Other")
    taken = CheckAnswer.objects.create(
        trainee=other,
        session=session,
        check_id=check.key,
        option=0,
        correct=False,
        attempt=1,
        answered_at=timezone.now(),
        client_id=uuid.uuid4(),
    )
    response = answer(client_for("trainee"), session, check.key, 1, taken.client_id)
    assert response.status_code == 400
    assert CheckAnswer.objects.get(client_id=taken.client_id).trainee == other


@pytest.mark.django_db
def test_a_session_outside_the_trainees_programmes_answers_404(client_for, cohort, session):
    from tests.factories import make_session

    outside = make_session()
    client = client_for("trainee")
    assert client.get(reverse("learning:study", args=[outside.pk])).status_code == 404
    assert answer(client, outside, "x", 0).status_code == 404


@pytest.mark.django_db
def test_staff_cannot_use_the_answer_endpoint(client_for, cohort, session, staff_at_home):
    check = checks_of(session)[0]
    assert answer(client_for("trainer"), session, check.key, 0).status_code == 403


@pytest.mark.django_db
def test_a_session_is_studied_when_every_part_is_seen_and_every_check_answered_right(
    client_for, cohort, session, own_trainee
):
    client = client_for("trainee")
    parts = study_parts(session)
    checks = [p for p in parts if p.is_check]
    keys = [p.key for p in parts]
    url = reverse("learning:progress", args=[session.pk])
    response = post_json(client, url, {"seen": keys, "position": keys[-1]})
    assert response.json() == {"saved": True, "studied": False}
    for check in checks[:-1]:
        answer(client, session, check.key, right_option(check))
    answer(client, session, checks[-1].key, wrong_option(checks[-1]))
    progress = StudyProgress.objects.get(trainee=own_trainee, session=session)
    assert progress.studied_at is None
    assert not SelfStudy.objects.exists()
    response = answer(client, session, checks[-1].key, right_option(checks[-1]))
    assert response.json()["studied"] is True
    progress.refresh_from_db()
    assert progress.studied_at is not None
    record = SelfStudy.objects.get()
    assert record.membership.cohort == cohort
    assert record.session == session
    assert record.confirmed_at is None


@pytest.mark.django_db
def test_every_right_answer_without_seeing_every_part_is_not_studied(
    client_for, cohort, session, own_trainee
):
    client = client_for("trainee")
    for check in checks_of(session):
        answer(client, session, check.key, right_option(check))
    assert StudyProgress.objects.get(trainee=own_trainee, session=session).studied_at is None


@pytest.mark.django_db
def test_progress_refuses_parts_of_another_session(client_for, cohort, session):
    url = reverse("learning:progress", args=[session.pk])
    client = client_for("trainee")
    for data in (
        {"seen": ["not-a-part"], "position": ""},
        {"seen": "outcomes", "position": ""},
        {"seen": [], "position": 5},
        {"seen": [], "position": "elsewhere"},
    ):
        assert post_json(client, url, data).status_code == 400


@pytest.mark.django_db
def test_progress_is_added_to_and_resumes_where_the_learner_was(
    client_for, cohort, session, own_trainee
):
    client = client_for("trainee")
    keys = [p.key for p in study_parts(session)]
    url = reverse("learning:progress", args=[session.pk])
    post_json(client, url, {"seen": keys[:2], "position": keys[1]})
    post_json(client, url, {"seen": [keys[0]], "position": keys[0]})
    progress = StudyProgress.objects.get(trainee=own_trainee, session=session)
    assert progress.parts_seen == keys[:2]
    assert progress.position == keys[0]
    page = client.get(reverse("learning:study", args=[session.pk]))
    assert f'"position": "{keys[0]}"' in page.content.decode()


@pytest.mark.django_db
def test_without_javascript_a_check_posts_as_a_form_and_shows_its_feedback(
    client_for, cohort, session
):
    client = client_for("trainee")
    check = checks_of(session)[0]
    wrong = wrong_option(check)
    response = client.post(
        reverse("learning:answer", args=[session.pk]),
        {"check": check.key, "option": str(wrong), "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#part-{check.key}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Not quite. Try again." in page
    assert check.value["options"][wrong]["feedback"].split("\n")[0][:40] in page


@pytest.mark.django_db
def test_a_trainee_in_no_cohort_may_study_what_their_prison_runs(
    client_for, cohort, session, users
):
    elsewhere = Establishment.objects.create(name="HMP Far", code="hmp-far")
    lone = Trainee.objects.get(user=users["trainee"])
    lone.memberships.all().delete()
    assert (
        client_for("trainee").get(reverse("learning:study", args=[session.pk])).status_code == 200
    )
    lone.establishment = elsewhere
    lone.save()
    assert (
        client_for("trainee").get(reverse("learning:study", args=[session.pk])).status_code == 404
    )
