"""Changing a cohort as life happens: a trainee leaves the role, is transferred or released;
a late joiner starts with the sessions they must catch up; shadowing placements and their log."""

from datetime import date

from django.db import transaction

from kernel import clock

from ..models import Cohort, Membership, ShadowingLogEntry, ShadowingPlacement, Trainee
from .audited import ChangeError, audited
from .planning import NewTrainee, _check_new_trainees, _check_trainees_belong, _create_trainees

NOTE_LENGTH = 2000


@transaction.atomic
def record_leaving(membership: Membership, because: str, on: date, by) -> Membership:
    """A trainee leaves the cohort (they left the role, were transferred or released) on a
    date. They come off the registers after it, and count as having moved on, not as having
    stopped coming. Their peer worker role ends too."""
    if because not in Membership.LeftBecause.values:
        raise ChangeError("no_reason", "Choose why they left.", "because")
    if on is None:
        raise ChangeError("no_date", "Give the date they left.", "left_on")
    if on > clock.today():
        raise ChangeError("in_future", "The date they left cannot be in the future.", "left_on")
    if membership.joined_on and on < membership.joined_on:
        raise ChangeError(
            "before_joining", "The date they left is before they joined the cohort.", "left_on"
        )
    if membership.left_on is not None:
        raise ChangeError("already_left", "This trainee has already left the cohort.")
    membership.left_on, membership.left_because = on, because
    Membership.objects.filter(pk=membership.pk).update(left_on=on, left_because=because)
    Trainee.objects.filter(pk=membership.trainee_id).update(role_status=Trainee.RoleStatus.LEFT)
    audited(by, f"trainee {membership.trainee_id} left cohort {membership.cohort_id} ({because})")
    return membership


@transaction.atomic
def add_late_joiners(
    cohort: Cohort, trainees: list[Trainee], new_trainees: list[NewTrainee], joined_on: date, by
) -> list[Membership]:
    """Trainees who join a cohort already under way. They are on the registers from the day
    they join; the sessions held before it are their catch-ups."""
    if cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED):
        raise ChangeError("cohort_closed", "This cohort has ended: nobody can join it now.")
    if joined_on is None:
        raise ChangeError("no_date", "Give the date they join.", "joined_on")
    if not trainees and not new_trainees:
        raise ChangeError("nobody", "Choose or add at least one trainee.", "trainees")
    _check_trainees_belong(cohort.establishment, trainees)
    already = set(cohort.memberships.values_list("trainee_id", flat=True))
    if any(t.pk in already for t in trainees):
        raise ChangeError("already_member", "Someone chosen is already in this cohort.", "trainees")
    _check_new_trainees(new_trainees)
    everyone = [*trainees, *_create_trainees(cohort.establishment, new_trainees)]
    memberships = Membership.objects.bulk_create(
        Membership(cohort=cohort, trainee=t, joined_on=joined_on) for t in everyone
    )
    audited(by, f"{len(everyone)} trainees joined cohort {cohort.pk} on {joined_on}")
    return memberships


@transaction.atomic
def record_shadowing(
    new_worker: Trainee, experienced_worker: Trainee, starts_on: date, ends_on: date, by
) -> ShadowingPlacement:
    """A new peer worker shadows an experienced one of the same prison between two dates
    (under 14 days is flagged, not refused: the regime decides)."""
    if experienced_worker is None:
        raise ChangeError("no_experienced", "Choose who they shadow.", "experienced_worker")
    if new_worker.pk == experienced_worker.pk:
        raise ChangeError("same_person", "Choose someone else to shadow.", "experienced_worker")
    if new_worker.establishment_id != experienced_worker.establishment_id:
        raise ChangeError(
            "other_prison", "Choose a peer worker of the same prison.", "experienced_worker"
        )
    if starts_on is None or ends_on is None:
        raise ChangeError("no_date", "Give the first and last day.", "starts_on")
    if ends_on < starts_on:
        raise ChangeError("ends_before_start", "The last day is before the first.", "ends_on")
    placement = ShadowingPlacement.objects.create(
        new_worker=new_worker,
        experienced_worker=experienced_worker,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audited(by, f"shadowing placement {placement.pk} for trainee {new_worker.pk}")
    return placement


def add_shadowing_note(placement: ShadowingPlacement, day: date, note: str, by):
    """One day's entry in a placement's log."""
    note = note.strip()
    if day is None:
        raise ChangeError("no_date", "Give the day.", "day")
    if not placement.starts_on <= day <= placement.ends_on:
        raise ChangeError(
            "outside_placement",
            f"Choose a day from {placement.starts_on:%-d %B} to {placement.ends_on:%-d %B %Y}.",
            "day",
        )
    if not note:
        raise ChangeError("no_note", "Write what happened that day.", "note")
    if len(note) > NOTE_LENGTH:
        raise ChangeError("note_too_long", f"Keep it to {NOTE_LENGTH} characters.", "note")
    entry = ShadowingLogEntry.objects.create(placement=placement, day=day, note=note, written_by=by)
    audited(by, f"shadowing log entry {entry.pk} on placement {placement.pk}")
    return entry
