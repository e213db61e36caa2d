"""Scoring, figures and costs for the evaluation reports. Computed here from the records,
never typed or stored; views, PDFs and exports call these."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, prefetch_related_objects

from cohorts.models import (
    SHADOWING_MINIMUM,
    Attendance,
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
    local_delivery_share,
    refresher_dates,
)
from journals.models import SupervisionMeeting
from journals.services import supervision_interval, supervision_overdue
from trainingsite.errors import DomainError
from trainingsite.roles import FACILITATOR

from .models import (
    Answer,
    CohortCosts,
    HourlyCost,
    Item,
    ParticipantCode,
    Questionnaire,
    Response,
    TimePoint,
)
from .questionnaires import QUESTIONNAIRES


class EvaluationError(DomainError):
    """A response or figure the evaluation rules refuse."""


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
    code: str = ""  # the trainee's participant code: what reports show instead of a name

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
    answered_before: int = 0  # members with a score at the first time point, paired or not
    answered_after: int = 0  # members with a score at the second time point, paired or not

    @property
    def n(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class CostBreakdown:
    hours_by_role: dict  # role label -> hours of trainer time (Decimal, 2 places)
    trainer_cost: Decimal
    printing: Decimal
    materials: Decimal
    completers: int
    cost_by_role: dict = field(default_factory=dict)  # role label -> Decimal pounds
    unpriced_roles: tuple[str, ...] = ()  # role labels with hours but no hourly cost set
    costs_recorded: bool = False  # the cohort's printing and materials have been entered

    @property
    def total(self) -> Decimal:
        return self.trainer_cost + self.printing + self.materials

    @property
    def per_completer(self) -> Decimal | None:
        if not self.completers:
            return None
        return (self.total / self.completers).quantize(PENNY, ROUND_HALF_UP)


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


@dataclass(frozen=True)
class HealthItem:
    """One line of the scheme-health checklist, with the evidence the data gives for it."""

    area: str  # one of HEALTH_AREAS
    label: str
    status: str  # "good", "attention", "no_data"
    evidence: str


PENNY = Decimal("0.01")
MINUTES_PER_HOUR = Decimal(60)


# --- Scores -----------------------------------------------------------------------------------


def _scored_items(questionnaire: Questionnaire) -> list[Item]:
    return [i for i in questionnaire.items.all() if i.kind == Item.Kind.RATING and i.in_score]


def _score(questionnaire: Questionnaire, scored_items: list[Item], choices: dict) -> int | None:
    """``choices``: item id -> choice index (or None). The scale score, or None."""
    if not questionnaire.scale_name or not scored_items:
        return None
    lowest, highest = questionnaire.lowest_score, questionnaire.highest_score
    total = 0
    for item in scored_items:
        choice = choices.get(item.pk)
        if choice is None or not 0 <= choice < len(questionnaire.choices):
            return None
        value = lowest + choice
        total += (lowest + highest) - value if item.reverse_scored else value
    return total


def scale_score(response: Response) -> int | None:
    """The response's score on its questionnaire's scale: each scored rating item's value
    (lowest_score + choice index), reversed for reverse-scored items as (lowest_score +
    highest_score) - value; None if any scored item is unanswered or the questionnaire has no
    scale. Uses ``questionnaire.items.all()`` and ``answers.all()``, so prefetch both."""
    questionnaire = response.questionnaire
    if not questionnaire.scale_name:
        return None
    choices = {answer.item_id: answer.choice for answer in response.answers.all()}
    return _score(questionnaire, _scored_items(questionnaire), choices)


def spread(values) -> Spread:
    """n, mean, median, sample standard deviation (None for fewer than 2), lowest, highest."""
    values = [float(v) for v in values]
    if not values:
        return Spread(0)
    return Spread(
        n=len(values),
        mean=statistics.fmean(values),
        median=float(statistics.median(values)),
        sd=statistics.stdev(values) if len(values) >= 2 else None,
        low=min(values),
        high=max(values),
    )


def paired_change(
    cohort: Cohort, questionnaire: Questionnaire, before: str = "before", after: str = "end"
) -> PairedChange:
    """The scale's scores of the cohort's members who answered at both time points (the
    latest scored response of each, if several), sorted by participant code, never by name.
    Only responses recorded against this cohort count."""
    return _paired_changes(cohort, [questionnaire], before, after)[0]


def _paired_changes(cohort: Cohort, questionnaires, before: str, after: str) -> list:
    """paired_change for several questionnaires in a fixed number of queries."""
    if before not in TimePoint.values or after not in TimePoint.values or before == after:
        raise EvaluationError("unknown_time_points", "Choose two different time points to compare.")
    if not questionnaires:
        return []
    prefetch_related_objects(
        questionnaires, Prefetch("items", queryset=Item.objects.order_by("sort_order"))
    )
    by_pk = {q.pk: q for q in questionnaires}
    scored = {q.pk: _scored_items(q) for q in questionnaires}
    responses = (
        Response.objects.filter(
            cohort=cohort,
            questionnaire__in=list(by_pk),
            time_point__in=(before, after),
            trainee__memberships__cohort=cohort,
        )
        .select_related("trainee")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.only("response_id", "item_id", "choice"))
        )
        .order_by("completed_on", "created_at", "pk")
    )
    scores: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)  # (q, time) -> trainee
    trainees: dict[int, Trainee] = {}
    for response in responses:
        questionnaire = by_pk[response.questionnaire_id]
        choices = {answer.item_id: answer.choice for answer in response.answers.all()}
        score = _score(questionnaire, scored[questionnaire.pk], choices)
        if score is None:
            continue
        scores[(questionnaire.pk, response.time_point)][response.trainee_id] = score  # latest
        trainees[response.trainee_id] = response.trainee
    paired = {
        q.pk: scores[(q.pk, before)].keys() & scores[(q.pk, after)].keys() for q in questionnaires
    }
    codes = participant_codes(set().union(*paired.values()))
    changes = []
    for questionnaire in questionnaires:
        firsts, seconds = scores[(questionnaire.pk, before)], scores[(questionnaire.pk, after)]
        rows = sorted(
            (
                PairedRow(trainees[pk], firsts[pk], seconds[pk], codes[pk])
                for pk in paired[questionnaire.pk]
            ),
            key=lambda row: row.code,
        )
        changes.append(
            PairedChange(
                questionnaire=questionnaire,
                rows=tuple(rows),
                before=spread(row.before for row in rows),
                after=spread(row.after for row in rows),
                change=spread(row.change for row in rows),
                answered_before=len(firsts),
                answered_after=len(seconds),
            )
        )
    return changes


def outcome_scales() -> list[Questionnaire]:
    """The trainees' scales given both before the programme and at its end."""
    return [
        q
        for q in Questionnaire.objects.exclude(scale_name="").filter(
            audience=Questionnaire.Audience.TRAINEE
        )
        if TimePoint.BEFORE in q.time_points and TimePoint.END in q.time_points
    ]


