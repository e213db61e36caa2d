from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from kernel import clock


class Build(models.Model):
    """What every background build keeps: its status, progress and lease (``printing.builds``),
    and the file it made."""

    class Status(models.TextChoices):
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    progress = models.CharField(max_length=200, blank=True, help_text="What the build is doing.")
    error = models.TextField(blank=True, help_text="Why the build failed, in plain words.")
    file = models.FileField(upload_to="editions/", blank=True, max_length=255)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker building it last said it was alive."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker has started building it."
    )
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The background task that builds it now."
    )
    built_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)


class Edition(Build):
    """One build of one printed document of a programme, cached under a content fingerprint.

    A document is a kind (see ``printing.documents.DOCUMENT_KINDS``) of a programme, and for a
    handout also a session. Its editions are numbered 1, 2, 3 ... in the order they were asked
    for; the current edition is the newest ready one. The file lives under
    ``MEDIA_ROOT/editions/`` and is only ever served by ``printing.views.download``.
    """

    programme = models.ForeignKey(
        "courses.ProgrammePage", on_delete=models.CASCADE, related_name="editions"
    )
    kind = models.CharField(max_length=40)
    session = models.ForeignKey(
        "courses.SessionPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only for a handout: the session it prints.",
    )
    number = models.PositiveIntegerField()
    fingerprint = models.CharField(
        max_length=64,
        db_index=True,
        help_text="SHA-256 of the published content and the templates the edition comes from.",
    )

    class Meta:
        ordering = ["programme_id", "kind", "session_id", "-number"]
        permissions = [("print_books", "Can build and download the printed books")]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "number"],
                condition=Q(session__isnull=True),
                name="printing_edition_number_unique",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "session", "number"],
                condition=Q(session__isnull=False),
                name="printing_handout_edition_number_unique",
            ),
            # The fingerprint names the document too, so this allows one build at a time of
            # the same content.
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=Q(status="building"),
                name="printing_edition_one_build_per_fingerprint",
            ),
        ]

    def __str__(self):
        return f"{self.title} (edition {self.number})"

    @property
    def date(self) -> date:
        """The edition's date, printed on its cover and in its footers."""
        return timezone.localdate(self.created_at) if self.created_at else clock.today()

    @property
    def kind_label(self) -> str:
        from .documents import DOCUMENT_KINDS

        return DOCUMENT_KINDS.get(self.kind, self.kind)

    @property
    def title(self) -> str:
        """What the document is called on the print page and in the audit log."""
        return edition_title(
            self.kind, self.programme.title, self.session.title if self.session_id else None
        )

    @property
    def download_name(self) -> str:
        return edition_file_name(
            self.kind,
            self.programme.slug,
            self.session.slug if self.session_id else None,
            self.number,
        )


def edition_title(kind: str, programme_title: str, session_title: str | None) -> str:
    from .documents import DOCUMENT_KINDS

    name = f"{DOCUMENT_KINDS.get(kind, kind)}: {programme_title}"
    return f"{name}, {session_title}" if session_title else name


def edition_file_name(kind: str, programme_slug: str, session_slug: str | None, number) -> str:
    """The file name a person saves: programme, document, session and edition number."""
    parts = [programme_slug, kind.replace("_", "-")]
    if session_slug:
        parts.append(session_slug)
    return "-".join(parts) + f"-edition-{number}.pdf"


class CohortPack(Build):
    """A cohort's pack, made in the background: paper registers of its scheduled deliveries,
    certificates of those who completed, and the print list with its estimate of sheets and
    cost (``printing.packs``). It names trainees: only staff who may run cohorts at the
    cohort's establishment download it, and only the newest is kept once a newer one is ready.
    """

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort"],
                condition=Q(status="building"),
                name="printing_cohortpack_one_build_per_cohort",
            ),
        ]

    def __str__(self):
        return f"Pack of {self.cohort.name} ({self.created_at:%d %b %Y %H:%M})"

    @property
    def download_name(self) -> str:
        made = timezone.localtime(self.created_at) if self.created_at else timezone.localtime()
        return f"cohort-pack-{self.cohort_id}-{made:%Y-%m-%d-%H%M}.zip"


@register_setting(icon="doc-full")
class PrintSettings(BaseGenericSetting):
    """What printing costs, for the estimate in a cohort's pack."""

    cost_per_sheet = models.DecimalField(
        "Cost per sheet (pence)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("4.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
        help_text="What one A4 sheet costs to print on both sides, in pence, paper and toner "
        "together. The estimate in a cohort's pack multiplies the sheets by this.",
    )

    class Meta:
        verbose_name = "Printing costs"
