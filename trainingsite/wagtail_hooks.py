from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton


@hooks.register("register_user_listing_buttons")
def temporary_password_button(user, request_user):
    """Administrators set a temporary password for a locked-out person from the user list."""
    if request_user.is_superuser and user.pk != request_user.pk:
        yield ListingButton(
            "Set a temporary password",
            reverse("set_temporary_password", args=[user.pk]),
            priority=50,
        )
