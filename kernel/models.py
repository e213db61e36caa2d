from django.conf import settings
from django.db import models


class TemporaryPassword(models.Model):
    """A password someone else set for this person (``cohorts/passwords.py``): they must
    choose their own at their next sign-in before they reach any page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="temporary_password"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "trainingsite_temporarypassword"  # made when the model lived in trainingsite

    def __str__(self):
        return f"Temporary password of user {self.user_id}"
