"""The cohort screens cost the same number of queries for a cohort of 5 and of 50."""

import pytest
from django.urls import reverse

from tests.courses.test_queries import queries_for
from tests.factories import hold_sessions, make_cohort

pytestmark = pytest.mark.usefixtures("staff_at_home")


def held_cohort(home, trainees: int):
    cohort = make_cohort(sessions=4, trainees=trainees, establishment=home)
    marks = ["present", "absent", "late", "left_early"]
    hold_sessions(cohort, {f"Trainee {n + 1}": marks for n in range(trainees)})
    return cohort


@pytest.fixture
def small_and_large(home):
    return held_cohort(home, 5), held_cohort(home, 50)


@pytest.mark.parametrize(("name", "expected"), [("cohort_detail", 14), ("completion_summary", 11)])
def test_cohort_pages_cost_the_same_for_5_and_50_trainees(
    client_for, small_and_large, name, expected
):
    client = client_for("trainer")
    small, large = (reverse(f"cohorts:{name}", args=[c.pk]) for c in small_and_large)
    assert queries_for(client, small) == queries_for(client, large) == expected


def test_the_readiness_page_costs_the_same_for_5_and_50_trainees(client_for, home):
    client = client_for("trainer")
    url = reverse("cohorts:readiness", args=[home.code])
    small = held_cohort(home, 5)
    with_small = queries_for(client, f"{url}?programme={small.programme.slug}")
    large = held_cohort(home, 50)
    with_large = queries_for(client, f"{url}?programme={large.programme.slug}")
    assert with_small == with_large == 11
