"""The rules of cohorts: completion, catch-ups, attendance, refreshers, trainer progression and
local delivery readiness. Computed here, never typed by hand; views and reports call these."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from courses.blocks import WORKBOOK
from courses.outline import outline, session_ids, session_ids_of
from kernel.errors import DomainError
from kernel.roles import FACILITATOR

from ..models import (
    Attendance,
    Cohort,
    Delivery,
    Membership,
    Trainee,
    TrainerStage,
)
from .catch_ups import CatchUp, catch_up_list, self_studies_of

COMPLETED, IN_PROGRESS, PARTIAL, NOT_STARTED = "completed", "in_progress", "partial", "not_started"
LEFT = "left"
COMPLETION_LABELS = {
    COMPLETED: "Completed",
    IN_PROGRESS: "In progress",
    PARTIAL: "Partial: stopped coming",
    NOT_STARTED: "Not started",
    LEFT: "Left: moved on",
}
STOPPED_AFTER_MISSING = 2  # held sessions missed in a row, at the end, that count as stopping


class CohortError(DomainError):
    """A cohort rule refused something: a register, a trainer's step, a certificate."""


@dataclass(frozen=True)
class Completion:
    trainee: Trainee
    status: str
    attended_sessions: int  # required sessions the trainee came to, as the registers say
    required_sessions: int
    completed_on: date | None = None
    catch_ups: tuple[CatchUp, ...] = ()  # missed or studied on screen, in programme order
    caught_up_sessions: int = 0  # required sessions not attended, caught up by self-study
    attended_session_ids: frozenset = frozenset()  # every session the registers say they came to
    on_register: int = 0  # held deliveries whose register lists the trainee
    attended: int = 0  # of those, how many the trainee came to
    left_on: date | None = None  # left the cohort: the role, a transfer or a release
    left_because: str = ""

    @property
    def label(self) -> str:
        if self.status == LEFT and self.left_because:
            return Membership.LeftBecause(self.left_because).label
        return COMPLETION_LABELS[self.status]

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.on_register if self.on_register else None

    @property
    def sessions_done(self) -> int:
        """Required sessions attended in the room or caught up by a confirmed self-study."""
        return self.attended_sessions + self.caught_up_sessions

    @property
    def still_to_catch_up(self) -> tuple[CatchUp, ...]:
        return tuple(c for c in self.catch_ups if not c.caught_up)

    @property
    def caught_up_by_self_study(self) -> tuple[CatchUp, ...]:
        return tuple(c for c in self.catch_ups if c.caught_up)

    @property
    def waiting_for_confirmation(self) -> tuple[CatchUp, ...]:
        return tuple(c for c in self.catch_ups if c.waiting)


def required_session_ids(programme) -> list[int]:
    """The programme's live sessions, once each, in timetable order: the outline's."""
    return session_ids(programme)


# What completion reads of a delivery: never a session's content, which is large to load.
COMPLETION_DELIVERY_FIELDS = ("cohort_id", "session_id", "starts_at", "status", "session__title")


def cohort_completion(cohort: Cohort) -> dict[int, Completion]:
    """Completion of every member of a cohort, by trainee id, in a fixed number of queries."""
    return completions_of([cohort])[cohort.pk]


