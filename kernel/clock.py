"""The one way to say today: the date at the site (``TIME_ZONE``, Europe/London), not the
server's, so a session held at 00:30 in June is on the right day."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
