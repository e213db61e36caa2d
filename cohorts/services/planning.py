"""Starting a cohort and placing its programme on dates: the regime's weekdays, the morning and
afternoon start times, the room and the dates the prison is closed; then moving, cancelling
and adding deliveries as the regime allows."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses.models import ProgrammePage, SessionPage
from courses.outline import outline, session_ids
from kernel import clock
from kernel.roles import FACILITATOR, LOCAL_TRAINER

from ..models import Cohort, Delivery, Establishment, Membership, StaffProfile, Trainee
from .audited import ChangeError, audited

NAME_LENGTH = Cohort._meta.get_field("name").max_length
ROOM_LENGTH = Delivery._meta.get_field("location").max_length
NOTE_LENGTH = Delivery._meta.get_field("cancellation_note").max_length
DISPLAY_NAME_LENGTH = Trainee._meta.get_field("display_name").max_length
PRISON_NUMBER_LENGTH = Trainee._meta.get_field("prison_number").max_length
NOON = time(12, 0)
BREAK = timedelta(minutes=15)  # between sessions whose programme slot has no start time
LOOK_AHEAD_DAYS = 366  # how far scheduling looks for open days before it gives up
PLANNING_YEARS = 5  # how far ahead a session may be placed
EARLIEST = date(2000, 1, 1)  # records before this are typing mistakes
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# --- Starting a cohort ---


@dataclass(frozen=True)
class NewTrainee:
    """Someone added there and then: a display name, and a prison number only if known."""

    display_name: str
    prison_number: str = ""
    role_status: str = Trainee.RoleStatus.ASPIRING
    large_print: bool = False


def cohort_staff(establishment: Establishment):
    """Who may lead or co-deliver a cohort of this prison: its trainers (local trainers and
    the facilitators who hold it), not the education department."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=StaffProfile.objects.filter(establishments=establishment).values("user_id"),
            groups__name__in=[FACILITATOR, LOCAL_TRAINER],
        )
        .distinct()
    )


def joinable_trainees(establishment: Establishment):
    """The prison's peer workers who can join a cohort: aspiring or active, not left."""
    return Trainee.objects.filter(establishment=establishment).exclude(
        role_status=Trainee.RoleStatus.LEFT
    )


def _check_new_trainees(new_trainees: list[NewTrainee]) -> None:
    for person in new_trainees:
        if not person.display_name.strip():
            raise ChangeError("no_display_name", "Give each new trainee a name.", "new_trainees")
        if len(person.display_name.strip()) > DISPLAY_NAME_LENGTH:
            raise ChangeError(
                "display_name_too_long",
                f"A name must be {DISPLAY_NAME_LENGTH} characters or fewer.",
                "new_trainees",
            )
        if len(person.prison_number.strip()) > PRISON_NUMBER_LENGTH:
            raise ChangeError(
                "prison_number_too_long",
                f"A prison number must be {PRISON_NUMBER_LENGTH} characters or fewer.",
                "new_trainees",
            )
        if person.role_status not in (Trainee.RoleStatus.ASPIRING, Trainee.RoleStatus.ACTIVE):
            raise ChangeError(
                "invalid_role_status",
                "A new trainee is an aspiring or an active peer worker.",
                "new_trainees",
            )


def _create_trainees(establishment, new_trainees: list[NewTrainee]) -> list[Trainee]:
    return [
        Trainee.objects.create(
            establishment=establishment,
            display_name=person.display_name.strip(),
            prison_number=person.prison_number.strip().upper(),
            role_status=person.role_status,
            large_print=person.large_print,
        )
        for person in new_trainees
    ]


def _check_trainees_belong(establishment, trainees) -> None:
    joinable = set(joinable_trainees(establishment).values_list("pk", flat=True))
    if any(t.pk not in joinable for t in trainees):
        raise ChangeError(
            "trainee_not_here",
            "Choose trainees from this prison's peer workers who have not left the role.",
            "trainees",
        )