def completions_of(cohorts, required_by_programme=None) -> dict[int, dict[int, Completion]]:
    """Completion of every member of each cohort, by cohort id then trainee id: five queries
    whatever the number of cohorts and trainees (the cohorts' programmes loaded with them).
    A required session counts as done when the member came to a held delivery of it, or when a
    trainer confirmed their self-study of it; the register stays the record of who was in the
    room (attendance figures read only the register). Refreshers are not part of the
    programme: attending one never changes a completion. ``required_by_programme``
    (``courses.outline.session_ids_of``) may be passed when the caller has it already."""
    cohorts = list(cohorts)
    if required_by_programme is None:
        required_by_programme = session_ids_of({c.programme for c in cohorts})
    held = (
        Delivery.objects.filter(cohort__in=cohorts, status__in=Delivery.HELD)
        .exclude(kind=Delivery.Kind.REFRESHER)
        .select_related("session")
        .only(*COMPLETION_DELIVERY_FIELDS)
    )
    deliveries = defaultdict(list)
    for delivery in held:
        deliveries[delivery.cohort_id].append(delivery)
    marks: dict[tuple[int, int], str] = {
        (delivery_id, trainee_id): mark
        for delivery_id, trainee_id, mark in Attendance.objects.filter(
            delivery__in=held
        ).values_list("delivery_id", "trainee_id", "mark")
    }
    members = defaultdict(list)
    for membership in Membership.objects.filter(cohort__in=cohorts).select_related("trainee"):
        members[membership.cohort_id].append(membership)
    studies = self_studies_of(cohorts)
    results = {}
    for cohort in cohorts:
        required = required_by_programme[cohort.programme_id]
        results[cohort.pk] = {
            m.trainee_id: _completion(
                m, cohort, required, deliveries[cohort.pk], marks, studies.get(m.pk, {})
            )
            for m in members[cohort.pk]
        }
    return results


def completion(membership: Membership) -> Completion:
    return cohort_completion(membership.cohort)[membership.trainee_id]


def _completion(
    membership: Membership, cohort: Cohort, required, deliveries, marks, studies
) -> Completion:
    trainee = membership.trainee
    attended_sessions: dict[int, date] = {}
    missed = {}
    came = []  # (there, session id) for each held delivery the trainee was on the register for
    for delivery in deliveries:
        mark = marks.get((delivery.pk, trainee.pk))
        if mark is not None:  # else not on that register: a catch-up for others, or before joining
            there = mark in Attendance.ATTENDED
            came.append((there, delivery.session_id))
            if there:
                attended_sessions.setdefault(delivery.session_id, delivery.starts_at.date())
        missed.setdefault(delivery.session_id, delivery.session)
    catch_ups = catch_up_list(required, attended_sessions, missed, studies)
    caught_up = {c.session.pk: c.talked_on for c in catch_ups if c.caught_up}
    done_on = {**caught_up, **attended_sessions}
    done = [s for s in required if s in done_on]
    figures = {
        "trainee": trainee,
        "attended_sessions": len(done) - len(caught_up),
        "required_sessions": len(required),
        "catch_ups": catch_ups,
        "caught_up_sessions": len(caught_up),
        "attended_session_ids": frozenset(attended_sessions),
        "on_register": len(came),
        "attended": sum(there for there, _ in came),
    }
    if len(done) == len(required) and required:
        finished = max(done_on[s] for s in required)
        return Completion(status=COMPLETED, completed_on=finished, **figures)
    if membership.left_on is not None:
        return Completion(
            status=LEFT, left_on=membership.left_on, left_because=membership.left_because, **figures
        )
    if not done and not figures["attended"]:
        return Completion(status=NOT_STARTED, **figures)
    recent = came[-STOPPED_AFTER_MISSING:]
    stopped = (
        trainee.role_status == Trainee.RoleStatus.LEFT
        or cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED)
        or (
            len(came) >= STOPPED_AFTER_MISSING
            and not any(there or session_id in caught_up for there, session_id in recent)
        )
    )
    return Completion(status=PARTIAL if stopped else IN_PROGRESS, **figures)


def completion_counts(results) -> dict[str, int]:
    """How many trainees are in each completion state, every state present (0 if none)."""
    counts = dict.fromkeys(COMPLETION_LABELS, 0)
    for result in results:
        counts[result.status] += 1
    return counts


def local_delivery_share(deliveries) -> float | None:
    """The share of a cohort's held deliveries that local staff led; None before any was held."""
    held = [d for d in deliveries if d.status in Delivery.HELD]
    if not held:
        return None
    return sum(d.led_by == Delivery.LedBy.LOCAL_STAFF for d in held) / len(held)


def current_stage(trainer, session) -> int:
    stages = TrainerStage.objects.filter(trainer=trainer, session=session)
    return max(stages.values_list("stage", flat=True), default=0)


