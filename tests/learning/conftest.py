import pytest

from cohorts.models import Cohort, Membership
from courses.models import ProgrammePage
from courses.outline import outline


@pytest.fixture
def three_day(db):
    return ProgrammePage.objects.get(slug="three-day-programme")


@pytest.fixture
def cohort(home, three_day, own_trainee):
    """A cohort at home of the three-day programme, with the signed-in trainee in it."""
    from datetime import date

    cohort = Cohort.objects.create(
        establishment=home, programme=three_day, name="Learners", start_date=date(2026, 1, 5)
    )
    Membership.objects.create(cohort=cohort, trainee=own_trainee)
    return cohort


@pytest.fixture
def session(three_day):
    """A session of the three-day programme with at least two knowledge checks."""
    for item in outline(three_day).sessions:
        checks = [c for c in item.session.body if c.block_type == "knowledge_check"]
        if len(checks) >= 2:
            return item.session
    raise AssertionError("No session of the three-day programme has two checks")
