"""What a peer support worker does studying a session on screen, by themselves: how far they
got, and every answer to every knowledge check. Kept per trainee, never shown to another
trainee; staff of the trainee's establishment see it on the cohort's learning view."""

from django.db import models

from cohorts.models import Trainee


class StudyProgress(models.Model):
    """One trainee's way through one session: the parts seen and where to resume."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="study_progress")
    session = models.ForeignKey("courses.SessionPage", on_delete=models.CASCADE, related_name="+")
    parts_seen = models.JSONField(default=list)  # keys of the parts seen, in the order first seen
    position = models.CharField(max_length=64, blank=True)  # the key of the part to resume at
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    studied_at = models.DateTimeField(null=True, blank=True)  # when the studied rule first held

    class Meta:
        verbose_name_plural = "study progress"
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "session"], name="one_study_progress_per_session"
            )
        ]

    def __str__(self):
        return f"{self.trainee} studying {self.session}"


class CheckAnswer(models.Model):
    """One try at one knowledge check. Every try is kept: the first shows what the trainee
    knew, the last that they got there. ``client_id`` is made on the device, so an answer sent
    again after a lost connection is stored once."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="check_answers")
    session = models.ForeignKey("courses.SessionPage", on_delete=models.CASCADE, related_name="+")
    check_id = models.CharField(max_length=64)  # the knowledge check block's id in the session
    option = models.PositiveSmallIntegerField()  # the option chosen, from 0 in stored order
    correct = models.BooleanField()
    attempt = models.PositiveSmallIntegerField()  # 1 for the first try at this check
    answered_at = models.DateTimeField()  # on the device
    received_at = models.DateTimeField(auto_now_add=True)
    client_id = models.UUIDField(unique=True)

    class Meta:
        ordering = ["answered_at"]
        indexes = [models.Index(fields=["session", "check_id"])]

    def __str__(self):
        return f"{self.trainee}: {self.check_id} option {self.option}"