@transaction.atomic
def record_trainer_stage(trainer, session, stage: int, evidence: Delivery, by) -> TrainerStage:
    """Move a member of staff forward on a session, backed by a delivery they took part in."""
    if stage == TrainerStage.Stage.SIGNED_OFF and not by.groups.filter(name=FACILITATOR).exists():
        raise CohortError("not_a_facilitator", "Only a facilitator can sign a trainer off.")
    if evidence is None or evidence.session_id != session.pk:
        raise CohortError("no_evidence", "Choose a delivery of this session as evidence.")
    if evidence.status not in Delivery.HELD:
        raise CohortError("no_evidence", "The evidence must be a delivery that took place.")
    took_part = (
        evidence.lead_trainer_id == trainer.pk
        or evidence.co_trainers.filter(pk=trainer.pk).exists()
    )
    if not took_part and stage != TrainerStage.Stage.OBSERVED:
        raise CohortError("no_evidence", "The trainer did not lead or co-deliver that delivery.")
    now = current_stage(trainer, session)
    if stage <= now:
        raise CohortError("not_forward", "A trainer only moves forward, one stage at a time.")
    if stage != now + 1:
        raise CohortError("skips_a_stage", "A trainer moves one stage at a time.")
    return TrainerStage.objects.create(
        trainer=trainer, session=session, stage=stage, evidence=evidence, recorded_by=by
    )


@dataclass
class SessionReadiness:
    session: object
    trainer: object | None = None
    stage: int = 0

    @property
    def stage_label(self) -> str:
        return TrainerStage.Stage(self.stage).label if self.stage else "No local trainer yet"


@dataclass
class Readiness:
    sessions: list[SessionReadiness] = field(default_factory=list)
    signed_off_minutes: int = 0
    total_minutes: int = 0
    cohorts: list[tuple[Cohort, float | None]] = field(default_factory=list)
    trainers: dict = field(default_factory=dict)  # local trainer -> {session id: stage}

    @property
    def signed_off_share(self) -> float:
        return self.signed_off_minutes / self.total_minutes if self.total_minutes else 0.0


def local_trainer_ids(establishment):
    """The establishment's own staff: its staff profiles, less visiting facilitators."""
    return establishment.staff.exclude(user__groups__name=FACILITATOR).values_list(
        "user_id", flat=True
    )


def local_delivery_readiness(establishment, programme) -> Readiness:
    """How much of a programme this prison's own staff can deliver without the facilitator,
    and, for every cohort the prison has run (of any programme), the share of its held
    sessions that local staff led: the shift from one cohort to the next."""
    sessions = [item.session for item in outline(programme, WORKBOOK, "title", "duration").sessions]
    staff_ids = local_trainer_ids(establishment)
    best: dict[int, tuple[int, object]] = {}
    readiness = Readiness()
    for record in TrainerStage.objects.filter(
        session__in=[s.pk for s in sessions], trainer_id__in=staff_ids
    ).select_related("trainer"):
        if record.stage > best.get(record.session_id, (0, None))[0]:
            best[record.session_id] = (record.stage, record.trainer)
        stages = readiness.trainers.setdefault(record.trainer, {})
        stages[record.session_id] = max(stages.get(record.session_id, 0), record.stage)
    for session in sessions:
        stage, trainer = best.get(session.pk, (0, None))
        readiness.sessions.append(SessionReadiness(session, trainer, stage))
        readiness.total_minutes += session.duration
        if stage == TrainerStage.Stage.SIGNED_OFF:
            readiness.signed_off_minutes += session.duration
    held_by_cohort = defaultdict(lambda: [0, 0])
    for cohort_id, led_by in Delivery.objects.filter(
        cohort__establishment=establishment, status__in=Delivery.HELD
    ).values_list("cohort_id", "led_by"):
        held_by_cohort[cohort_id][0] += 1
        held_by_cohort[cohort_id][1] += led_by == Delivery.LedBy.LOCAL_STAFF
    for cohort in establishment.cohorts.select_related("programme").order_by("start_date"):
        held, local = held_by_cohort.get(cohort.pk, (0, 0))
        readiness.cohorts.append((cohort, local / held if held else None))
    return readiness


