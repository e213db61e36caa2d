"""Catching up a missed session by studying it on screen. ``learning`` says when a trainee has
studied a session (its own rule); this module records it against each cohort of theirs whose
programme has the session, and lets a local trainer confirm it once they have talked it
through with the trainee. Completion (``records``) counts a confirmed self-study of a session
the member missed as caught up."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from courses.outline import session_ids
from kernel import clock

from ..models import Membership, SelfStudy
from .audited import ChangeError, audited


def record_studied(trainee, session, studied_at: datetime) -> list[SelfStudy]:
    """Note that ``trainee`` studied ``session`` on screen, once per cohort of theirs whose
    programme has it. A second call changes nothing: the first time counts."""
    records = []
    for membership in Membership.objects.filter(trainee=trainee).select_related(
        "cohort__programme"
    ):
        if session.pk not in session_ids(membership.cohort.programme):
            continue
        record, _ = SelfStudy.objects.get_or_create(
            membership=membership, session=session, defaults={"studied_at": studied_at}
        )
        records.append(record)
    return records


@transaction.atomic
def confirm_self_study(self_study: SelfStudy, by, talked_on: date) -> SelfStudy:
    """A trainer confirms they talked the session through with the trainee on ``talked_on``."""
    self_study = SelfStudy.objects.select_for_update().get(pk=self_study.pk)
    if self_study.confirmed_at is not None:
        raise ChangeError("already_confirmed", "This catch-up was confirmed already.")
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
