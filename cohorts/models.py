from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import ModelLogEntry
from wagtail.models.audit_log import ModelLogEntryManager

from kernel.people import person_name

SHADOWING_MINIMUM = timedelta(days=14)


class Establishment(models.Model):
    """A prison."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    certificate_signatory = models.CharField(
        max_length=120,
        blank=True,
        help_text='Who signs completion certificates, with their job, e.g. "A. Patel, Head of '
        "Healthcare\". Left empty, the cohort's lead trainer signs.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    """A member of staff who trains or supervises, and the prisons they work in."""

    class Discipline(models.TextChoices):
        NURSE = "nurse", "Nurse"
        PRISON_OFFICER = "prison_officer", "Prison officer"
        DLO = "dlo", "Disability Liaison Officer"
        OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
        OTHER = "other", "Other"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    discipline = models.CharField(max_length=30, choices=Discipline.choices)
    establishments = models.ManyToManyField(Establishment, related_name="staff")

    def __str__(self):
        return person_name(self.user)


class Trainee(models.Model):
    """A prisoner training as, or working as, a peer support worker. Known by a chosen name."""

    class RoleStatus(models.TextChoices):
        ASPIRING = "aspiring", "Aspiring peer worker"
        ACTIVE = "active", "Active peer worker"
        LEFT = "left", "Left the role"

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="trainees"
    )
    display_name = models.CharField(max_length=80, help_text="The name the trainee chose.")
    prison_number = models.CharField(
        max_length=20,
        blank=True,
        help_text="Optional. Shown only to staff of the same prison; never exported.",
    )
    role_status = models.CharField(
        max_length=10, choices=RoleStatus.choices, default=RoleStatus.ASPIRING
    )
    consent_recorded_on = models.DateField(null=True, blank=True)
    large_print = models.BooleanField(
        default=False, help_text="Prints the large-print workbook for them (16 pt or more)."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainee",
        help_text="Only if the trainee signs in; many never do.",
    )

    class Meta:
        ordering = ["display_name"]
        permissions = [("view_own_progress", "Can see their own training progress")]

    def __str__(self):
        return self.display_name


class Cohort(models.Model):
    """A group of trainees going through one programme together in one prison."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        CANCELLED = "cancelled", "Cancelled"

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="cohorts"
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage", on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(max_length=120)
    start_date = models.DateField()
    lead_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_cohorts",
    )
    co_trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_trained_cohorts"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    trainees = models.ManyToManyField(Trainee, through="Membership", related_name="cohorts")

    class Meta:
        ordering = ["-start_date", "name"]
        permissions = [
            ("take_register", "Can take and key in registers"),
            ("run_cohort", "Can start, schedule and change cohorts"),
        ]

    def __str__(self):
        return f"{self.name} ({self.establishment})"


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="memberships")

    class LeftBecause(models.TextChoices):
        LEFT_ROLE = "left_role", "Left the role"
        TRANSFERRED = "transferred", "Transferred"
        RELEASED = "released", "Released"

    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    left_because = models.CharField(max_length=12, choices=LeftBecause.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "trainee"], name="one_membership_per_cohort")
        ]

    def __str__(self):
        return f"{self.trainee} in {self.cohort}"


