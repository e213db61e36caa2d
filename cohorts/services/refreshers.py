"""When a trained peer worker is due a refresher: the one rule the cohorts page and scheme
health share."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils import timezone

from ..models import Attendance, Cohort, Delivery, Establishment, Trainee
from .records import COMPLETED, Completion, completions_of


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class RefresherDue:
    trainee: Trainee
    cohort: Cohort  # the cohort of their latest completion
    completed_on: date
    refreshed_on: date | None  # the latest refresher they came to, if any
    due_on: date


def refresher_due_on(result: Completion, cohort: Cohort) -> date | None:
    """When a trainee who completed this cohort would come back for a refresher, counting
    from this completion only; None if not completed. ``refresher_dates`` has the whole rule."""
    if result.status != COMPLETED:
        return None
    return add_months(result.completed_on, cohort.programme.refresher_months)


def refresher_dates(
    establishment: Establishment, cohorts=None, completions=None
) -> dict[int, RefresherDue]:
    """Each trained peer worker's next refresher, by trainee id. It is due the programme's
    refresher months after the later of their latest completion (a later cohort counts) and
    the latest refresher they came to. Trainees who left the role (or were transferred or
    released) are never due. ``cohorts`` and ``completions`` (by cohort id, as
    ``completions_of`` gives) may be passed when the caller has them already."""
    if cohorts is None:
        cohorts = list(establishment.cohorts.select_related("programme"))
    if completions is None:
        completions = completions_of(cohorts)
    return refresher_dates_of(cohorts, completions)


def refresher_dates_of(cohorts, completions) -> dict[int, RefresherDue]:
    """``refresher_dates`` for the trainees of any cohorts (of several prisons): one query."""
    latest: dict[int, tuple[date, Cohort, Trainee]] = {}
    for cohort in cohorts:
        for trainee_id, result in completions.get(cohort.pk, {}).items():
            if result.status != COMPLETED or result.trainee.role_status == Trainee.RoleStatus.LEFT:
                continue
            if trainee_id not in latest or result.completed_on > latest[trainee_id][0]:
                latest[trainee_id] = (result.completed_on, cohort, result.trainee)
    refreshed = {
        trainee_id: timezone.localdate(at)
        for trainee_id, at in Attendance.objects.filter(
            trainee_id__in=list(latest),
            delivery__kind=Delivery.Kind.REFRESHER,
            delivery__status__in=Delivery.HELD,
            mark__in=Attendance.ATTENDED,
        )
        .values("trainee_id")
        .annotate(last=Max("delivery__starts_at"))
        .values_list("trainee_id", "last")
    }
    dates = {}
    for trainee_id, (completed_on, cohort, trainee) in latest.items():
        refreshed_on = refreshed.get(trainee_id)
        since = max(completed_on, refreshed_on) if refreshed_on else completed_on
        due_on = add_months(since, cohort.programme.refresher_months)
        dates[trainee_id] = RefresherDue(trainee, cohort, completed_on, refreshed_on, due_on)
    return dates


def refreshers_due(establishment: Establishment, today: date, **known) -> list[RefresherDue]:
    """Trained peer workers whose refresher is due on or before ``today``, soonest first: one
    line per person, whatever the number of cohorts they completed."""
    due = [d for d in refresher_dates(establishment, **known).values() if d.due_on <= today]
    return sorted(due, key=lambda item: (item.due_on, item.trainee.display_name))
