"""Scheme health: the evidence summary's checklist, with what the records show for each line."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from cohorts.models import (
    SHADOWING_MINIMUM,
    Cohort,
    Delivery,
    Establishment,
    ShadowingPlacement,
    Trainee,
    TrainerStage,
)
from cohorts.services import (
    COMPLETED,
    cohort_completion,
    completion_counts,
    local_delivery_readiness,
    refresher_dates,
)
from journals.models import SupervisionMeeting
from journals.services import supervision_interval, supervision_overdue

from ..models import (
    Questionnaire,
    Response,
    TimePoint,
)
from .costs import cost_breakdown, delivery_facts
from .scores import outcome_scales, paired_changes


@dataclass(frozen=True)
class HealthItem:
    """One line of the scheme-health checklist, with the evidence the data gives for it."""

    area: str  # one of HEALTH_AREAS
    label: str
    status: str  # "good", "attention", "no_data"
    evidence: str


PLANNING = "Planning and development"
RECRUITMENT = "Recruitment and implementation"
SUPPORT = "Support and supervision"
MONITORING = "Monitoring and evaluation"
HEALTH_AREAS = (PLANNING, RECRUITMENT, SUPPORT, MONITORING)  # the evidence summary's checklist
GOOD, ATTENTION, NO_DATA = "good", "attention", "no_data"
HEALTH_STATUS_LABELS = {GOOD: "Good", ATTENTION: "Needs attention", NO_DATA: "No data yet"}

YEAR = timedelta(days=365)
LOCAL_DELIVERY_TARGET = 0.5  # share of the programme local staff are signed off to deliver
COMPLETION_TARGET = 2 / 3  # of a finished cohort's members
QUESTIONNAIRE_TARGET = 2 / 3  # of a finished cohort's members, before and at the end
FEEDBACK_TARGET = 0.5  # of the sessions held in the last year
TURNOVER_LIMIT = 0.25  # of trained peer workers who have left the role


def _of(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.0%})" if whole else f"{part} of {whole}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class _Evidence:
    """What the checklist needs, read once for an establishment."""

    def __init__(self, establishment: Establishment, today: date):
        self.establishment = establishment
        self.today = today
        self.cohorts = [
            c
            for c in establishment.cohorts.select_related("programme").order_by("start_date")
            if c.status != Cohort.Status.CANCELLED
        ]
        self.completions = {c.pk: cohort_completion(c) for c in self.cohorts}
        self.trainees = list(
            Trainee.objects.filter(establishment=establishment).only(
                "role_status", "consent_recorded_on"
            )
        )
        finished = [c for c in self.cohorts if c.status == Cohort.Status.FINISHED]
        self.latest_finished = finished[-1] if finished else None

    def completed_by_trainee(self) -> dict[int, list[tuple[Cohort, object]]]:
        done = defaultdict(list)
        for cohort in self.cohorts:
            for trainee_id, result in self.completions[cohort.pk].items():
                if result.status == COMPLETED:
                    done[trainee_id].append((cohort, result))
        return done


def scheme_health(establishment: Establishment, today: date) -> list[HealthItem]:
    """The evidence summary's checklist for a prison's scheme (planning and development,
    recruitment and implementation, support and supervision, monitoring and evaluation), each
    item with what the records show. Counts and shares only: never a name."""
    evidence = _Evidence(establishment, today)
    checks = [
        _cohorts_planned,
        _local_delivery,
        _recruited,
        _consent,
        _training_completed,
        _supervision,
        _refreshers,
        _shadowing,
        _turnover,
        _questionnaires_collected,
        _session_feedback,
        _views_of_people_supported,
        _cost_data,
    ]
    return [check(evidence) for check in checks]


def _cohorts_planned(e: _Evidence) -> HealthItem:
    label = "Cohorts planned and running"
    if not e.cohorts:
        return HealthItem(PLANNING, label, ATTENTION, "No cohort has been planned yet.")
    latest = e.cohorts[-1]
    by_status = Counter(c.status for c in e.cohorts)
    ongoing = by_status[Cohort.Status.PLANNED] + by_status[Cohort.Status.RUNNING]
    states = ", ".join(
        f"{by_status[s]} {name.lower()}"
        for s, name in Cohort.Status.choices
        if by_status[s] and s != Cohort.Status.CANCELLED
    )
    recent = any(c.start_date >= e.today - YEAR for c in e.cohorts)
    status = GOOD if ongoing or recent else ATTENTION
    return HealthItem(
        PLANNING,
        label,
        status,
        f"{_plural(len(e.cohorts), 'cohort', 'cohorts')} ({states}); the latest, of the "
        f"{latest.programme.title}, started on {_day(latest.start_date)}.",
    )


def _local_delivery(e: _Evidence) -> HealthItem:
    label = "Local staff can deliver the programme"
    if not e.cohorts:
        return HealthItem(PLANNING, label, NO_DATA, "No programme has been chosen yet.")
    latest = e.cohorts[-1]
    readiness = local_delivery_readiness(e.establishment, latest.programme)
    signed_off = sum(s.stage == TrainerStage.Stage.SIGNED_OFF for s in readiness.sessions)
    share = readiness.signed_off_share
    led = dict(readiness.cohorts).get(latest)
    led_text = (
        f"; local staff led {led:.0%} of the latest cohort's sessions held so far"
        if led is not None
        else ""
    )
    return HealthItem(
        PLANNING,
        label,
        GOOD if share >= LOCAL_DELIVERY_TARGET else ATTENTION,
        f"Local staff are signed off to deliver {signed_off} of the "
        f"{len(readiness.sessions)} sessions of the {latest.programme.title} "
        f"({share:.0%} of its time){led_text}.",
    )


def _recruited(e: _Evidence) -> HealthItem:
    label = "Peer workers recruited"
    if not e.trainees:
        return HealthItem(RECRUITMENT, label, NO_DATA, "No trainee has been recorded yet.")
    first_start = {}
    for cohort in e.cohorts:
        for trainee_id in e.completions[cohort.pk]:
            first_start.setdefault(trainee_id, cohort.start_date)
    new = sum(start >= e.today - YEAR for start in first_start.values())
    by_status = Counter(t.role_status for t in e.trainees)
    return HealthItem(
        RECRUITMENT,
        label,
        GOOD if new else ATTENTION,
        f"{_plural(new, 'person', 'people')} started a first cohort in the last 12 months; "
        f"now {by_status[Trainee.RoleStatus.ACTIVE]} active and "
        f"{by_status[Trainee.RoleStatus.ASPIRING]} aspiring peer workers, and "
        f"{by_status[Trainee.RoleStatus.LEFT]} who left the role.",
    )


def _consent(e: _Evidence) -> HealthItem:
    label = "Consent recorded"
    current = [t for t in e.trainees if t.role_status != Trainee.RoleStatus.LEFT]
    if not current:
        return HealthItem(RECRUITMENT, label, NO_DATA, "No current trainee or peer worker.")
    given = sum(t.consent_recorded_on is not None for t in current)
    return HealthItem(
        RECRUITMENT,
        label,
        GOOD if given == len(current) else ATTENTION,
        f"Consent is recorded for {_of(given, len(current))} current trainees and peer workers.",
    )


def _training_completed(e: _Evidence) -> HealthItem:
    label = "Training completed"
    cohort = e.latest_finished
    if cohort is None:
        return HealthItem(RECRUITMENT, label, NO_DATA, "No cohort has finished yet.")
    results = e.completions[cohort.pk].values()
    done = completion_counts(results)[COMPLETED]
    members = len(results)
    rate = done / members if members else 0
    return HealthItem(
        RECRUITMENT,
        label,
        GOOD if members and rate >= COMPLETION_TARGET else ATTENTION,
        f"{_of(done, members)} members of the latest finished cohort completed the programme.",
    )


def _supervision(e: _Evidence) -> HealthItem:
    label = "Supervision happening"
    interval = supervision_interval()
    weeks = interval.days // 7
    meetings = SupervisionMeeting.objects.filter(
        establishment=e.establishment,
        held_on__gt=e.today - interval,
        held_on__lte=e.today,
    ).count()
    active = sum(t.role_status == Trainee.RoleStatus.ACTIVE for t in e.trainees)
    if not active and not meetings:
        return HealthItem(SUPPORT, label, NO_DATA, "No active peer worker to supervise yet.")
    overdue = len(supervision_overdue(e.establishment, e.today))
    return HealthItem(
        SUPPORT,
        label,
        GOOD if meetings and not overdue else ATTENTION,
        f"{_plural(meetings, 'supervision meeting', 'supervision meetings')} in the last "
        f"{weeks} weeks; {overdue} of {active} active peer workers "
        f"{'has' if overdue == 1 else 'have'} not been supervised in that time.",
    )


def _refreshers(e: _Evidence) -> HealthItem:
    """The cohorts page's rule (cohorts.services.refresher_dates): due from the latest
    completion or refresher; leavers never due."""
    label = "Refreshers up to date"
    dates = refresher_dates(e.establishment, cohorts=e.cohorts, completions=e.completions)
    due_on = {trainee_id: item.due_on for trainee_id, item in dates.items()}
    if not due_on:
        return HealthItem(SUPPORT, label, NO_DATA, "Nobody working now has completed training.")
    due = sum(day <= e.today for day in due_on.values())
    if due:
        return HealthItem(
            SUPPORT,
            label,
            ATTENTION,
            f"{_of(due, len(due_on))} trained peer workers are due a refresher.",
        )
    return HealthItem(
        SUPPORT,
        label,
        GOOD,
        f"None of the {len(due_on)} trained peer workers is due a refresher; the next is due "
        f"in {min(due_on.values()):%B %Y}.",
    )


def _shadowing(e: _Evidence) -> HealthItem:
    label = "Shadowing for at least two weeks"
    placements = list(
        ShadowingPlacement.objects.filter(
            new_worker__establishment=e.establishment, starts_on__gte=e.today - YEAR
        ).only("starts_on", "ends_on")
    )
    if not placements:
        return HealthItem(
            SUPPORT, label, NO_DATA, "No shadowing has been recorded in the last 12 months."
        )
    short = sum(p.too_short for p in placements)
    return HealthItem(
        SUPPORT,
        label,
        ATTENTION if short else GOOD,
        f"{_plural(len(placements), 'shadowing placement', 'shadowing placements')} in the "
        f"last 12 months; {short} shorter than {SHADOWING_MINIMUM.days} days.",
    )


def _turnover(e: _Evidence) -> HealthItem:
    label = "Trained peer workers staying in the role"
    trained = set(e.completed_by_trainee())
    if not trained:
        return HealthItem(SUPPORT, label, NO_DATA, "Nobody has completed training yet.")
    left = sum(t.pk in trained and t.role_status == Trainee.RoleStatus.LEFT for t in e.trainees)
    return HealthItem(
        SUPPORT,
        label,
        ATTENTION if left / len(trained) >= TURNOVER_LIMIT else GOOD,
        f"{_of(left, len(trained))} trained peer workers have left the role."
        if left
        else f"None of the {len(trained)} trained peer workers has left the role.",
    )


def _questionnaires_collected(e: _Evidence) -> HealthItem:
    label = "Questionnaires before and after training"
    cohort, scales = e.latest_finished, outcome_scales()
    if cohort is None or not scales:
        return HealthItem(MONITORING, label, NO_DATA, "No cohort has finished yet.")
    changes = paired_changes(cohort, scales, TimePoint.BEFORE, TimePoint.END)
    both = set.intersection(*({row.trainee.pk for row in c.rows} for c in changes))
    members = len(e.completions[cohort.pk])
    rate = len(both) / members if members else 0
    return HealthItem(
        MONITORING,
        label,
        GOOD if members and rate >= QUESTIONNAIRE_TARGET else ATTENTION,
        f"{_of(len(both), members)} members of the latest finished cohort answered every "
        "questionnaire both before and at the end.",
    )


def _session_feedback(e: _Evidence) -> HealthItem:
    label = "Session feedback collected"
    held = Delivery.objects.filter(
        cohort__establishment=e.establishment,
        status__in=Delivery.HELD,
        starts_at__date__gte=e.today - YEAR,
        starts_at__date__lte=e.today,
    )
    total = held.count()
    if not total:
        return HealthItem(
            MONITORING, label, NO_DATA, "No session has been held in the last 12 months."
        )
    with_feedback = held.filter(responses__time_point=TimePoint.AFTER_SESSION).distinct().count()
    return HealthItem(
        MONITORING,
        label,
        GOOD if with_feedback / total >= FEEDBACK_TARGET else ATTENTION,
        f"Feedback was collected after {_of(with_feedback, total)} sessions held in the last "
        "12 months.",
    )


def _views_of_people_supported(e: _Evidence) -> HealthItem:
    label = "Views of the people receiving support"
    forms = Response.objects.filter(
        establishment=e.establishment,
        questionnaire__audience=Questionnaire.Audience.SUPPORTED,
        completed_on__gte=e.today - YEAR,
        completed_on__lte=e.today,
    ).count()
    active = any(t.role_status == Trainee.RoleStatus.ACTIVE for t in e.trainees)
    if not forms and not active:
        return HealthItem(
            MONITORING, label, NO_DATA, "No active peer worker is helping anyone yet."
        )
    return HealthItem(
        MONITORING,
        label,
        GOOD if forms else ATTENTION,
        f"{_plural(forms, 'form', 'forms')} from people receiving support in the last 12 months.",
    )


def _cost_data(e: _Evidence) -> HealthItem:
    label = "Cost data entered"
    run = [c for c in e.cohorts if c.status in (Cohort.Status.RUNNING, Cohort.Status.FINISHED)]
    if not run:
        return HealthItem(MONITORING, label, NO_DATA, "No cohort has run yet.")
    breakdowns = []
    for cohort in run:
        completers = completion_counts(e.completions[cohort.pk].values())[COMPLETED]
        breakdowns.append(cost_breakdown(cohort, delivery_facts(cohort), completers))
    recorded = sum(b.costs_recorded for b in breakdowns)
    unpriced = sorted({role for b in breakdowns for role in b.unpriced_roles})
    rates = (
        "no hourly cost is set for: " + ", ".join(unpriced)
        if unpriced
        else "every trainer's time has an hourly cost"
    )
    return HealthItem(
        MONITORING,
        label,
        GOOD if recorded == len(run) and not unpriced else ATTENTION,
        f"Printing and materials are recorded for {recorded} of "
        f"{_plural(len(run), 'cohort that has', 'cohorts that have')} run; {rates}.",
    )
