"""Scoring, figures and costs for the evaluation reports. Computed here from the records,
never typed or stored; views, PDFs and exports call these."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from cohorts.models import Cohort, Establishment, Trainee

from .models import Item, Questionnaire, Response
from .questionnaires import QUESTIONNAIRES


class EvaluationError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@transaction.atomic
def load_questionnaires() -> int:
    """Add the seeded questionnaires that are missing (by slug); never change existing ones.
    Returns how many were added."""
    added = 0
    for definition in QUESTIONNAIRES:
        if Questionnaire.objects.filter(slug=definition["slug"]).exists():
            continue
        fields = {k: v for k, v in definition.items() if k != "items"}
        questionnaire = Questionnaire.objects.create(**fields)
        Item.objects.bulk_create(
            Item(
                questionnaire=questionnaire,
                sort_order=n,
                text=text,
                kind=kind,
                reverse_scored=reverse,
                in_score=in_score,
            )
            for n, (text, kind, reverse, in_score) in enumerate(definition["items"])
        )
        added += 1
    return added


# --- The figures' shapes. Functions below fill them; reports and exports read them. --------


@dataclass(frozen=True)
class Spread:
    """n, mean, median, standard deviation (None under 2), smallest and largest."""

    n: int
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class PairedRow:
    trainee: Trainee
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class PairedChange:
    """A scale's scores before and after, for the trainees who gave both (paired)."""

    questionnaire: Questionnaire
    rows: tuple[PairedRow, ...]
    before: Spread
    after: Spread
    change: Spread


@dataclass(frozen=True)
class CostBreakdown:
    hours_by_role: dict  # role label -> hours of trainer time
    trainer_cost: Decimal
    printing: Decimal
    materials: Decimal
    completers: int

    @property
    def total(self) -> Decimal:
        return self.trainer_cost + self.printing + self.materials

    @property
    def per_completer(self) -> Decimal | None:
        return (self.total / self.completers).quantize(Decimal("0.01")) if self.completers else None


@dataclass(frozen=True)
class CohortFigures:
    cohort: Cohort
    members: int
    completion_counts: dict  # cohorts.services status -> count
    completion_rate: float | None  # completed / members
    attendance_rate: float | None  # marks attended / marks recorded, whole cohort
    absence_reasons: dict  # reason label -> count
    local_delivery_share: float | None
    outcomes: tuple[PairedChange, ...]  # one per scored scale
    cost: CostBreakdown


@dataclass(frozen=True)
class HealthItem:
    """One line of the scheme-health checklist, with the evidence the data gives for it."""

    area: str  # planning, recruitment, support and supervision, monitoring
    label: str
    status: str  # "good", "attention", "no_data"
    evidence: str


def scale_score(response: Response) -> int | None:
    """The response's score on its questionnaire's scale: each scored rating item's value
    (lowest_score + choice index), reversed for reverse-scored items; None if any scored item
    is unanswered or the questionnaire has no scale."""
    raise NotImplementedError


def spread(values) -> Spread:
    raise NotImplementedError


def paired_change(
    cohort: Cohort, questionnaire: Questionnaire, before: str = "before", after: str = "end"
) -> PairedChange:
    raise NotImplementedError


def cost_of(cohort: Cohort) -> CostBreakdown:
    """Trainer hours of every held delivery (session length x each trainer: lead and
    co-trainers, priced by role: the visiting facilitator's rate for facilitators, else their
    staff discipline's) times HourlyCost, plus the cohort's printing and materials."""
    raise NotImplementedError


def cohort_figures(cohort: Cohort) -> CohortFigures:
    raise NotImplementedError


def scheme_health(establishment: Establishment, today: date) -> list[HealthItem]:
    raise NotImplementedError


def participant_code(trainee: Trainee) -> str:
    raise NotImplementedError