@transaction.atomic
def start_cohort(
    establishment: Establishment,
    programme: ProgrammePage,
    name: str,
    lead_trainer,
    co_trainers: list,
    trainees: list[Trainee],
    new_trainees: list[NewTrainee],
    by,
) -> Cohort:
    """A new planned cohort with its trainers and trainees (chosen from the prison's peer
    workers, or added there and then). Its dates come from ``schedule_cohort``."""
    name = name.strip()
    if not name:
        raise ChangeError("no_name", "Give the cohort a name.", "name")
    if len(name) > NAME_LENGTH:
        raise ChangeError("name_too_long", f"The name must be {NAME_LENGTH} characters or fewer.")
    if establishment.cohorts.filter(name__iexact=name).exists():
        raise ChangeError(
            "name_taken", f"{establishment.name} already has a cohort called {name}.", "name"
        )
    if not programme.live or not session_ids(programme):
        raise ChangeError("empty_programme", "Choose a published programme.", "programme")
    staff = set(cohort_staff(establishment).values_list("pk", flat=True))
    if lead_trainer is None or lead_trainer.pk not in staff:
        raise ChangeError(
            "lead_not_staff", "Choose a lead trainer who works at this prison.", "lead_trainer"
        )
    if any(trainer.pk not in staff for trainer in co_trainers):
        raise ChangeError(
            "co_trainer_not_staff", "Co-trainers must work at this prison.", "co_trainers"
        )
    _check_trainees_belong(establishment, trainees)
    _check_new_trainees(new_trainees)
    cohort = Cohort.objects.create(
        establishment=establishment,
        programme=programme,
        name=name,
        start_date=clock.today(),
        lead_trainer=lead_trainer,
    )
    cohort.co_trainers.set([t for t in co_trainers if t.pk != lead_trainer.pk])
    everyone = [*trainees, *_create_trainees(establishment, new_trainees)]
    Membership.objects.bulk_create(Membership(cohort=cohort, trainee=t) for t in everyone)
    audited(by, f"started cohort {cohort.pk} with {len(everyone)} trainees")
    return cohort


# --- Scheduling ---


@dataclass(frozen=True)
class Regime:
    """When the prison lets training happen."""

    first_date: date
    weekdays: frozenset[int]  # 0 is Monday
    morning_start: time
    afternoon_start: time
    room: str = ""
    closed_dates: frozenset[date] = frozenset()


@dataclass(frozen=True)
class PlannedSession:
    day_title: str
    session: SessionPage
    starts_at: datetime
    ends_at: datetime
    local_staff: bool
    morning: bool


def _check_date(day: date, field: str) -> None:
    latest = clock.today().replace(year=clock.today().year + PLANNING_YEARS)
    if not EARLIEST <= day <= latest:
        raise ChangeError(
            "date_out_of_range",
            f"Choose a date between {EARLIEST:%Y} and {latest:%-d %B %Y}.",
            field,
        )


def _check_regime(regime: Regime) -> None:
    _check_date(regime.first_date, "first_date")
    if not regime.weekdays:
        raise ChangeError("no_weekdays", "Choose at least one day of the week.", "weekdays")
    if regime.morning_start >= NOON:
        raise ChangeError(
            "morning_after_noon", "Morning sessions must start before 12:00.", "morning_start"
        )
    if regime.afternoon_start < NOON:
        raise ChangeError(
            "afternoon_before_noon",
            "Afternoon sessions must start at 12:00 or later.",
            "afternoon_start",
        )
    if len(regime.room) > ROOM_LENGTH:
        raise ChangeError("room_too_long", f"The room must be {ROOM_LENGTH} characters or fewer.")


def open_days(regime: Regime, count: int) -> list[date]:
    """The first ``count`` dates from the first date on a weekday the regime allows and not
    closed."""
    days, day = [], regime.first_date
    last = regime.first_date + timedelta(days=LOOK_AHEAD_DAYS)
    while len(days) < count:
        if day > last:
            raise ChangeError(
                "no_open_days",
                f"There are not {count} open days in the year after the first date. Check the "
                "days of the week and the closed dates.",
                "closed_dates",
            )
        if day.weekday() in regime.weekdays and day not in regime.closed_dates:
            days.append(day)
        day += timedelta(days=1)
    return days