# --- Participant codes ------------------------------------------------------------------------


def participant_code(trainee: Trainee) -> str:
    """The trainee's participant code, made the first time it is asked for and kept. Safe when
    two requests make it at once; a random code drawn twice is drawn again."""
    for _ in range(5):
        try:
            code, _ = ParticipantCode.objects.get_or_create(trainee=trainee)
            return code.code
        except IntegrityError:  # the random code is someone else's: draw again
            continue
    raise EvaluationError("no_code", "No free participant code was found. Try again.")


def participant_codes(trainees) -> dict[int, str]:
    """Participant codes by trainee id for many trainees (or trainee ids) at once, making the
    missing ones: one query when all exist, three when some are new."""
    ids = {t.pk if isinstance(t, Trainee) else t for t in trainees}
    if not ids:
        return {}
    known = ParticipantCode.objects.filter(trainee_id__in=ids).values_list("trainee_id", "code")
    codes = dict(known)
    missing = ids - codes.keys()
    if missing:
        ParticipantCode.objects.bulk_create(
            [ParticipantCode(trainee_id=pk) for pk in sorted(missing)], ignore_conflicts=True
        )
        made = ParticipantCode.objects.filter(trainee_id__in=missing)
        codes.update(made.values_list("trainee_id", "code"))
        for pk in missing - codes.keys():  # its random code was taken: draw again
            codes[pk] = participant_code(Trainee(pk=pk))
    return codes


# --- Cost -------------------------------------------------------------------------------------

VISITING_FACILITATOR = "visiting_facilitator"
ROLE_NOT_RECORDED = "not_recorded"
ROLE_LABELS = {**dict(HourlyCost.ROLES), ROLE_NOT_RECORDED: "Trainer's role not recorded"}


@dataclass(frozen=True)
class _DeliveryFacts:
    pk: int
    status: str
    led_by: str
    lead_trainer_id: int | None
    minutes: int


