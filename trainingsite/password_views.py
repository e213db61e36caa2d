"""Setting a temporary password for someone locked out, and choosing your own afterwards."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.widgets import ListingButton

from cohorts import passwords
from kernel.people import person_name


def set_temporary_password(request, user_pk: int):
    """Staff (for their establishments' peer support workers) and administrators (for anyone):
    a confirmation page, then the new temporary password, shown once. Anyone else: 404."""
    user = passwords.user_or_none(user_pk)
    if user is None or not passwords.may_set_temporary_password(request.user, user):
        raise Http404
    context = {"person": user, "name": person_name(user)}
    if request.method == "POST":
        context["password"] = passwords.set_temporary_password(request.user, user, request)
    return render(request, "registration/temporary_password.html", context)


class OwnPasswordForm(PasswordChangeForm):
    """Django's form (the old password, the new one twice, the password rules), in plain
    words for someone signing in with a temporary password."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "That is not the password you were given. Type it again.",  # noqa: S105
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "The temporary password you were given"
        self.fields["new_password1"].label = "Your new password"
        self.fields["new_password2"].label = "Your new password again"


def change_password(request):
    """Choose your own password. Someone with a temporary password is sent here first."""
    form = OwnPasswordForm(request.user, request.POST or None)
    if form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        request.session.pop(passwords.SESSION_KEY, None)
        passwords.temporary_password_changed(request.user, request)
        messages.success(request, "Your new password is saved. Use it next time you sign in.")
        next_url = request.GET.get("next", "/")
        safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
        return redirect(next_url if safe else "/")
    context = {
        "form": form,
        "temporary": request.session.get(passwords.SESSION_KEY, False),
        "errors": [
            (f"id_{name}", message)
            for name, field_errors in form.errors.items()
            for message in field_errors
        ],
    }
    return render(
        request, "registration/change_password.html", context, status=400 if form.errors else 200
    )


def temporary_password_button(user, request_user):
    """The admin's user list: administrators set a temporary password for a locked-out person
    (the ``register_user_listing_buttons`` hook, registered in ``trainingsite.apps``)."""
    if request_user.is_superuser and user.pk != request_user.pk:
        yield ListingButton(
            "Set a temporary password",
            reverse("set_temporary_password", args=[user.pk]),
            priority=50,
        )
