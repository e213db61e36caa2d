"""Retention and erasure of personal records (issue 7, item 5).

Every kind of record that is kept for a limited time, or that belongs to a trainee, is one entry
in ``RECORD_KINDS``. ``purge_expired`` deletes what is older than its kind's period in
``settings.RETENTION_DAYS``; ``erase_trainee`` deletes everything of one trainee, in every app.

Both delete through Django's collector, so rows that hang off a deleted row (shares and comments
of a journal entry, a meeting's actions, a placement's log entries, a questionnaire's answers)
go with it and are counted; the files of deleted rows and the Wagtail admin history that names
them (``ModelLogEntry.label`` is the record's ``str()``) go too. Counts are per kind of row, by
the model's plural name.

Adding a kind of record (say questionnaire responses) is one ``RecordKind`` in
``RECORD_KINDS``: its model, the lookups from it to a trainee, and, if it expires, the setting
key and the date it is counted from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, router, transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from wagtail.models import ModelLogEntry

from audit.models import AuditEvent
from audit.services import record
from kernel.errors import DomainError

from .models import Trainee

BATCH = 500


class RetentionError(DomainError):
    """A record that retention or erasure may not touch."""


@dataclass(frozen=True)
class RecordKind:
    """One kind of record, for retention, erasure or both.

    ``model``: "app_label.ModelName". ``trainee_lookups``: lookups from the model to the
    Trainee whose record a row is (any of them matching is enough); rows that cascade from
    another kind's row need no entry. ``retention``: the key of its period in
    ``settings.RETENTION_DAYS``; ``dated_by``: the date or datetime (a lookup path) the period
    runs from. ``of_trainee`` and ``expired`` replace the lookups for rules that a path cannot
    say.
    """

    label: str
    model: str
    trainee_lookups: tuple[str, ...] = ()
    retention: str | None = None
    dated_by: str | None = None
    of_trainee: Callable[[Trainee], QuerySet] | None = None
    expired: Callable[[date], QuerySet] | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def erasable(self) -> bool:
        return bool(self.trainee_lookups or self.of_trainee)

    def rows_of(self, trainee: Trainee) -> QuerySet:
        if self.of_trainee is not None:
            return self.of_trainee(trainee)
        condition = Q()
        for lookup in self.trainee_lookups:
            condition |= Q(**{lookup: trainee})
        return self.model_class._default_manager.filter(condition)

    def period(self) -> int:
        periods = getattr(settings, "RETENTION_DAYS", {})
        if self.retention not in periods:
            raise RetentionError(
                "no_period", f"settings.RETENTION_DAYS has no period for {self.retention!r}."
            )
        return int(periods[self.retention])

    def cutoff(self, today: date) -> date:
        """Rows dated before this day are past the period."""
        return today - timedelta(days=self.period())

    def expired_rows(self, today: date) -> QuerySet:
        if self.expired is not None:
            return self.expired(today)
        model = self.model_class
        lookup = f"{self.dated_by}__lt"
        if isinstance(_field_at(model, self.dated_by), models.DateTimeField):
            lookup = f"{self.dated_by}__date__lt"
        return model._base_manager.filter(**{lookup: self.cutoff(today)})


def _field_at(model: type[models.Model], path: str) -> models.Field:
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _meetings_left_without_attendees(trainee: Trainee) -> QuerySet:
    meeting = apps.get_model("journals.SupervisionMeeting")
    others = Trainee.objects.exclude(pk=trainee.pk)
    return meeting.objects.filter(attendees__trainee=trainee).exclude(attendees__trainee__in=others)


def _superseded_editions(today: date) -> QuerySet:
    """Printed editions that stopped being current more than the period ago (a newer ready
    edition of the same document was built before the cut-off), and failed builds older than
    it. The current edition of each document is always kept, however old."""
    edition = apps.get_model("printing.Edition")
    cutoff = RECORD_KINDS_BY_RETENTION["built_pdfs"].cutoff(today)
    expired: list[int] = []
    newer_ready_built: dict[tuple, date | None] = {}
    for pk, programme, kind, session, status, has_file, created, built in (
        edition.objects.exclude(status=edition.Status.BUILDING)
        .order_by("programme_id", "kind", "session_id", "-number")
        .values_list(
            "pk", "programme_id", "kind", "session_id", "status", "file", "created_at", "built_at"
        )
    ):
        document = (programme, kind, session)
        if status == edition.Status.FAILED:
            if timezone.localdate(created) < cutoff:
                expired.append(pk)
            continue
        replaced_on = newer_ready_built.get(document)
        if replaced_on is not None and replaced_on < cutoff:
            expired.append(pk)
        if has_file:
            newer_ready_built[document] = timezone.localdate(built or created)
    return edition.objects.filter(pk__in=expired)


RECORD_KINDS: list[RecordKind] = [
    RecordKind(
        "journal entries",
        "journals.JournalEntry",
        trainee_lookups=("trainee",),  # written by them, or typed up from paper for them
        retention="journals",
        dated_by="written_on",
    ),
    RecordKind("journal comments", "journals.Comment", trainee_lookups=("author__trainee",)),
    RecordKind(
        "supervision meetings",
        "journals.SupervisionMeeting",
        of_trainee=_meetings_left_without_attendees,
        retention="supervision",
        dated_by="held_on",
    ),
    RecordKind(
        "supervision attendances",
        "journals.SupervisionAttendee",
        trainee_lookups=("trainee",),  # their actions go with the row
    ),
    RecordKind(
        "attendance",
        "cohorts.Attendance",
        trainee_lookups=("trainee",),
        retention="attendance",
        dated_by="delivery__starts_at",
    ),
    RecordKind("memberships", "cohorts.Membership", trainee_lookups=("trainee",)),
    RecordKind(
        "shadowing placements",
        "cohorts.ShadowingPlacement",
        trainee_lookups=("new_worker", "experienced_worker"),
    ),
    RecordKind("certificates", "cohorts.Certificate", trainee_lookups=("trainee",)),
    RecordKind(
        "trainees",
        "cohorts.Trainee",
        of_trainee=lambda trainee: Trainee.objects.filter(pk=trainee.pk),
    ),
    RecordKind(
        "logins",
        "auth.User",
        of_trainee=lambda trainee: get_user_model().objects.filter(pk=trainee.user_id),
    ),
    RecordKind(
        "questionnaire responses",
        "evaluation.Response",
        trainee_lookups=("trainee",),  # anonymous ones, with no trainee, expire all the same
        retention="questionnaire_responses",
        dated_by="completed_on",
    ),
    RecordKind(
        "built PDFs", "printing.Edition", retention="built_pdfs", expired=_superseded_editions
    ),
    RecordKind("audit log events", "audit.AuditEvent", retention="audit_log", dated_by="at"),
]
RECORD_KINDS_BY_RETENTION = {kind.retention: kind for kind in RECORD_KINDS if kind.retention}


@dataclass(frozen=True)
class Expired:
    kind: RecordKind
    period_days: int
    cutoff: date
    count: int


@dataclass
class Removed:
    """What a purge or an erasure deleted: rows per kind (model plural name) and files."""

    rows: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def lines(self) -> list[str]:
        lines = [f"{label}: {count}" for label, count in sorted(self.rows.items()) if count]
        lines.append(f"files: {len(self.files)}")
        return lines


class _FullCollector(Collector):
    """A collector that loads every row it will delete (as the admin's NestedObjects does),
    so their files and admin history can be found."""

    def can_fast_delete(self, *args, **kwargs):
        return False


# What the rows that go along with a kind are called in reports, where the model's own plural
# name would not say it.
ROW_NAMES = {
    "auth.User_groups": "login group memberships",
    "wagtailcore.ModelLogEntry": "admin history entries",
    "axes.AccessAttempt": "sign-in lockout records",
    "axes.AccessFailureLog": "failed sign-in records",
    "axes.AccessLog": "sign-in records",
    "journals.Share": "journal shares",
    "evaluation.Answer": "questionnaire answers",
    "otp_totp.TOTPDevice": "authenticator devices",
    "wagtailusers.UserProfile": "login preferences",
}


def _label(model: type[models.Model]) -> str:
    label = model._meta.label
    for kind in RECORD_KINDS:
        if kind.model == label:
            return kind.label
    return ROW_NAMES.get(label, str(model._meta.verbose_name_plural))


def _collect(querysets: Iterable[QuerySet]) -> _FullCollector:
    using = router.db_for_write(Trainee)
    collector = _FullCollector(using=using, origin=None)
    for queryset in querysets:
        collector.collect(queryset)
    return collector


def _planned_rows(collector: _FullCollector) -> Counter:
    rows: Counter = Counter()
    for model, instances in collector.data.items():
        rows[_label(model)] += len(instances)
    return rows


def _delete(querysets: Iterable[QuerySet], removed: Removed) -> None:
    """Delete the rows and everything that cascades from them, their admin history, and (once
    the transaction commits) their files."""
    collector = _collect(querysets)
    files: list[str] = []
    history = Q()
    for model, instances in collector.data.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for instance in instances:
            files.extend(getattr(instance, f.attname).name for f in file_fields)
        if instances:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            pks = [str(instance.pk) for instance in instances]
            history |= Q(content_type=content_type, object_id__in=pks)
    if history:
        _, history_rows = ModelLogEntry.objects.filter(history).delete()
        for label, count in history_rows.items():
            removed.rows[_label(apps.get_model(label))] += count
    _, deleted = collector.delete()
    for label, count in deleted.items():
        removed.rows[_label(apps.get_model(label))] += count
    files = [name for name in files if name]
    removed.files.extend(files)
    transaction.on_commit(lambda: _remove_files(files), using=collector.using)


def _remove_files(names: list[str]) -> None:
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)


# Retention


def expired_records(today: date) -> list[Expired]:
    """Per kind with a retention period: its period, the cut-off and how many rows are past it
    (not counting the rows that would go with them)."""
    return [
        Expired(kind, kind.period(), kind.cutoff(today), kind.expired_rows(today).count())
        for kind in RECORD_KINDS
        if kind.retention
    ]


def purge_expired(today: date, dry_run: bool = False) -> Removed:
    """Delete every row past its kind's period, with what hangs off it. A dry run deletes the
    same rows inside a transaction that is rolled back, so its counts are exactly what a real
    run would remove, and no file is touched.

    The audit log is append-only on every screen and in the model; this is the one place that
    deletes from it, past ``RETENTION_DAYS["audit_log"]``, so that it stays bounded."""
    removed = Removed()
    with transaction.atomic():
        for kind in RECORD_KINDS:
            if not kind.retention:
                continue
            pks = list(kind.expired_rows(today).values_list("pk", flat=True))
            manager = kind.model_class._base_manager
            for start in range(0, len(pks), BATCH):
                _delete([manager.filter(pk__in=pks[start : start + BATCH])], removed)
        if dry_run:
            transaction.set_rollback(True)
        elif removed.total:
            what = f"expired records past their retention period: {removed.total} rows"
            record(None, AuditEvent.Action.ERASE, what=what, username="purge_expired")
    return removed


# Erasure


def erasure_plan(trainee: Trainee) -> Removed:
    """What ``erase_trainee`` would delete, without deleting it."""
    _check_login(trainee)
    collector = _collect(kind.rows_of(trainee) for kind in RECORD_KINDS if kind.erasable)
    return Removed(rows=_planned_rows(collector))


def _check_login(trainee: Trainee) -> None:
    user = trainee.user
    if user is None:
        return
    if user.is_staff or user.is_superuser or hasattr(user, "staff_profile"):
        raise RetentionError(
            "shared_login",
            f"Trainee {trainee.pk}'s login is also a staff account: unlink it before erasing.",
        )


def erase_trainee(trainee: Trainee, by, *, request=None, username: str = "") -> Removed:
    """Remove every row that names or belongs to the trainee, in every app, in one transaction,
    and record the erasure in the audit log as "trainee <pk>" (never the name).

    Their login is deleted too: a peer support worker's account exists only for them. A login
    that is also a staff account is refused (``shared_login``). Sign-in records (django-axes)
    under their username are deleted; the audit log keeps its events but their username is
    replaced by "trainee <pk>", as the audit log keeps who did what, not who they were.
    """
    _check_login(trainee)
    pk = trainee.pk
    removed = Removed()
    with transaction.atomic():
        if trainee.user_id:
            login = trainee.user.get_username()
            renamed = (
                models.QuerySet(AuditEvent)
                .filter(Q(user_id=trainee.user_id) | Q(username__iexact=login))
                .update(username=f"trainee {pk}")
            )
            if renamed:
                removed.rows[f"audit log events now under 'trainee {pk}'"] += renamed
            _forget_sign_ins(login, removed)
        _delete((kind.rows_of(trainee) for kind in RECORD_KINDS if kind.erasable), removed)
        record(request, AuditEvent.Action.ERASE, what=f"trainee {pk}", user=by, username=username)
    return removed


def _forget_sign_ins(login: str, removed: Removed) -> None:
    for name in ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"):
        model = apps.get_model(name)
        count, _ = models.QuerySet(model).filter(username__iexact=login).delete()
        removed.rows[_label(model)] += count
