"""The demo's evaluation records tell a plausible story the reports can show on first run."""

import re
from datetime import date

import pytest

from cohorts.demo import load_demo_cohorts
from cohorts.models import Trainee
from evaluation.demo import load_demo_evaluation
from evaluation.models import Answer, CohortCosts, Response
from evaluation.services import GOOD, MONITORING, cohort_figures, scheme_health
from journals.demo import load_demo_journals

TODAY = date(2026, 11, 26)


@pytest.fixture
def story(users):
    story = load_demo_cohorts("demo-password", today=TODAY)
    load_demo_journals(story, today=TODAY)
    load_demo_evaluation(story, today=TODAY)
    return story


def test_cycle_1_shows_modest_paired_gains_with_a_realistic_spread(story):
    figures = cohort_figures(story.cycle_1)

    assert [o.questionnaire.slug for o in figures.outcomes] == [
        "attitudes-to-care",
        "rosenberg-self-esteem",
    ]
    for outcome in figures.outcomes:
        assert outcome.n == 8 >= 5  # the completers, at both time points
        assert outcome.answered_before == 11
        assert 1 <= outcome.change.mean <= 4
        assert outcome.change.low <= 0 < outcome.change.high


def test_cycle_1_has_a_cost_per_completer(story):
    cost = cohort_figures(story.cycle_1).cost

    assert cost.completers == 8
    assert cost.per_completer is not None and cost.per_completer > 0
    assert cost.unpriced_roles == ()
    assert cost.costs_recorded


def test_cycle_2_has_answers_before_only(story):
    figures = cohort_figures(story.cycle_2)

    assert [(o.n, o.answered_before, o.answered_after) for o in figures.outcomes] == [
        (0, 11, 0),
        (0, 11, 0),
    ]
    assert figures.cost.per_completer is None
    assert not CohortCosts.objects.filter(cohort=story.northfield_cohort).exists()


def test_demo_free_text_never_names_a_trainee(story):
    trainees = Trainee.objects.all()
    words = [t.display_name for t in trainees] + [t.prison_number for t in trainees]
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words if w) + r")\b", re.I)
    texts = [
        *Answer.objects.exclude(text="").values_list("text", flat=True),
        *CohortCosts.objects.values_list("notes", flat=True),
    ]

    assert pattern.search("Thanks to dee for the help")  # the check would see a name
    assert len(texts) > 20
    assert [text for text in texts if pattern.search(text)] == []


def test_paper_forms_are_keyed_in_by_staff_and_buddy_forms_are_anonymous(story, users):
    paper = Response.objects.filter(from_paper=True)
    on_screen = Response.objects.filter(from_paper=False)
    buddy_forms = Response.objects.filter(questionnaire__slug="support-received")

    assert paper.count() > on_screen.count() > 0
    assert not paper.filter(entered_by=None).exists()
    with_a_login = set(Trainee.objects.exclude(user=None).values_list("user", flat=True))
    assert set(on_screen.values_list("trainee__user", flat=True)) == with_a_login
    assert buddy_forms.count() == 6
    assert not buddy_forms.exclude(trainee=None).exists()
    assert not buddy_forms.exclude(cohort=None).exists()


def test_the_demo_prison_is_monitoring_everything(story):
    monitoring = [i for i in scheme_health(story.example, TODAY) if i.area == MONITORING]

    assert [(i.label, i.status) for i in monitoring] == [(i.label, GOOD) for i in monitoring]
