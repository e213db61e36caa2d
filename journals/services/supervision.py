"""Supervision: meetings with peer workers (who was there, how each was doing, the notes only
that peer worker and the supervisor may read, the actions agreed) and who is overdue a meeting."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q

from cohorts.access import staff_establishments
from cohorts.models import Establishment, Trainee
from kernel import clock
from kernel.errors import DomainError

from ..models import (
    SupervisionAction,
    SupervisionAttendee,
    SupervisionMeeting,
)
from ..rendering import too_long_message

WELLBEING_LABELS = {
    1: "Struggling",
    2: "Finding things hard",
    3: "Getting by",
    4: "Doing OK",
    5: "Doing well",
}
SUPERVISED_ROLES = (Trainee.RoleStatus.ACTIVE, Trainee.RoleStatus.ASPIRING)


class SupervisionError(DomainError):
    """A supervision meeting that cannot be recorded as it is."""


@dataclass(frozen=True)
class AttendeeRecord:
    trainee: Trainee
    wellbeing: int | None
    notes: str = ""


@dataclass(frozen=True)
class ActionRecord:
    text: str
    due_on: datetime.date | None = None
    trainee: Trainee | None = None  # whose action; None for the whole group


def supervisable_workers(establishment: Establishment):
    """The peer workers a supervisor may meet at this prison: active or aspiring."""
    return Trainee.objects.filter(establishment=establishment, role_status__in=SUPERVISED_ROLES)


def record_meeting(
    *,
    establishment: Establishment,
    supervisor,
    held_on: datetime.date,
    kind: str,
    framework: str = "",
    attendees: list[AttendeeRecord],
    actions: list[ActionRecord] = (),
    today: datetime.date | None = None,
) -> SupervisionMeeting:
    """Save a supervision meeting with its attendees and actions, or raise SupervisionError."""
    today = today or clock.today()
    if held_on > today:
        raise SupervisionError("in_the_future", "The meeting date cannot be in the future.")
    if kind not in SupervisionMeeting.Kind.values:
        raise SupervisionError("unknown_kind", "Choose the kind of meeting.")
    if not attendees:
        raise SupervisionError("nobody_there", "Choose who was at the meeting.")
    if kind == SupervisionMeeting.Kind.ONE_TO_ONE and len(attendees) != 1:
        raise SupervisionError(
            "one_to_one_needs_one", "A one-to-one meeting is with one peer worker."
        )
    allowed = set(supervisable_workers(establishment).values_list("pk", flat=True))
    present = set()
    for attendee in attendees:
        if attendee.trainee.pk not in allowed:
            raise SupervisionError(
                "not_a_peer_worker_here", "Choose peer workers of this prison only."
            )
        if attendee.wellbeing not in WELLBEING_LABELS:
            raise SupervisionError(
                "wellbeing_out_of_range",
                f"Choose how {attendee.trainee.display_name} is doing, from 1 to 5.",
            )
        if message := too_long_message(
            attendee.notes, f"the notes about {attendee.trainee.display_name}"
        ):
            raise SupervisionError("too_long", message)
        present.add(attendee.trainee.pk)
    if len(present) != len(attendees):
        raise SupervisionError("listed_twice", "Each peer worker is listed once.")
    for action in actions:
        if not action.text.strip():
            raise SupervisionError("empty_action", "Write what the action is.")
        if action.trainee is not None and action.trainee.pk not in present:
            raise SupervisionError(
                "action_for_someone_absent", "An action can only be for someone who was there."
            )
    with transaction.atomic():
        meeting = SupervisionMeeting.objects.create(
            establishment=establishment,
            supervisor=supervisor,
            held_on=held_on,
            kind=kind,
            framework=framework,
        )
        rows = {
            a.trainee.pk: SupervisionAttendee.objects.create(
                meeting=meeting, trainee=a.trainee, wellbeing=a.wellbeing, notes=a.notes
            )
            for a in attendees
        }
        for action in actions:
            SupervisionAction.objects.create(
                meeting=meeting,
                attendee=rows[action.trainee.pk] if action.trainee else None,
                text=action.text.strip(),
                due_on=action.due_on,
            )
    return meeting


def meetings_recorded_by(supervisor):
    """The meetings this member of staff led, at the prisons they still work in."""
    return SupervisionMeeting.objects.filter(
        supervisor=supervisor, establishment__in=staff_establishments(supervisor)
    )


def attendances_of(trainee: Trainee):
    """A peer worker's own rows of the meetings they were at, newest first."""
    return (
        SupervisionAttendee.objects.filter(trainee=trainee)
        .select_related("meeting__supervisor")
        .order_by("-meeting__held_on", "-meeting__created_at")
    )


def can_complete(user, action: SupervisionAction) -> bool:
    """The supervisor may tick off any action of their meeting; a peer worker their own."""
    if action.meeting.supervisor_id == user.pk:
        return True
    return action.attendee is not None and action.attendee.trainee.user_id == user.pk


def complete_action(user, action: SupervisionAction) -> SupervisionAction:
    if not can_complete(user, action):
        raise SupervisionError("not_yours", "Only the supervisor or the peer worker can do this.")
    action.done = True
    action.save(update_fields=["done"])
    return action


def is_overdue(action: SupervisionAction, today: datetime.date) -> bool:
    return not action.done and action.due_on is not None and action.due_on < today


@dataclass(frozen=True)
class OverdueSupervision:
    trainee: Trainee
    last_met: datetime.date | None  # None: never supervised


def supervision_interval() -> datetime.timedelta:
    return datetime.timedelta(weeks=settings.SUPERVISION_INTERVAL_WEEKS)


def supervision_overdue(
    establishment: Establishment, today: datetime.date
) -> list[OverdueSupervision]:
    """Active peer workers whose last supervision meeting was more than
    ``SUPERVISION_INTERVAL_WEEKS`` weeks before ``today``, or who never had one. One query."""
    since = today - supervision_interval()
    workers = (
        Trainee.objects.filter(establishment=establishment, role_status=Trainee.RoleStatus.ACTIVE)
        .annotate(last_met=Max("supervision_attendances__meeting__held_on"))
        .filter(Q(last_met__isnull=True) | Q(last_met__lt=since))
        .order_by(F("last_met").asc(nulls_first=True), "display_name")
    )
    return [OverdueSupervision(worker, worker.last_met) for worker in workers]


def supervision_overdue_counts(establishments, today: datetime.date) -> dict[int, int]:
    """How many active peer workers are overdue supervision, by establishment id, for any
    number of establishments: one query (``supervision_overdue`` says who)."""
    since = today - supervision_interval()
    overdue = (
        Trainee.objects.filter(
            establishment__in=establishments, role_status=Trainee.RoleStatus.ACTIVE
        )
        .annotate(last_met=Max("supervision_attendances__meeting__held_on"))
        .filter(Q(last_met__isnull=True) | Q(last_met__lt=since))
        .values_list("establishment_id", flat=True)
    )
    return dict(Counter(overdue))
