"""The screens that start and change cohorts: the timetable is shown before it is saved, and
no value typed or forged in a request causes a 500 or saves half a change."""

import pytest
from django.urls import reverse

from cohorts.models import Cohort, Delivery, Trainee
from courses.models import ProgrammePage
from tests.factories import make_cohort, sessions_of

pytestmark = pytest.mark.usefixtures("staff_at_home")

SCHEDULE = {
    "first_date": "1/3/2027",
    "weekdays": ["0", "2"],
    "morning_start": "09:00",
    "afternoon_start": "13:30",
    "room": "Chapel",
    "closed_dates": "3/3/2027",
}


@pytest.fixture
def cohort(home, users):
    return Cohort.objects.create(
        establishment=home,
        programme=ProgrammePage.objects.get(slug="three-day-programme"),
        name="Cycle 9",
        start_date="2027-03-01",
        lead_trainer=users["trainer"],
    )


def test_the_timetable_is_shown_before_it_is_saved(client_for, cohort):
    client = client_for("trainer")
    url = reverse("cohorts:schedule", args=[cohort.pk])
    preview = client.post(url, SCHEDULE | {"preview": "yes"})
    page = preview.content.decode()
    assert "10 sessions on 3 dates" in page
    assert "Monday 8 March 2027" in page
    assert not cohort.deliveries.exists()
    saved = client.post(url, SCHEDULE | {"confirm": "yes"})
    assert saved.status_code == 302
    assert cohort.deliveries.count() == 10
    assert "already on the timetable" in client.get(url).content.decode()


def test_starting_a_cohort_from_the_form(client_for, home, users):
    client = client_for("trainer")
    sol = Trainee.objects.create(establishment=home, display_name="Sol")
    response = client.post(
        reverse("cohorts:start_cohort", args=[home.code]),
        {
            "programme": ProgrammePage.objects.get(slug="five-afternoon-programme").pk,
            "name": "Spring",
            "lead_trainer": users["trainer"].pk,
            "co_trainers": [users["facilitator"].pk],
            "trainees": [sol.pk],
            "new_name_0": "Robin",
            "new_number_0": "a1234bc",
            "new_status_0": "active",
        },
    )
    cohort = Cohort.objects.get(name="Spring")
    assert response["Location"] == reverse("cohorts:schedule", args=[cohort.pk])
    assert sorted(cohort.trainees.values_list("display_name", flat=True)) == ["Robin", "Sol"]


@pytest.mark.parametrize(
    "forged",
    [
        {"programme": "abc", "lead_trainer": "x", "trainees": ["999999", "y"]},
        {"new_number_0": "A1234BC"},  # a number without a name
        {"co_trainers": ["1", "2", "99999"], "new_status_0": "left"},
    ],
)
def test_a_bad_start_form_answers_with_an_error_summary(client_for, home, forged):
    response = client_for("trainer").post(
        reverse("cohorts:start_cohort", args=[home.code]), {"name": "Bad"} | forged
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Cohort.objects.filter(name="Bad").exists()


@pytest.mark.parametrize(
    "forged",
    [
        {"first_date": "31/12/9999"},
        {"first_date": "1/1/0001"},
        {"first_date": "30/2/2027"},
        {"weekdays": ["9"]},
        {"morning_start": "25:00"},
        {"closed_dates": "soon\n1/1/2027"},
        {"room": "x" * 500},
    ],
)
def test_a_bad_schedule_answers_with_an_error_summary(client_for, cohort, forged):
    response = client_for("trainer").post(
        reverse("cohorts:schedule", args=[cohort.pk]), SCHEDULE | forged | {"confirm": "yes"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not cohort.deliveries.exists()


@pytest.mark.parametrize(
    "forged",
    [{"date": "31/12/9999", "time": "09:00"}, {"date": "1/1/0001", "time": "09:00"}, {}],
)
def test_a_bad_move_answers_with_an_error_summary(client_for, home, forged):
    cohort = make_cohort(sessions=1, trainees=1, establishment=home)
    delivery = Delivery.objects.create(
        cohort=cohort, session=sessions_of(cohort.programme)[0], starts_at="2027-03-01T09:00Z"
    )
    response = client_for("trainer").post(
        reverse("cohorts:move_delivery", args=[delivery.pk]), forged
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_leaving_a_cohort_one_is_not_in_is_404(client_for, home, cohort):
    other = Trainee.objects.create(establishment=home, display_name="Not in it")
    url = reverse("cohorts:leave", args=[cohort.pk, other.pk])
    assert client_for("trainer").get(url).status_code == 404
