"""Every cohort URL, for every role, inside and outside the user's establishment.

Staff (facilitator, local trainer, education department) work at ``home``; ``elsewhere`` is
another prison. Outside their establishment staff get 404, as if the record did not exist.
Roles without the permission get 403; someone not signed in is sent to the login page.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from cohorts.models import Delivery, Membership, ShadowingPlacement, Trainee
from tests.factories import hold_sessions, make_cohort

pytestmark = pytest.mark.usefixtures("staff_at_home")

ROLES = ["facilitator", "trainer", "education", "trainee", "evaluator", None]
STAFF = {"facilitator": 200, "trainer": 200, "education": 200}
TAKERS = {"facilitator": 200, "trainer": 200, "education": 403}
RUNNERS = TAKERS  # who starts, schedules and changes cohorts

# url name -> (needs a place, the answer by role inside the establishment)
PAGES = {
    "cohort_list": (False, STAFF),
    "check_certificate": (False, STAFF),
    "my_progress": (False, {"trainee": 200, "facilitator": 403, "trainer": 403, "education": 403}),
    "cohort_detail": (True, STAFF),
    "completion_summary": (True, STAFF),
    "register": (True, TAKERS),
    "paper_register": (True, STAFF),
    "trainee_progress": (True, STAFF),
    "certificate": (True, STAFF),
    "readiness": (True, STAFF),
    "record_stage": (True, TAKERS),
    "erase_trainee": (True, {}),  # the administrator (superuser) only
    # Running cohorts
    "new_cohort": (False, {"facilitator": 302, "trainer": 302, "education": 403}),
    "start_cohort": (True, RUNNERS),
    "schedule": (True, RUNNERS),
    "add_delivery": (True, RUNNERS),
    "move_delivery": (True, RUNNERS),
    "cancel_delivery": (True, RUNNERS),
    "add_late_joiners": (True, RUNNERS),
    "leave": (True, RUNNERS),
    "record_shadowing": (True, RUNNERS),
    "add_shadowing_note": (True, RUNNERS),
    "cohort_calendar": (True, STAFF),
    "calendar": (False, STAFF),
    "my_calendar": (False, STAFF),
    "reset_calendar": (False, {"facilitator": 405, "trainer": 405, "education": 405}),
    "overview": (False, STAFF),
}
CHANGING = [
    "start_cohort",
    "schedule",
    "add_delivery",
    "move_delivery",
    "cancel_delivery",
    "add_late_joiners",
    "leave",
    "record_shadowing",
    "add_shadowing_note",
]


def place(establishment, own_trainee=None):
    """A cohort with a completed trainee and a held delivery, and the URL arguments to reach
    each of its records."""
    cohort = make_cohort(sessions=1, trainees=1, establishment=establishment)
    (delivery,) = hold_sessions(cohort, {"Trainee 1": ["present"]})
    planned = Delivery.objects.create(
        cohort=cohort, session=delivery.session, starts_at=delivery.starts_at + timedelta(days=7)
    )
    trainee = cohort.trainees.get()
    other = Trainee.objects.create(establishment=establishment, display_name="Old hand")
    placement = ShadowingPlacement.objects.create(
        new_worker=trainee, experienced_worker=other, starts_on="2026-01-01", ends_on="2026-01-20"
    )
    return {
        "cohort_detail": [cohort.pk],
        "completion_summary": [cohort.pk],
        "register": [delivery.pk],
        "paper_register": [delivery.pk],
        "trainee_progress": [trainee.pk],
        "certificate": [cohort.pk, trainee.pk],
        "readiness": [establishment.code],
        "record_stage": [establishment.code],
        "erase_trainee": [trainee.pk],
        "start_cohort": [establishment.code],
        "schedule": [cohort.pk],
        "add_delivery": [cohort.pk],
        "move_delivery": [planned.pk],
        "cancel_delivery": [planned.pk],
        "add_late_joiners": [cohort.pk],
        "leave": [cohort.pk, trainee.pk],
        "record_shadowing": [trainee.pk],
        "add_shadowing_note": [placement.pk],
        "cohort_calendar": [cohort.pk],
    }


@pytest.fixture
def places(home, elsewhere, users):
    own = Trainee.objects.create(establishment=home, display_name="Sam", user=users["trainee"])
    inside = place(home)
    Membership.objects.create(
        cohort_id=inside["cohort_detail"][0], trainee=own, joined_on="2026-01-01"
    )
    return {"inside": inside, "outside": place(elsewhere)}


def expected(role, name, where) -> int:
    needs_place, answers = PAGES[name]
    if role is None:
        return 302
    answer = answers.get(role, 403)
    if needs_place and where == "outside" and answer == 200:
        return 404
    return answer


CASES = [
    (role, name, where)
    for role in ROLES
    for name, (needs_place, _) in PAGES.items()
    for where in (("inside", "outside") if needs_place else ("inside",))
]


@pytest.mark.parametrize(("role", "name", "where"), CASES)
def test_every_cohort_url_answers_each_role_as_expected(
    client, client_for, places, role, name, where
):
    args = places[where].get(name, [])
    browser = client_for(role) if role else client
    response = browser.get(reverse(f"cohorts:{name}", args=args))
    assert response.status_code == expected(role, name, where)
    if role is None:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", CHANGING)
def test_education_staff_cannot_change_a_cohort(client_for, places, name):
    response = client_for("education").post(reverse(f"cohorts:{name}", args=places["inside"][name]))
    assert response.status_code == 403


@pytest.mark.parametrize("name", CHANGING)
@pytest.mark.parametrize("role", ["facilitator", "trainer"])
def test_cohorts_of_another_establishment_cannot_be_changed(client_for, places, role, name):
    response = client_for(role).post(reverse(f"cohorts:{name}", args=places["outside"][name]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "trainer"])
def test_registers_of_another_establishment_cannot_be_saved(client_for, places, role):
    (delivery_pk,) = places["outside"]["register"]
    response = client_for(role).post(reverse("cohorts:register", args=[delivery_pk]), {})
    assert response.status_code == 404


def test_the_prison_number_is_shown_to_staff_of_the_same_establishment_only(
    client_for, places, elsewhere, users
):
    from cohorts.models import StaffProfile

    inside_trainee = Trainee.objects.get(pk=places["inside"]["trainee_progress"][0])
    inside_trainee.prison_number = "A1111AA"
    inside_trainee.save()
    url = reverse("cohorts:trainee_progress", args=[inside_trainee.pk])
    assert "A1111AA" in client_for("trainer").get(url).content.decode()
    # a facilitator who holds both prisons sees it; one who holds only the other does not
    profile = StaffProfile.objects.get(user=users["facilitator"])
    profile.establishments.set([elsewhere])
    assert client_for("facilitator").get(url).status_code == 404