def _delivery_facts(cohort: Cohort) -> list[_DeliveryFacts]:
    rows = Delivery.objects.filter(cohort=cohort).values_list(
        "pk", "status", "led_by", "lead_trainer_id", "session__duration"
    )
    return [_DeliveryFacts(*row[:4], minutes=row[4] or 0) for row in rows]


def trainer_roles(user_ids) -> dict[int, str]:
    """How each trainer's time is priced: "visiting_facilitator" for a member of the
    Facilitator group, else their StaffProfile discipline, else "not_recorded". One query."""
    User = get_user_model()
    in_group = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=FACILITATOR)
    rows = (
        User.objects.filter(pk__in=list(user_ids))
        .annotate(is_facilitator=Exists(in_group))
        .values_list("pk", "is_facilitator", "staff_profile__discipline")
    )
    return {
        pk: VISITING_FACILITATOR if facilitator else (discipline or ROLE_NOT_RECORDED)
        for pk, facilitator, discipline in rows
    }


def _cost(cohort: Cohort, deliveries: list[_DeliveryFacts], completers: int) -> CostBreakdown:
    held = [d for d in deliveries if d.status in Delivery.HELD]
    co_trainers = defaultdict(set)
    for delivery_id, user_id in Delivery.co_trainers.through.objects.filter(
        delivery__cohort=cohort, delivery__status__in=Delivery.HELD
    ).values_list("delivery_id", "user_id"):
        co_trainers[delivery_id].add(user_id)
    trainers = {d.pk: ({d.lead_trainer_id} | co_trainers[d.pk]) - {None} for d in held}
    roles = trainer_roles(set().union(*trainers.values())) if held else {}
    minutes_by_role: Counter = Counter()
    for delivery in held:
        if delivery.lead_trainer_id is None:  # who led is known only as "facilitator" or not
            unnamed = (
                VISITING_FACILITATOR
                if delivery.led_by == Delivery.LedBy.VISITING_FACILITATOR
                else ROLE_NOT_RECORDED
            )
            minutes_by_role[unnamed] += delivery.minutes
        for user_id in trainers[delivery.pk]:
            minutes_by_role[roles.get(user_id, ROLE_NOT_RECORDED)] += delivery.minutes
    rates = dict(HourlyCost.objects.values_list("role", "pounds_per_hour"))
    hours, costs, unpriced = {}, {}, []
    for role in ROLE_LABELS:  # in the order of HourlyCost.ROLES
        minutes = minutes_by_role.get(role, 0)
        if not minutes:
            continue
        label = ROLE_LABELS[role]
        hours[label] = (Decimal(minutes) / MINUTES_PER_HOUR).quantize(PENNY)
        rate = rates.get(role)
        if rate is None:
            unpriced.append(label)
            costs[label] = Decimal("0.00")
        else:
            costs[label] = (rate * minutes / MINUTES_PER_HOUR).quantize(PENNY, ROUND_HALF_UP)
    extras = CohortCosts.objects.filter(cohort=cohort).first()
    return CostBreakdown(
        hours_by_role=hours,
        trainer_cost=sum(costs.values(), Decimal("0.00")),
        printing=extras.printing if extras else Decimal("0.00"),
        materials=extras.materials if extras else Decimal("0.00"),
        completers=completers,
        cost_by_role=costs,
        unpriced_roles=tuple(unpriced),
        costs_recorded=extras is not None,
    )


def cost_of(cohort: Cohort) -> CostBreakdown:
    """Trainer hours of every held delivery (session length x each trainer: lead and
    co-trainers, priced by role: the visiting facilitator's rate for facilitators, else their
    staff discipline's) times HourlyCost, plus the cohort's printing and materials. A role with
    no hourly cost counts its hours at £0 and is named in ``unpriced_roles``."""
    counts = completion_counts(cohort_completion(cohort).values())
    return _cost(cohort, _delivery_facts(cohort), counts[COMPLETED])


# --- A cohort's figures -------------------------------------------------------------------------


