from django.conf import settings
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Who did what, when and from where. Never the content of what they read or wrote."""

    class Action(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOCKOUT = "lockout", "Locked out"
        LOGOUT = "logout", "Signed out"
        REFUSED = "refused", "Refused request"
        HIDDEN = "hidden", "Asked for a record not theirs"
        EXPORT = "export", "Export"
        DOWNLOAD = "download", "Download of a personal document"
        READ = "read", "Read of a personal record"
        ERASE = "erase", "Erasure"
        CHANGE = "change", "Change to a cohort record"
        PASSWORD = "password", "Temporary password set or replaced"

    at = models.DateTimeField("when", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(
        "who", max_length=150, blank=True, help_text="As typed or as it was then."
    )
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    what = models.CharField(
        max_length=200, blank=True, help_text="The record or page, never its content."
    )
    ip_address = models.GenericIPAddressField("from address", null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()
    # Wagtail indexes every model's foreign keys to show "usage"; an audit row is no usage, and
    # indexing it made every audited request write a second table.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit event"

    def __str__(self):
        who = self.username or "-"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.get_action_display()} {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