def _day_times(items, regime: Regime, day: date) -> list[tuple[datetime, bool]]:
    """Each session's start on ``day``: the programme's times moved so that its first morning
    and first afternoon session start when the regime says, keeping the breaks between them. A
    slot without a time follows the one before it after a short break, in the same half of the
    day. Each start comes with whether it is a morning session."""
    starts, previous_end, half = [], None, "morning"
    offsets = {}
    for item in items:
        own = item.start_time
        if own is not None:
            half = "morning" if own < NOON else "afternoon"
            wanted = regime.morning_start if half == "morning" else regime.afternoon_start
            offsets.setdefault(half, datetime.combine(day, wanted) - datetime.combine(day, own))
            start = datetime.combine(day, own) + offsets[half]
        elif previous_end is None:
            start = datetime.combine(day, regime.morning_start)
        else:
            start = previous_end + BREAK
        starts.append((start, half == "morning"))
        previous_end = start + timedelta(minutes=item.session.duration)
    return starts


def plan_timetable(programme: ProgrammePage, regime: Regime) -> list[PlannedSession]:
    """The programme's days on dates, its sessions in order: what ``schedule_cohort`` would
    make, to show before saving. Nothing is saved."""
    _check_regime(regime)
    days = outline(programme).days
    if not days:
        raise ChangeError("empty_programme", "This programme has no sessions to schedule.")
    zone = timezone.get_current_timezone()
    planned = []
    for (title, items), when in zip(days, open_days(regime, len(days)), strict=True):
        for item, (start, morning) in zip(items, _day_times(items, regime, when), strict=True):
            starts_at = timezone.make_aware(start, zone)
            planned.append(
                PlannedSession(
                    title,
                    item.session,
                    starts_at,
                    starts_at + timedelta(minutes=item.session.duration),
                    item.local_staff,
                    morning,
                )
            )
    mornings = [p for p in planned if p.morning]
    late = max(mornings, key=lambda p: timezone.localtime(p.ends_at).time(), default=None)
    morning_end = timezone.localtime(late.ends_at) if late else None
    if morning_end is not None and morning_end.time() > regime.afternoon_start:
        raise ChangeError(
            "morning_overruns",
            f"The morning's sessions would run until {morning_end:%H:%M}, after the afternoon "
            f"starts ({regime.afternoon_start:%H:%M}): {late.session.title}. Start the morning "
            "earlier or the afternoon later.",
            "afternoon_start",
        )
    return planned


def led_by_for(user) -> str:
    if user is not None and user.groups.filter(name=FACILITATOR).exists():
        return Delivery.LedBy.VISITING_FACILITATOR
    return Delivery.LedBy.LOCAL_STAFF


@transaction.atomic
def schedule_cohort(cohort: Cohort, regime: Regime, by) -> list[Delivery]:
    """Place the cohort's programme on dates (``plan_timetable``), each session a planned
    delivery led by the cohort's trainers, in the regime's room. Only once: afterwards move,
    cancel or add single deliveries."""
    if cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED):
        raise ChangeError("cohort_closed", "This cohort has ended: it cannot be scheduled.")
    if cohort.deliveries.filter(kind=Delivery.Kind.PROGRAMME).exists():
        raise ChangeError(
            "already_scheduled",
            "This cohort's programme is already on the timetable. Move, cancel or add single "
            "sessions instead.",
        )
    planned = plan_timetable(cohort.programme, regime)
    led_by = led_by_for(cohort.lead_trainer)
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            cohort=cohort,
            session=item.session,
            starts_at=item.starts_at,
            location=regime.room.strip(),
            lead_trainer=cohort.lead_trainer,
            led_by=led_by,
        )
        for item in planned
    )
    co_trainers = list(cohort.co_trainers.all())
    Delivery.co_trainers.through.objects.bulk_create(
        Delivery.co_trainers.through(delivery_id=d.pk, user_id=t.pk)
        for d in deliveries
        for t in co_trainers
    )
    Cohort.objects.filter(pk=cohort.pk).update(start_date=timezone.localdate(planned[0].starts_at))
    cohort.start_date = timezone.localdate(planned[0].starts_at)
    audited(by, f"scheduled cohort {cohort.pk}: {len(deliveries)} sessions")
    return deliveries


# --- Changing the timetable ---


def _check_when(starts_at: datetime | None) -> None:
    if starts_at is None:
        raise ChangeError("no_date", "Give the new date and time.", "date")
    _check_date(timezone.localdate(starts_at), "date")


