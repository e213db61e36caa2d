"""Catching up a missed session by studying it on screen. ``learning`` says when a trainee has
studied a session (its own rule); this module records it against each current cohort of theirs
whose programme has the session, and lets a local trainer confirm it once they have talked it
through with the trainee. Completion (``records``) counts a confirmed self-study of a session
the member did not attend as caught up."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from courses.outline import session_ids
from kernel import clock

from ..access import RUN_COHORTS, TAKE_REGISTER, staff_establishments
from ..models import Attendance, Delivery, Membership, SelfStudy
from .audited import ChangeError, audited


def record_studied(trainee, session, studied_at: datetime) -> list[SelfStudy]:
    """Note that ``trainee`` studied ``session`` on screen, once per cohort of theirs whose
    programme has it and that they have not left. A second call changes nothing: the first
    time counts."""
    records = []
    memberships = Membership.objects.filter(trainee=trainee, left_on__isnull=True)
    for membership in memberships.select_related("cohort__programme"):
        if session.pk not in session_ids(membership.cohort.programme):
            continue
        record, _ = SelfStudy.objects.get_or_create(
            membership=membership, session=session, defaults={"studied_at": studied_at}
        )
        records.append(record)
    return records


def may_confirm_self_study(user, cohort) -> bool:
    """Staff who may take registers or run cohorts at the cohort's establishment: the people
    who would otherwise run a catch-up session."""
    if not (user.has_perm(TAKE_REGISTER) or user.has_perm(RUN_COHORTS)):
        return False
    return staff_establishments(user).filter(pk=cohort.establishment_id).exists()


def attended_session(membership: Membership, session_id: int) -> bool:
    """Whether the member came to a held delivery of the session with their cohort (a
    refresher is not the session itself)."""
    return (
        Attendance.objects.filter(
            trainee_id=membership.trainee_id,
            delivery__cohort_id=membership.cohort_id,
            delivery__session_id=session_id,
            delivery__status__in=Delivery.HELD,
            mark__in=Attendance.ATTENDED,
        )
        .exclude(delivery__kind=Delivery.Kind.REFRESHER)
        .exists()
    )


@transaction.atomic
def confirm_self_study(self_study: SelfStudy, by, talked_on: date) -> SelfStudy:
    """A trainer confirms they talked the session through with the trainee on ``talked_on``,
    which makes the self-study a catch-up that counts in completion. Only staff who may run
    the cohort's registers at its establishment confirm, and only for a session the member did
    not attend: the study of a session they came to confirms nothing new."""
    self_study = (
        SelfStudy.objects.select_for_update(of=("self",))
        .select_related("membership__cohort", "membership__trainee")
        .get(pk=self_study.pk)
    )
    membership = self_study.membership
    if not may_confirm_self_study(by, membership.cohort):
        raise ChangeError(
            "not_allowed",
            "Only staff who take registers at this prison can confirm a catch-up.",
        )
    if self_study.confirmed_at is not None:
        raise ChangeError("already_confirmed", "This catch-up was confirmed already.")
    if attended_session(membership, self_study.session_id):
        raise ChangeError(
            "attended",
            f"{membership.trainee.display_name} came to this session, so there is nothing to "
            "catch up. Their study on screen stays on their record.",
        )
    if talked_on > clock.today():
        raise ChangeError(
            "talked_in_future", "The date you talked it through is in the future.", "talked_on"
        )
    if talked_on < timezone.localdate(self_study.studied_at):
        raise ChangeError(
            "talked_before_study",
            "The date you talked it through is before they studied the session.",
            "talked_on",
        )
    self_study.confirmed_by = by
    self_study.confirmed_at = timezone.now()
    self_study.talked_on = talked_on
    self_study.save(update_fields=["confirmed_by", "confirmed_at", "talked_on"])
    audited(by, f"confirmed self-study catch-up {self_study.pk}")
    return self_study
