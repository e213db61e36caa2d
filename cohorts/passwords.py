"""How a locked-out person gets back in. There is no e-mail reset unless mail is configured
(``EMAIL_HOST``): an administrator, or for a peer support worker a member of staff of their own
establishment, sets a temporary password and tells them it; at their next sign-in they must
choose their own before they reach any page. Both steps are in the audit log, never the
password. Setting one also lifts a lockout of that username."""

import secrets

from axes.utils import reset as reset_lockout
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from audit.services import record
from kernel.errors import DomainError
from kernel.models import TemporaryPassword
from kernel.roles import is_staff_member

from .access import staff_establishments
from .models import Trainee

SESSION_KEY = "must_change_password"
# Short plain words: a temporary password is read out or written on paper for someone who
# may not read well. Three words and two digits: about 26 million choices, with sign-in locked
# after 10 wrong tries and the password changed at first use.
WORDS = (
    "apple bread chair cloud dog egg fish frog gate hat jam kite lamp leaf milk moon nest "
    "orange pen pond rain ring road rock sand ship shoe sock star sun tea tree van wall "
    "boat cake coat desk door duck farm fork hill king lake lion map nut owl park pear "
    "pig rose salt seed snow soap sofa tent toy wind wolf yard zoo"
).split()


class PasswordError(DomainError):
    """A temporary password that may not be set."""


def may_set_temporary_password(actor, user) -> bool:
    """An administrator for anyone but themselves; staff for a peer support worker of one of
    their establishments (never for staff: only an administrator resets staff)."""
    if not actor.is_authenticated or actor.pk == user.pk:
        return False
    if actor.is_superuser:
        return True
    if user.is_superuser or is_staff_member(user):
        return False
    return Trainee.objects.filter(user=user, establishment__in=staff_establishments(actor)).exists()


def temporary_password() -> str:
    words = "-".join(secrets.choice(WORDS) for _ in range(3))
    return f"{words}-{secrets.randbelow(90) + 10}"


def set_temporary_password(actor, user, request=None) -> str:
    """Give ``user`` a new temporary password, which they must change at their next sign-in,
    and return it (shown once, to ``actor``)."""
    if not may_set_temporary_password(actor, user):
        raise PasswordError("not_allowed", "You cannot set a password for this person.")
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    TemporaryPassword.objects.update_or_create(user=user, defaults={"set_by": actor})
    reset_lockout(username=user.get_username())
    record(request, AuditEvent.Action.PASSWORD, f"temporary password for user {user.pk}", actor)
    return password


def must_change_password(user) -> bool:
    return TemporaryPassword.objects.filter(user=user).exists()


def temporary_password_changed(user, request=None) -> None:
    """The person chose their own password: they may use the site again."""
    TemporaryPassword.objects.filter(user=user).delete()
    record(request, AuditEvent.Action.PASSWORD, f"own password chosen by user {user.pk}", user)


def user_or_none(pk: int):
    return get_user_model().objects.filter(pk=pk).first()
