"""Every report and export URL, for every role: what each one is answered.

Staff (facilitator, trainer, education) work at ``home``; a cohort runs there and another
``elsewhere``. Reports need ``evaluation.view_reports``: facilitators, local trainers and the
evaluator have it, education and peer support workers do not (403). Staff see their own
prison's reports only: another prison's cohort or scheme health is 404, as if it did not
exist. The evaluator sees every prison. Someone not signed in is sent to the login page.
"""

import pytest
from django.urls import reverse

from tests.factories import make_cohort

pytestmark = pytest.mark.usefixtures("staff_at_home")

ROLES = ["facilitator", "reviewer", "trainer", "education", "trainee", "evaluator", None]
LOGIN = "login"

EVERYWHERE = {
    "facilitator": 200,
    "reviewer": 200,
    "trainer": 200,
    "education": 403,
    "trainee": 403,
    "evaluator": 200,
}
OWN_PRISON_ONLY = {
    "facilitator": 404,
    "reviewer": 404,
    "trainer": 404,
    "education": 403,
    "trainee": 403,
    "evaluator": 200,
}
# (url name, argument) -> answer by role
EXPECTED = {
    ("report_index", None): EVERYWHERE,
    ("cohort_report", "home_cohort"): EVERYWHERE,
    ("cohort_report", "away_cohort"): OWN_PRISON_ONLY,
    ("cohort_report_pdf", "home_cohort"): EVERYWHERE,
    ("cohort_report_pdf", "away_cohort"): OWN_PRISON_ONLY,
    ("programme_comparison", None): EVERYWHERE,
    ("programme_comparison_pdf", None): EVERYWHERE,
    ("scheme_health", "home"): EVERYWHERE,
    ("scheme_health", "away"): OWN_PRISON_ONLY,
    ("export_csv", None): EVERYWHERE,
    ("export_xlsx", None): EVERYWHERE,
}  # fmt: skip

CASES = [(name, argument, role) for (name, argument) in EXPECTED for role in ROLES]


@pytest.fixture
def places(home, elsewhere):
    return {
        "home_cohort": make_cohort(sessions=1, trainees=2, establishment=home, status="running").pk,
        "away_cohort": make_cohort(
            sessions=1, trainees=2, establishment=elsewhere, status="running"
        ).pk,
        "home": home.code,
        "away": elsewhere.code,
    }


@pytest.mark.parametrize(("name", "argument", "role"), CASES)
def test_every_report_url_answers_each_role(client, users, places, name, argument, role):
    if role:
        client.force_login(users[role])
    url = reverse(f"evaluation:{name}", args=[places[argument]] if argument else [])

    response = client.get(url)

    if role is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse(LOGIN))
    else:
        assert response.status_code == EXPECTED[(name, argument)][role]


def test_staff_see_only_their_own_prison_in_the_index_and_the_comparison(
    client_for, places, home, elsewhere
):
    index = client_for("trainer").get(reverse("evaluation:report_index")).content.decode()
    comparison = client_for("trainer").get(reverse("evaluation:programme_comparison"))

    assert home.name in index and elsewhere.name not in index
    assert f'data-cohort="{places["home_cohort"]}"' in comparison.content.decode()
    assert f'data-cohort="{places["away_cohort"]}"' not in comparison.content.decode()


def test_the_evaluator_sees_every_prison_in_the_index_and_the_comparison(
    client_for, places, home, elsewhere
):
    index = client_for("evaluator").get(reverse("evaluation:report_index")).content.decode()
    comparison = client_for("evaluator").get(reverse("evaluation:programme_comparison"))

    assert home.name in index and elsewhere.name in index
    assert f'data-cohort="{places["away_cohort"]}"' in comparison.content.decode()
