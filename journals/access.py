"""Who may read which journal entry. An entry is its author's alone; a supervisor the author
named may read it too. Anyone else gets 404, as if it did not exist, and the request is audited
(``NotTheirs``). Every read by someone other than the author goes to the audit log (which entry,
never its content)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404

from audit.models import AuditEvent
from audit.services import NotTheirs, record
from cohorts.models import Trainee

from .models import JournalEntry

KEEP_JOURNAL = "journals.keep_journal"
SUPERVISE = "journals.supervise"
SUBJECT_ACCESS = "journals.export_subject_access"

journal_keepers_only = permission_required(KEEP_JOURNAL, raise_exception=True)
supervisors_only = permission_required(SUPERVISE, raise_exception=True)


def own_trainee(user) -> Trainee | None:
    """The signed-in peer support worker's own trainee record, if they have one."""
    return Trainee.objects.select_related("establishment").filter(user=user).first()


def is_author(user, entry: JournalEntry) -> bool:
    if entry.staff_author_id is not None:
        return entry.staff_author_id == user.pk
    return entry.trainee.user_id is not None and entry.trainee.user_id == user.pk


def entries_by(user):
    """The entries this person wrote (or that were typed up for them)."""
    if user.has_perm("cohorts.view_own_progress"):
        return JournalEntry.objects.filter(trainee__user=user)
    return JournalEntry.objects.filter(staff_author=user)


def entry_for_author(user, pk: int) -> JournalEntry:
    entry = get_object_or_404(JournalEntry.objects.select_related("trainee"), pk=pk)
    if not is_author(user, entry):
        raise NotTheirs(f"journal entry {entry.pk}")
    return entry


def entry_for_reading(request, pk: int) -> JournalEntry:
    """The entry, for its author or a supervisor it is shared with; the read is audited when
    the reader is not the author."""
    entry = get_object_or_404(
        JournalEntry.objects.select_related("trainee", "staff_author", "session"), pk=pk
    )
    if is_author(request.user, entry):
        return entry
    if not entry.shares.filter(supervisor=request.user).exists():
        raise NotTheirs(f"journal entry {entry.pk}")
    record(request, AuditEvent.Action.READ, what=f"journal entry {entry.pk}")
    return entry
