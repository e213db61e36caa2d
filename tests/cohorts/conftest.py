import pytest

from cohorts.models import Establishment, StaffProfile, Trainee

STAFF = ("facilitator", "reviewer", "trainer", "education")


@pytest.fixture
def home(db):
    """The establishment where the demo staff users work."""
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
