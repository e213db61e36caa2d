import time
from urllib.parse import quote

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from kernel.roles import is_staff_member


class SessionLimitsMiddleware:
    """Sign people out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and after
    ``SESSION_ABSOLUTE_LIMIT`` seconds whatever they do: a classroom laptop is shared."""

    TOUCH_EVERY = 60  # seconds; saves a session write on every request

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = session.setdefault("signed_in_at", now)
            last_seen = session.get("last_seen", now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT
            ):
                logout(request)
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}&expired=1")
            if now - last_seen > self.TOUCH_EVERY or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in people carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith(settings.LOGIN_URL_PATH):
            add_never_cache_headers(response)
        return response


class SecondFactorMiddleware:
    """With ``REQUIRE_TOTP_FOR_STAFF``, staff confirm their sign-in with an authenticator code
    before they reach any page."""

    ALLOWED = ("/accounts/two-factor/", "/accounts/logout/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_TOTP_FOR_STAFF
            and needs_second_factor(request.user)
            and not request.path.startswith(self.ALLOWED)
        ):
            return redirect(f"/accounts/two-factor/?next={request.path}")
        return self.get_response(request)


class TemporaryPasswordMiddleware:
    """Someone signed in with a temporary password chooses their own before any other page.
    The flag is put in the session at sign-in (``trainingsite.apps``), so no request pays a
    query for it."""

    ALLOWED = ("/accounts/password/", "/accounts/logout/", "/healthz", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get("must_change_password")
            and not request.path.startswith(self.ALLOWED)
        ):
            return redirect(f"/accounts/password/?next={quote(request.get_full_path())}")
        return self.get_response(request)


def needs_second_factor(user) -> bool:
    return user.is_authenticated and not user.is_verified() and is_staff_member(user)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site's policy, except that the editor's preview panel may frame a preview.

    Wagtail renders a preview by sending a made-up request for the page through the whole
    middleware stack, from its admin preview views only (which check the editor's permission),
    and marks that request ``is_preview``. Such a response may be framed by this origin; every
    other page keeps ``frame-ancestors 'none'``. Nothing a browser sends can set the mark.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if getattr(request, "is_preview", False) is True:
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
