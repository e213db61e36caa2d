"""The rules of cohorts: completion, catch-ups, attendance, refreshers, trainer progression and
local delivery readiness. Computed here, never typed by hand; views and reports call these."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from trainingsite.roles import FACILITATOR

from .models import Attendance, Cohort, Delivery, Membership, Trainee, TrainerStage

COMPLETED, IN_PROGRESS, PARTIAL, NOT_STARTED = "completed", "in_progress", "partial", "not_started"
COMPLETION_LABELS = {
    COMPLETED: "Completed",
    IN_PROGRESS: "In progress",
    PARTIAL: "Partial: stopped coming",
    NOT_STARTED: "Not started",
}
STOPPED_AFTER_MISSING = 2  # held sessions missed in a row, at the end, that count as stopping


class CohortError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Completion:
    trainee: Trainee
    status: str
    attended_sessions: int
    required_sessions: int
    completed_on: date | None = None
    catch_ups: tuple = ()  # SessionPage objects the cohort had and the trainee missed
    held: int = 0  # deliveries held for the cohort
    attended: int = 0  # of those, how many the trainee came to

    @property
    def label(self) -> str:
        return COMPLETION_LABELS[self.status]

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.held if self.held else None


def required_session_ids(programme) -> list[int]:
    """The programme's sessions, once each, in timetable order."""
    seen: dict[int, None] = {}
    for session in programme.sessions():
        seen.setdefault(session.pk)
    return list(seen)


def cohort_completion(cohort: Cohort) -> dict[int, Completion]:
    """Completion of every member of a cohort, by trainee id, in a fixed number of queries."""
    required = required_session_ids(cohort.programme)
    deliveries = list(cohort.deliveries.filter(status__in=Delivery.HELD).select_related("session"))
    marks: dict[tuple[int, int], str] = {
        (a.delivery_id, a.trainee_id): a.mark
        for a in Attendance.objects.filter(delivery__in=deliveries)
    }
    members = cohort.memberships.select_related("trainee")
    return {
        m.trainee_id: _completion(m.trainee, cohort, required, deliveries, marks) for m in members
    }


def completion(membership: Membership) -> Completion:
    return cohort_completion(membership.cohort)[membership.trainee_id]


def _completion(trainee: Trainee, cohort: Cohort, required, deliveries, marks) -> Completion:
    attended_sessions: dict[int, date] = {}
    came = []
    for delivery in deliveries:
        there = marks.get((delivery.pk, trainee.pk)) in Attendance.ATTENDED
        came.append(there)
        if there:
            attended_sessions.setdefault(delivery.session_id, delivery.starts_at.date())
    done = [s for s in required if s in attended_sessions]
    catch_ups = _catch_ups(deliveries, attended_sessions, required)
    figures = {
        "trainee": trainee,
        "attended_sessions": len(done),
        "required_sessions": len(required),
        "catch_ups": catch_ups,
        "held": len(deliveries),
        "attended": sum(came),
    }
    if len(done) == len(required) and required:
        finished = max(attended_sessions[s] for s in required)
        return Completion(status=COMPLETED, completed_on=finished, **figures)
    if not done and not any(came):
        return Completion(status=NOT_STARTED, **figures)
    stopped = (
        trainee.role_status == Trainee.RoleStatus.LEFT
        or cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED)
        or (len(came) >= STOPPED_AFTER_MISSING and not any(came[-STOPPED_AFTER_MISSING:]))
    )
    return Completion(status=PARTIAL if stopped else IN_PROGRESS, **figures)


def _catch_ups(deliveries, attended_sessions, required) -> tuple:
    missed = {}
    for delivery in deliveries:
        if delivery.session_id not in attended_sessions and delivery.session_id in required:
            missed.setdefault(delivery.session_id, delivery.session)
    return tuple(missed.values())


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class RefresherDue:
    trainee: Trainee
    cohort: Cohort
    completed_on: date
    due_on: date


def refreshers_due(establishment, today: date) -> list[RefresherDue]:
    """Trainees who completed a programme longer ago than its refresher period."""
    due = []
    cohorts = establishment.cohorts.select_related("programme")
    for cohort in cohorts:
        for result in cohort_completion(cohort).values():
            if result.status != COMPLETED:
                continue
            due_on = add_months(result.completed_on, cohort.programme.refresher_months)
            if due_on <= today:
                due.append(RefresherDue(result.trainee, cohort, result.completed_on, due_on))
    return sorted(due, key=lambda item: item.due_on)


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

    @property
    def signed_off_share(self) -> float:
        return self.signed_off_minutes / self.total_minutes if self.total_minutes else 0.0


def local_delivery_readiness(establishment, programme) -> Readiness:
    """How much of a programme this prison's own staff can deliver without the facilitator."""
    sessions = programme.sessions()
    staff_ids = establishment.staff.values_list("user_id", flat=True)
    best: dict[int, tuple[int, object]] = {}
    for record in TrainerStage.objects.filter(
        session__in=[s.pk for s in sessions], trainer_id__in=staff_ids
    ).select_related("trainer"):
        if record.stage > best.get(record.session_id, (0, None))[0]:
            best[record.session_id] = (record.stage, record.trainer)
    readiness = Readiness()
    for session in sessions:
        stage, trainer = best.get(session.pk, (0, None))
        readiness.sessions.append(SessionReadiness(session, trainer, stage))
        readiness.total_minutes += session.duration
        if stage == TrainerStage.Stage.SIGNED_OFF:
            readiness.signed_off_minutes += session.duration
    held_by_cohort = defaultdict(lambda: [0, 0])
    for cohort_id, led_by in Delivery.objects.filter(
        cohort__establishment=establishment, cohort__programme=programme, status__in=Delivery.HELD
    ).values_list("cohort_id", "led_by"):
        held_by_cohort[cohort_id][0] += 1
        held_by_cohort[cohort_id][1] += led_by == Delivery.LedBy.LOCAL_STAFF
    for cohort in establishment.cohorts.filter(programme=programme).order_by("start_date"):
        held, local = held_by_cohort.get(cohort.pk, (0, 0))
        readiness.cohorts.append((cohort, local / held if held else None))
    return readiness
