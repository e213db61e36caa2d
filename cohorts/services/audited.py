"""The errors of the rules that change cohort records, and the audit line each change leaves."""

from audit.models import AuditEvent
from audit.services import record

from .records import CohortError


class ChangeError(CohortError):
    """A change to a cohort was refused. ``field`` names the part of the form it is about."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(code, message)
        self.field = field


def audited(by, what: str) -> None:
    """Write who changed which record to the audit log: never a trainee's name."""
    record(None, AuditEvent.Action.CHANGE, what=what, user=by)
