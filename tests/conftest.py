import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kernel import roles

ROLE_USERS = {
    "facilitator": roles.FACILITATOR,
    "reviewer": roles.FACILITATOR,
    "trainer": roles.LOCAL_TRAINER,
    "education": roles.EDUCATION,
    "trainee": roles.PEER_SUPPORT_WORKER,
    "evaluator": roles.EVALUATOR,
}
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seeded curriculum and one user per role once for the whole run."""
    from packages.services import bundled_package, import_package

    with django_db_blocker.unblock():
        import_package(bundled_package(), publish=True)
        User = get_user_model()
        for username, role in ROLE_USERS.items():
            user = User.objects.create_user(username, password=PASSWORD)
            user.groups.add(Group.objects.get(name=role))


@pytest.fixture
def users(db):
    User = get_user_model()
    return {user.username: user for user in User.objects.filter(username__in=ROLE_USERS)}


@pytest.fixture
def client_for(client, users):
    """A test client signed in as the named demo user."""

    def sign_in(username):
        client.force_login(users[username])
        return client

    return sign_in


# --- Places and people for the cohort, journal and evaluation tests -------------------------

STAFF = ("facilitator", "reviewer", "trainer", "education")


@pytest.fixture
def home(db):
    """The establishment where the test staff users work (with ``staff_at_home``)."""
    from cohorts.models import Establishment

    return Establishment.objects.create(name="HMP Home", code="hmp-home")


@pytest.fixture
def elsewhere(db):
    """Another prison: nobody of the test users works there."""
    from cohorts.models import Establishment

    return Establishment.objects.create(name="HMP Elsewhere", code="hmp-elsewhere")


@pytest.fixture
def staff_at_home(users, home):
    """Give the facilitator, reviewer, trainer and education users a staff profile at home."""
    from cohorts.models import StaffProfile

    for username in STAFF:
        profile = StaffProfile.objects.create(user=users[username], discipline="nurse")
        profile.establishments.add(home)
    return home


@pytest.fixture
def own_trainee(users, home):
    """The trainee record of the signed-in peer support worker (user ``trainee``)."""
    from cohorts.models import Trainee

    return Trainee.objects.create(
        establishment=home, display_name="Sam", prison_number="A1234BC", user=users["trainee"]
    )
