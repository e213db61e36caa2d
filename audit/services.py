"""Writing to the audit log. Every caller goes through ``record``."""

import time

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404

from .models import AuditEvent

# A crawler asking for other prisons' records leaves at most this many rows per person (or
# address, when signed out) in each window, then one row saying that the rest went unrecorded.
HIDDEN_PER_WINDOW = 20
HIDDEN_WINDOW_SECONDS = 600


class NotTheirs(Http404):
    """A 404 given because the record exists but is not the asker's to see (another prison's,
    or a journal entry not shared with them). ``audit.middleware`` records it."""

    def __init__(self, what: str):
        super().__init__()
        self.what = what


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


def record_hidden(request, what: str) -> AuditEvent | None:
    """Record a request for a record that is not the asker's, at most ``HIDDEN_PER_WINDOW``
    times per person per window (counted in the cache), then once more to say so."""
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else client_address(request)
    key = f"audit:hidden:{who}:{int(time.time() // HIDDEN_WINDOW_SECONDS)}"
    cache.add(key, 0, HIDDEN_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, count := 1, HIDDEN_WINDOW_SECONDS)
    if count <= HIDDEN_PER_WINDOW:
        return record(request, AuditEvent.Action.HIDDEN, what=f"{request.method} {what}")
    if count == HIDDEN_PER_WINDOW + 1:
        minutes = HIDDEN_WINDOW_SECONDS // 60
        summary = f"more than {HIDDEN_PER_WINDOW} in {minutes} minutes; the rest are not recorded"
        return record(request, AuditEvent.Action.HIDDEN, what=summary)
    return None
