import base64
from pathlib import PurePosixPath

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for monitoring; says nothing about the data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class SignIn(auth_views.LoginView):
    """A peer support worker lands on My learning; everyone else on the home page."""

    def get_default_redirect_url(self):
        user = self.request.user
        if user.has_perm("cohorts.view_own_progress") and not user.has_perm("cohorts.view_cohort"):
            return reverse("learning:home")
        return super().get_default_redirect_url()


IMAGE_TYPES = {
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def media_image(request, path: str):
    """Serve curriculum pictures from the media folder, and nothing else from it.

    Documents go through Wagtail's own view; any other file (HTML, script, SVG) is not found.
    """
    content_type = IMAGE_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT / "images")
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


WRONG_LOGIN = "The username or password is not right. Check them and try again."


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="Code from your authenticator app",
        error_messages={"invalid": "Enter the 6 numbers your app shows."},
    )


def two_factor(request):
    """Set up an authenticator app (first time), or confirm the sign-in with its code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            next_url = request.GET.get("next", "/")
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return redirect(next_url if safe else "/")
        form.add_error("code", "That code is not right, or it has run out. Try the newest one.")
    context = {
        "form": form,
        "setting_up": setting_up,
        "code_errors": [("id_code", error) for error in form.errors.get("code", [])],
    }
    if setting_up:
        qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        context["qr_svg"] = mark_safe(qr.to_string(encoding="unicode"))  # noqa: S308  made here
        secret = base64.b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "registration/two_factor.html", context)


def not_an_id(request, **kwargs):
    """The Wagtail admin's choosers take any text as the id of what was chosen and fail on
    one that is not a number (a 500); every id here is a number, so anything else is a 404."""
    raise Http404("No such item")