class Delivery(models.Model):
    """A session of the cohort's programme, placed on a date and time."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"
        DISRUPTED = "disrupted", "Disrupted"

    class LedBy(models.TextChoices):
        VISITING_FACILITATOR = "visiting_facilitator", "Visiting facilitator"
        LOCAL_STAFF = "local_staff", "Local staff"

    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme session"
        CATCH_UP = "catch_up", "Catch-up"
        REFRESHER = "refresher", "Refresher"

    class CancelledBecause(models.TextChoices):
        LOCKDOWN = "lockdown", "Lockdown"
        STAFF_SHORTAGE = "staff_shortage", "Staff shortage"
        REGIME = "regime", "Regime change"
        OTHER = "other", "Other reason"

    HELD = (Status.DELIVERED, Status.DISRUPTED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="deliveries")
    session = models.ForeignKey(
        "courses.SessionPage", on_delete=models.PROTECT, related_name="deliveries"
    )
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=120, blank=True)
    lead_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_deliveries",
    )
    co_trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_delivered"
    )
    led_by = models.CharField(
        max_length=30, choices=LedBy.choices, default=LedBy.VISITING_FACILITATOR
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    disruption_reason = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, help_text="How it went, in the trainer's words.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROGRAMME)
    cancelled_because = models.CharField(
        max_length=15, choices=CancelledBecause.choices, blank=True
    )
    cancellation_note = models.CharField(max_length=200, blank=True)
    moved_to = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moved_from",
        help_text="The delivery that took the place of this cancelled one.",
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.session.title}, {self.starts_at:%d %b %Y %H:%M}"

    def clean(self):
        if self.status == self.Status.DISRUPTED and not self.disruption_reason:
            raise ValidationError({"disruption_reason": "Say what disrupted the session."})


class Attendance(models.Model):
    class Mark(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        LEFT_EARLY = "left_early", "Left early"
        ABSENT = "absent", "Absent"

    class AbsenceReason(models.TextChoices):
        REGIME = "regime", "Regime or lockdown"
        HEALTHCARE = "healthcare", "Healthcare"
        LEGAL_VISIT = "legal_visit", "Legal visit"
        WORK_CLASH = "work_clash", "Work or education clash"
        TRANSFERRED = "transferred", "Transferred"
        RELEASED = "released", "Released"
        UNWELL = "unwell", "Unwell"
        OTHER = "other", "Other"

    ATTENDED = (Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY)

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attendances")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendances")
    mark = models.CharField(max_length=12, choices=Mark.choices, default=Mark.PRESENT)
    absence_reason = models.CharField(max_length=12, choices=AbsenceReason.choices, blank=True)
    remark = models.CharField(max_length=200, blank=True)
    from_paper = models.BooleanField(
        default=False, help_text="Keyed in afterwards from the signed paper register."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delivery", "trainee"], name="one_mark_per_delivery")
        ]
        verbose_name_plural = "attendance"

    def __str__(self):
        return f"{self.trainee}: {self.get_mark_display()}"

    def clean(self):
        if self.mark == self.Mark.ABSENT and not self.absence_reason:
            raise ValidationError({"absence_reason": "Choose why the trainee was absent."})
        if self.mark != self.Mark.ABSENT and self.absence_reason:
            raise ValidationError({"absence_reason": "Only an absence has a reason."})


class TrainerStage(models.Model):
    """One step of a member of staff towards delivering a session alone, with its evidence."""

    class Stage(models.IntegerChoices):
        OBSERVED = 1, "Observed"
        CO_DELIVERED = 2, "Co-delivered"
        DELIVERED_UNDER_OBSERVATION = 3, "Delivered under observation"
        SIGNED_OFF = 4, "Signed off to deliver alone"

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_stages"
    )
    session = models.ForeignKey(
        "courses.SessionPage", on_delete=models.CASCADE, related_name="trainer_stages"
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    evidence = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trainer", "session", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "session", "stage"], name="one_record_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.trainer} – {self.session.title}: {self.get_stage_display()}"


class ShadowingPlacement(models.Model):
    """A new peer worker shadowing an experienced one (the pilot asked for two weeks at least)."""

    new_worker = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="shadowing")
    experienced_worker = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="shadowed_by"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.new_worker} with {self.experienced_worker}"

    @property
    def too_short(self) -> bool:
        return self.ends_on - self.starts_on < SHADOWING_MINIMUM

    def clean(self):
        if self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end must be after the start."})
        if self.new_worker_id == self.experienced_worker_id:
            raise ValidationError({"experienced_worker": "Choose someone else to shadow."})


class ShadowingLogEntry(models.Model):
    placement = models.ForeignKey(
        ShadowingPlacement, on_delete=models.CASCADE, related_name="log_entries"
    )
    day = models.DateField()
    note = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day"]
        verbose_name_plural = "shadowing log entries"

    def __str__(self):
        return f"{self.placement}, {self.day}"


class Certificate(models.Model):
    """A completion certificate, issued once per trainee and cohort, with a reference that
    staff can check. The reference is random: it says nothing about the trainee."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="certificates")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="certificates")
    reference = models.CharField(max_length=20, unique=True)
    completed_on = models.DateField()
    signatory = models.CharField(max_length=120)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "cohort"], name="one_certificate_per_cohort")
        ]

    def __str__(self):
        return self.reference


class SelfStudy(models.Model):
    """A session a member studied on screen by themselves (every part seen, every check
    answered right), and, once a local trainer has talked it through with them, confirmed.
    Only a confirmed self-study of a session the member missed counts as caught up in
    completion; the register stays the record of who was in the room. ``learning`` records the
    studying; cohorts owns what it counts for."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="self_studies"
    )
    session = models.ForeignKey("courses.SessionPage", on_delete=models.CASCADE, related_name="+")
    studied_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    talked_on = models.DateField(
        null=True, blank=True, help_text="When the trainer talked the session through with them."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "session"], name="one_self_study_per_member_and_session"
            )
        ]

    def __str__(self):
        return f"{self.membership.trainee} studied {self.session}"


class CalendarFeed(models.Model):
    """A member of staff's secret calendar address: whoever holds it reads their deliveries
    (never a trainee's name), so it can be reset."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar of {person_name(self.user)}"


class ScopedLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        from .access import log_entries_out_of_scope

        entries = super().viewable_by_user(user)
        if user.is_superuser:
            return entries
        return entries.exclude(log_entries_out_of_scope(user))


class ScopedModelLogEntry(ModelLogEntry):
    """Wagtail's log of admin edits to records that are not pages (the same table), read
    through the establishment scoping: the site history report, its filters and its
    spreadsheets show a cohort record's entries only to staff of its establishment.
    ``cohorts.wagtail_hooks`` puts it in the place of ``ModelLogEntry``."""

    objects = ScopedLogEntryManager()

    class Meta:
        proxy = True
