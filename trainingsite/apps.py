from django.apps import AppConfig


class TrainingSiteConfig(AppConfig):
    name = "trainingsite"
    verbose_name = "Training site"

    def ready(self):
        from django.urls import register_converter

        from kernel.converters import IdConverter

        register_converter(IdConverter, "id")

        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(note_temporary_password, dispatch_uid="temporary_password")

        from wagtail import hooks

        from .password_views import temporary_password_button

        hooks.register("register_user_listing_buttons", temporary_password_button)


def note_temporary_password(sender, request, user, **kwargs):
    """At sign-in, whether this person must first choose their own password."""
    from cohorts.passwords import SESSION_KEY, must_change_password

    if request is not None and hasattr(request, "session") and must_change_password(user):
        request.session[SESSION_KEY] = True