@transaction.atomic
def move_delivery(delivery: Delivery, starts_at: datetime, by, room: str | None = None) -> Delivery:
    """A planned delivery moves to a new date and time. A cancelled one is put back on the
    timetable as a new planned delivery, and the cancelled one stays on record, pointing to it.
    Returns the delivery now planned."""
    _check_when(starts_at)
    if room is not None and len(room) > ROOM_LENGTH:
        raise ChangeError("room_too_long", f"The room must be {ROOM_LENGTH} characters or fewer.")
    if delivery.status in Delivery.HELD:
        raise ChangeError("already_held", "This session has taken place: it cannot be moved.")
    if delivery.cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED):
        raise ChangeError("cohort_closed", "This cohort has ended.")
    location = delivery.location if room is None else room.strip()
    if delivery.status == Delivery.Status.PLANNED:
        was = delivery.starts_at
        delivery.starts_at, delivery.location = starts_at, location
        Delivery.objects.filter(pk=delivery.pk).update(starts_at=starts_at, location=location)
        audited(by, f"moved delivery {delivery.pk} from {was:%Y-%m-%d %H:%M}")
        return delivery
    if delivery.moved_to_id is not None:
        raise ChangeError("already_moved", "This session has already been put on another date.")
    replacement = Delivery.objects.create(
        cohort=delivery.cohort,
        session=delivery.session,
        starts_at=starts_at,
        location=location,
        lead_trainer=delivery.lead_trainer,
        led_by=delivery.led_by,
        kind=delivery.kind,
    )
    replacement.co_trainers.set(delivery.co_trainers.all())
    Delivery.objects.filter(pk=delivery.pk).update(moved_to=replacement)
    delivery.moved_to = replacement
    audited(by, f"moved cancelled delivery {delivery.pk} to delivery {replacement.pk}")
    return replacement


@transaction.atomic
def cancel_delivery(delivery: Delivery, because: str, by, note: str = "") -> Delivery:
    """Take a planned session off the timetable with the reason; it stays on record."""
    if delivery.status == Delivery.Status.CANCELLED:
        raise ChangeError("already_cancelled", "This session is already cancelled.")
    if delivery.status in Delivery.HELD:
        raise ChangeError("already_held", "This session has taken place: it cannot be cancelled.")
    if because not in Delivery.CancelledBecause.values:
        raise ChangeError("no_reason", "Choose why the session is cancelled.", "because")
    note = note.strip()
    if because == Delivery.CancelledBecause.OTHER and not note:
        raise ChangeError("no_note", "Say why the session is cancelled.", "note")
    if len(note) > NOTE_LENGTH:
        raise ChangeError("note_too_long", f"Keep the reason to {NOTE_LENGTH} characters.", "note")
    delivery.status = Delivery.Status.CANCELLED
    delivery.cancelled_because, delivery.cancellation_note = because, note
    Delivery.objects.filter(pk=delivery.pk).update(
        status=delivery.status, cancelled_because=because, cancellation_note=note
    )
    audited(by, f"cancelled delivery {delivery.pk} ({because})")
    return delivery


@transaction.atomic
def add_delivery(
    cohort: Cohort, session: SessionPage, kind: str, starts_at: datetime, by, room: str = ""
) -> Delivery:
    """An extra delivery of one of the programme's sessions: a catch-up for those who missed
    it, or a refresher for those who completed (attending one resets their refresher date)."""
    _check_when(starts_at)
    if kind not in (Delivery.Kind.CATCH_UP, Delivery.Kind.REFRESHER):
        raise ChangeError("invalid_kind", "Choose a catch-up or a refresher.", "kind")
    if session is None or session.pk not in session_ids(cohort.programme):
        raise ChangeError(
            "not_in_programme", "Choose a session of this cohort's programme.", "session"
        )
    if cohort.status == Cohort.Status.CANCELLED:
        raise ChangeError("cohort_closed", "This cohort was cancelled.")
    if len(room) > ROOM_LENGTH:
        raise ChangeError("room_too_long", f"The room must be {ROOM_LENGTH} characters or fewer.")
    delivery = Delivery.objects.create(
        cohort=cohort,
        session=session,
        starts_at=starts_at,
        location=room.strip(),
        lead_trainer=by if cohort_staff(cohort.establishment).filter(pk=by.pk).exists() else None,
        led_by=led_by_for(by),
        kind=kind,
    )
    audited(by, f"added a {kind} delivery {delivery.pk} to cohort {cohort.pk}")
    return delivery