# --- Registers ---

REMARK_LENGTH = Attendance._meta.get_field("remark").max_length
DISRUPTION_REASON_LENGTH = Delivery._meta.get_field("disruption_reason").max_length


@dataclass(frozen=True)
class RegisterMark:
    """One trainee's line of a register, as the trainer gave it."""

    trainee_id: int
    mark: str = Attendance.Mark.PRESENT
    absence_reason: str = ""
    remark: str = ""


@dataclass(frozen=True)
class DeliveryOutcome:
    """How the session went, as the trainer records it with the register. ``None`` keeps the
    delivery's current value."""

    status: str = Delivery.Status.DELIVERED
    disruption_reason: str = ""
    led_by: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class RegisterProblem:
    code: str
    message: str
    trainee_id: int | None = None  # None: the problem is with the outcome
    field: str = "mark"  # mark, absence_reason, remark; status, disruption_reason, led_by


class RegisterError(CohortError):
    """Everything wrong with a register at once, so the trainer can fix it in one go."""

    def __init__(self, problems: list[RegisterProblem]):
        super().__init__(problems[0].code, problems[0].message)
        self.problems = problems


def register_trainees(delivery: Delivery):
    """Who is on the register: the cohort's members who had joined and not left by that day
    (a catch-up lists only those who still need its session), and any member who already has
    a mark for this delivery. One query."""
    day = timezone.localdate(delivery.starts_at)
    members = Trainee.objects.filter(memberships__cohort_id=delivery.cohort_id)
    current = (
        Membership.objects.filter(cohort_id=delivery.cohort_id)
        .exclude(joined_on__gt=day)
        .exclude(left_on__lte=day)
        .values("trainee_id")
    )
    expected = members.filter(pk__in=current).exclude(role_status=Trainee.RoleStatus.LEFT)
    if delivery.kind == Delivery.Kind.CATCH_UP:
        done = (
            Attendance.objects.filter(
                delivery__cohort_id=delivery.cohort_id,
                delivery__session_id=delivery.session_id,
                delivery__status__in=Delivery.HELD,
                mark__in=Attendance.ATTENDED,
            )
            .exclude(delivery_id=delivery.pk)
            .values("trainee_id")
        )
        expected = expected.exclude(pk__in=done)
    marked = Attendance.objects.filter(delivery=delivery).values("trainee_id")
    return expected | members.filter(pk__in=marked)


def register_problems(
    delivery: Delivery, marks: list[RegisterMark], outcome: DeliveryOutcome | None = None
) -> list[RegisterProblem]:
    """What stops this register from being saved: one query, whatever the number of marks."""
    problems: list[RegisterProblem] = []
    ids = [m.trainee_id for m in marks]
    names = dict(
        Membership.objects.filter(cohort_id=delivery.cohort_id, trainee_id__in=ids).values_list(
            "trainee_id", "trainee__display_name"
        )
    )
    seen: set[int] = set()
    for m in marks:
        name = names.get(m.trainee_id)
        if name is None:
            problems.append(
                RegisterProblem(
                    "not_a_member", "Someone on this register is not in the cohort.", m.trainee_id
                )
            )
            continue
        if m.trainee_id in seen:
            problems.append(
                RegisterProblem("twice", f"{name} is on the register twice.", m.trainee_id)
            )
        seen.add(m.trainee_id)
        if m.mark not in Attendance.Mark.values:
            problems.append(
                RegisterProblem(
                    "invalid_mark",
                    f"Mark {name} present, late, left early or absent.",
                    m.trainee_id,
                )
            )
        elif m.mark == Attendance.Mark.ABSENT and m.absence_reason not in (
            Attendance.AbsenceReason.values
        ):
            problems.append(
                RegisterProblem(
                    "absence_without_reason",
                    f"Choose why {name} was absent.",
                    m.trainee_id,
                    "absence_reason",
                )
            )
        elif m.mark != Attendance.Mark.ABSENT and m.absence_reason:
            problems.append(
                RegisterProblem(
                    "reason_without_absence",
                    f"Only an absence has a reason: {name} is not marked absent.",
                    m.trainee_id,
                    "absence_reason",
                )
            )
        if len(m.remark) > REMARK_LENGTH:
            problems.append(
                RegisterProblem(
                    "remark_too_long",
                    f"The remark about {name} must be {REMARK_LENGTH} characters or fewer.",
                    m.trainee_id,
                    "remark",
                )
            )
    if outcome is not None:
        problems += _outcome_problems(outcome)
    return problems


