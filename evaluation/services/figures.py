"""A cohort's figures: everything the cohort report shows."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from cohorts.models import (
    Attendance,
    Cohort,
    Delivery,
)
from cohorts.services import (
    COMPLETED,
    cohort_completion,
    completion_counts,
    local_delivery_share,
)

from ..models import (
    TimePoint,
)
from .costs import CostBreakdown, cost_breakdown, delivery_facts
from .scores import PairedChange, outcome_scales, paired_changes

SMALL_GROUP = 5  # fewer people than this are too few to compare, and flagged in exports


@dataclass(frozen=True)
class CohortFigures:
    cohort: Cohort
    members: int
    completion_counts: dict  # cohorts.services status -> count
    completion_rate: float | None  # completed / members
    attendance_rate: float | None  # marks attended / marks recorded, whole cohort
    absence_reasons: dict  # reason label -> count, most first
    local_delivery_share: float | None
    outcomes: tuple[PairedChange, ...]  # one per scored scale
    cost: CostBreakdown


def cohort_figures(cohort: Cohort) -> CohortFigures:
    """Everything the cohort report shows, in a number of queries that does not grow with the
    number of trainees."""
    results = cohort_completion(cohort)
    counts = completion_counts(results.values())
    members = len(results)
    on_register = sum(r.on_register for r in results.values())
    attended = sum(r.attended for r in results.values())
    deliveries = delivery_facts(cohort)
    return CohortFigures(
        cohort=cohort,
        members=members,
        completion_counts=counts,
        completion_rate=counts[COMPLETED] / members if members else None,
        attendance_rate=attended / on_register if on_register else None,
        absence_reasons=absence_reasons(cohort),
        local_delivery_share=local_delivery_share(deliveries),
        outcomes=tuple(paired_changes(cohort, outcome_scales(), TimePoint.BEFORE, TimePoint.END)),
        cost=cost_breakdown(cohort, deliveries, counts[COMPLETED]),
    )


def absence_reasons(cohort: Cohort) -> dict[str, int]:
    """Why trainees missed the cohort's held sessions: reason label -> count, most first."""
    labels = dict(Attendance.AbsenceReason.choices)
    rows = (
        Attendance.objects.filter(
            delivery__cohort=cohort,
            delivery__status__in=Delivery.HELD,
            mark=Attendance.Mark.ABSENT,
        )
        .values_list("absence_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = Counter()
    for reason, n in rows:
        counted[labels.get(reason, "Not recorded")] += n
    return dict(sorted(counted.items(), key=lambda pair: (-pair[1], pair[0])))
