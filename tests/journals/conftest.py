"""Places and people for the journal tests: a prison where the test staff work, another where
nobody of them does, and the peer support worker's own trainee record."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts.models import Establishment, StaffProfile, Trainee
from trainingsite import roles

STAFF = ("facilitator", "reviewer", "trainer", "education")


@pytest.fixture
def home(db):
    """The establishment where the test staff users work."""
    return Establishment.objects.create(name="HMP Home", code="hmp-home")


@pytest.fixture
def elsewhere(db):
    """Another prison: nobody of the test users works there."""
    return Establishment.objects.create(name="HMP Elsewhere", code="hmp-elsewhere")


@pytest.fixture
def staff_at_home(users, home):
    """Give the facilitator, reviewer, trainer and education users a staff profile at home."""
    for username in STAFF:
        profile = StaffProfile.objects.create(user=users[username], discipline="nurse")
        profile.establishments.add(home)
    return home


@pytest.fixture
def own_trainee(users, home):
    """The trainee record of the signed-in peer support worker (user ``trainee``)."""
    return Trainee.objects.create(
        establishment=home, display_name="Sam", prison_number="A1234BC", user=users["trainee"]
    )


@pytest.fixture
def make_user(db):
    """``make_user(username, role, establishment=None)``: another account with a role, as
    staff of ``establishment`` when one is given."""

    def make(username, role=roles.LOCAL_TRAINER, establishment=None, name=""):
        first, _, last = name.partition(" ")
        user = get_user_model().objects.create_user(
            username, password="x", first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get(name=role))
        if establishment is not None:
            profile = StaffProfile.objects.create(user=user, discipline="nurse")
            profile.establishments.add(establishment)
        return user

    return make