def _outcome_problems(outcome: DeliveryOutcome) -> list[RegisterProblem]:
    problems = []
    if outcome.status not in Delivery.HELD:
        problems.append(
            RegisterProblem(
                "invalid_status",
                "Say whether the session was delivered or disrupted.",
                None,
                "status",
            )
        )
    elif outcome.status == Delivery.Status.DISRUPTED and not outcome.disruption_reason.strip():
        problems.append(
            RegisterProblem(
                "disruption_without_reason",
                "Say what disrupted the session.",
                None,
                "disruption_reason",
            )
        )
    if len(outcome.disruption_reason) > DISRUPTION_REASON_LENGTH:
        problems.append(
            RegisterProblem(
                "disruption_reason_too_long",
                f"What disrupted the session must be {DISRUPTION_REASON_LENGTH} characters or "
                "fewer.",
                None,
                "disruption_reason",
            )
        )
    if outcome.led_by is not None and outcome.led_by not in Delivery.LedBy.values:
        problems.append(
            RegisterProblem(
                "invalid_led_by",
                "Say who led the session: the visiting facilitator or local staff.",
                None,
                "led_by",
            )
        )
    return problems


def save_register(
    delivery: Delivery,
    marks: list[RegisterMark],
    by,
    *,
    from_paper: bool = False,
    outcome: DeliveryOutcome | None = None,
) -> Delivery:
    """Record one mark per trainee for a delivery, and how it went, all or nothing.

    A planned delivery whose register is saved becomes delivered unless ``outcome`` says
    otherwise. The number of queries does not grow with the number of trainees. Raises
    ``RegisterError`` (a ``CohortError``) listing every problem, and saves nothing then.
    """
    problems = register_problems(delivery, marks, outcome)
    if problems:
        raise RegisterError(problems)
    with transaction.atomic():
        Attendance.objects.bulk_create(
            [
                Attendance(
                    delivery=delivery,
                    trainee_id=m.trainee_id,
                    mark=m.mark,
                    absence_reason=m.absence_reason if m.mark == Attendance.Mark.ABSENT else "",
                    remark=m.remark.strip(),
                    from_paper=from_paper,
                    recorded_by=by,
                )
                for m in marks
            ],
            update_conflicts=True,
            unique_fields=["delivery", "trainee"],
            update_fields=[
                "mark",
                "absence_reason",
                "remark",
                "from_paper",
                "recorded_by",
                "recorded_at",
            ],
        )
        changed = _apply_outcome(delivery, outcome)
        if changed:
            # An update, not save(): no signal handler (Wagtail's reference index) runs its own
            # queries for fields that refer to nothing.
            Delivery.objects.filter(pk=delivery.pk).update(
                **{name: getattr(delivery, name) for name in changed}
            )
    return delivery


def _apply_outcome(delivery: Delivery, outcome: DeliveryOutcome | None) -> list[str]:
    if outcome is None:
        if delivery.status != Delivery.Status.PLANNED:
            return []
        delivery.status = Delivery.Status.DELIVERED
        return ["status"]
    delivery.status = outcome.status
    delivery.disruption_reason = (
        outcome.disruption_reason.strip() if outcome.status == Delivery.Status.DISRUPTED else ""
    )
    changed = ["status", "disruption_reason"]
    if outcome.led_by is not None:
        delivery.led_by = outcome.led_by
        changed.append("led_by")
    if outcome.notes is not None:
        delivery.notes = outcome.notes.strip()
        changed.append("notes")
    return changed
