from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import record


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    record(request, AuditEvent.Action.LOGIN, user=user)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, AuditEvent.Action.LOGOUT, user=user)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    record(request, AuditEvent.Action.LOGIN_FAILED, username=credentials.get("username", ""))


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    record(request, AuditEvent.Action.LOCKOUT, username=username or "")
