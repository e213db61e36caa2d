"""Writing to the audit log. Every caller goes through ``record``."""

from django.contrib.auth.models import AnonymousUser

from .models import AuditEvent


def client_address(request) -> str | None:
    """The address the request came from (gunicorn sits behind no proxy on a laptop)."""
    return request.META.get("REMOTE_ADDR") or None


def record(request, action: str, what: str = "", user=None, username: str = "") -> AuditEvent:
    """Append one event. ``what`` names the record or page; it must never hold its content."""
    user = user or getattr(request, "user", None)
    if isinstance(user, AnonymousUser) or (user is not None and not user.is_authenticated):
        user = None
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        action=action,
        what=what[:200],
        ip_address=client_address(request) if request is not None else None,
    )