def cohort_figures(cohort: Cohort) -> CohortFigures:
    """Everything the cohort report shows, in a number of queries that does not grow with the
    number of trainees."""
    results = cohort_completion(cohort)
    counts = completion_counts(results.values())
    members = len(results)
    on_register = sum(r.on_register for r in results.values())
    attended = sum(r.attended for r in results.values())
    deliveries = _delivery_facts(cohort)
    return CohortFigures(
        cohort=cohort,
        members=members,
        completion_counts=counts,
        completion_rate=counts[COMPLETED] / members if members else None,
        attendance_rate=attended / on_register if on_register else None,
        absence_reasons=absence_reasons(cohort),
        local_delivery_share=local_delivery_share(deliveries),
        outcomes=tuple(_paired_changes(cohort, outcome_scales(), TimePoint.BEFORE, TimePoint.END)),
        cost=_cost(cohort, deliveries, counts[COMPLETED]),
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


# --- Scheme health ----------------------------------------------------------------------------

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
    changes = _paired_changes(cohort, scales, TimePoint.BEFORE, TimePoint.END)
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
        breakdowns.append(_cost(cohort, _delivery_facts(cohort), completers))
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


# --- Responses ----------------------------------------------------------------------------
# What a trainee is asked to fill in, and saving an answered questionnaire, on screen or keyed
# in from paper.

JUST_STARTED_DAYS = 14  # "before" stays open this long after a cohort's first held session
FOLLOW_UP_MONTHS = 3
SESSION_FEEDBACK_DAYS = 14  # how long after a session its feedback can be given


@dataclass(frozen=True)
class Due:
    """One questionnaire a trainee is asked to fill in now."""

    questionnaire: Questionnaire
    cohort: Cohort
    time_point: str
    delivery: Delivery | None = None

    @property
    def time_point_label(self) -> str:
        return TimePoint(self.time_point).label

    @property
    def query(self) -> dict[str, str]:
        """The fill-in page's query string for this questionnaire."""
        query = {"cohort": str(self.cohort.pk), "time_point": self.time_point}
        if self.delivery is not None:
            query["delivery"] = str(self.delivery.pk)
        return query


def _cohort_time_points(cohort: Cohort, status: str | None, held: list, today: date) -> set:
    """The programme-level time points open for one member of ``cohort`` today."""
    from cohorts.services import add_months

    open_now = set()
    finished = cohort.status == Cohort.Status.FINISHED
    if cohort.status == Cohort.Status.CANCELLED:
        return open_now
    first = held[0].starts_at.date() if held else None
    if not finished and (first is None or today <= first + timedelta(days=JUST_STARTED_DAYS)):
        open_now.add(TimePoint.BEFORE)
    if status == COMPLETED or finished:
        last = held[-1].starts_at.date() if held else None
        if last is not None and today >= add_months(last, FOLLOW_UP_MONTHS):
            open_now.add(TimePoint.FOLLOW_UP)
        else:
            open_now.add(TimePoint.END)
    return open_now


def questionnaires_due(trainee: Trainee, today: date) -> list[Due]:
    """What ``trainee`` is asked to fill in today, for each of their cohorts, leaving out what
    they have answered: "before" until two weeks after the cohort's first session; "end" once
    they completed or the cohort finished, until the follow-up is due three months after its
    last session; feedback on each session they came to in the last two weeks."""
    questionnaires = list(
        Questionnaire.objects.filter(audience=Questionnaire.Audience.TRAINEE).order_by("title")
    )
    if not questionnaires:
        return []
    answered = set(
        Response.objects.filter(trainee=trainee).values_list(
            "questionnaire_id", "cohort_id", "time_point", "delivery_id"
        )
    )
    due = []
    memberships = trainee.memberships.select_related("cohort__programme", "cohort__establishment")
    for membership in memberships:
        cohort = membership.cohort
        held = list(
            cohort.deliveries.filter(status__in=Delivery.HELD)
            .select_related("session")
            .order_by("starts_at")
        )
        status = cohort_completion(cohort)[trainee.pk].status if held else None
        open_now = _cohort_time_points(cohort, status, held, today)
        attended = set(
            Attendance.objects.filter(
                trainee=trainee, delivery__in=held, mark__in=Attendance.ATTENDED
            ).values_list("delivery_id", flat=True)
        )
        recent = [
            d
            for d in held
            if d.pk in attended
            and today - timedelta(days=SESSION_FEEDBACK_DAYS) <= d.starts_at.date() <= today
        ]
        for questionnaire in questionnaires:
            for time_point in questionnaire.time_points:
                if time_point == TimePoint.AFTER_SESSION:
                    due += [
                        Due(questionnaire, cohort, time_point, delivery)
                        for delivery in reversed(recent)
                        if (questionnaire.pk, cohort.pk, time_point, delivery.pk) not in answered
                    ]
                elif time_point in open_now:
                    if (questionnaire.pk, cohort.pk, time_point, None) not in answered:
                        due.append(Due(questionnaire, cohort, time_point))
    return due


def already_answered(
    trainee: Trainee,
    questionnaire: Questionnaire,
    *,
    cohort_id: int | None,
    time_point: str,
    delivery_id: int | None,
) -> bool:
    """One response per trainee, questionnaire, cohort, time point and session."""
    return Response.objects.filter(
        trainee=trainee,
        questionnaire=questionnaire,
        cohort_id=cohort_id,
        time_point=time_point,
        delivery_id=delivery_id,
    ).exists()


def find_due(
    trainee: Trainee,
    questionnaire: Questionnaire,
    today: date,
    *,
    cohort_id: int,
    time_point: str,
    delivery_id: int | None = None,
) -> Due | None:
    """The one due questionnaire these say, or None when it is not due (or not theirs)."""
    for item in questionnaires_due(trainee, today):
        if (
            item.questionnaire.pk == questionnaire.pk
            and item.cohort.pk == cohort_id
            and item.time_point == time_point
            and (item.delivery.pk if item.delivery else None) == delivery_id
        ):
            return item
    return None


@transaction.atomic
def record_response(
    questionnaire: Questionnaire,
    answers: dict[int, int | str | None],
    *,
    trainee: Trainee | None = None,
    establishment: Establishment,
    cohort: Cohort | None = None,
    delivery: Delivery | None = None,
    time_point: str,
    completed_on: date,
    entered_by=None,
    from_paper: bool = False,
) -> Response:
    """Save one filled-in questionnaire. ``answers`` maps item ids to a choice index (rating
    items) or text (free-text items); every rating item needs an answer, free text may be left
    empty. A trainee's response belongs to one of their cohorts; a response from a person
    receiving support names nobody. Raises ``EvaluationError`` with a code."""
    if time_point not in questionnaire.time_points:
        raise EvaluationError(
            "time_point_not_offered", "This questionnaire is not given at that time."
        )
    supported = questionnaire.audience == Questionnaire.Audience.SUPPORTED
    if supported and (trainee is not None or cohort is not None):
        raise EvaluationError("anonymous_form", "This form is filled in without a name.")
    if not supported and trainee is None:
        raise EvaluationError("no_trainee", "Say whose answers these are.")
    if trainee is not None:
        if trainee.establishment_id != establishment.pk:
            raise EvaluationError("wrong_establishment", "The trainee is at another prison.")
        if cohort is None or not cohort.memberships.filter(trainee=trainee).exists():
            raise EvaluationError("not_in_cohort", "Choose a cohort the trainee is in.")
    if time_point == TimePoint.AFTER_SESSION:
        if delivery is None or cohort is None or delivery.cohort_id != cohort.pk:
            raise EvaluationError("no_session", "Choose the session this feedback is about.")
        if delivery.status not in Delivery.HELD:
            raise EvaluationError("no_session", "That session has not taken place.")
    elif delivery is not None:
        raise EvaluationError("no_session", "Only session feedback is about one session.")
    if trainee is not None and already_answered(
        trainee,
        questionnaire,
        cohort_id=cohort.pk if cohort else None,
        time_point=time_point,
        delivery_id=delivery.pk if delivery else None,
    ):
        raise EvaluationError("already_answered", "These answers are already saved for that time.")

    items = {item.pk: item for item in questionnaire.items.all()}
    unknown = set(answers) - set(items)
    if unknown:
        raise EvaluationError("unknown_item", "An answer is for a question not on this form.")
    rows = []
    for pk, item in items.items():
        value = answers.get(pk)
        if item.kind == Item.Kind.RATING:
            if value is None or value == "":
                raise EvaluationError("missing_answer", f"Choose an answer for “{item.text}”.")
            if isinstance(value, bool) or not isinstance(value, int):
                raise EvaluationError("choice_out_of_range", "An answer is not one of the choices.")
            if not 0 <= value < len(questionnaire.choices):
                raise EvaluationError("choice_out_of_range", "An answer is not one of the choices.")
            rows.append(Answer(item=item, choice=value))
        else:
            text = (value or "").strip() if isinstance(value, str) else ""
            if value is not None and not isinstance(value, str):
                raise EvaluationError("not_text", "A written answer must be text.")
            if text:
                rows.append(Answer(item=item, text=text))
    response = Response.objects.create(
        questionnaire=questionnaire,
        establishment=establishment,
        trainee=trainee,
        cohort=cohort,
        delivery=delivery,
        time_point=time_point,
        completed_on=completed_on,
        from_paper=from_paper,
        entered_by=entered_by,
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response
