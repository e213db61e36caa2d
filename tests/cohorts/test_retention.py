"""Retention (issue 7, item 5): `purge_expired` removes exactly what is past each kind's
period. Erasure is in test_erasure.py."""

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from audit.models import AuditEvent
from cohorts.models import (
    Delivery,
    Trainee,
)
from cohorts.retention import RetentionError, expired_records, purge_expired
from courses.models import ProgrammePage
from evaluation.models import Answer, Item, Questionnaire, Response
from journals import services as journals
from journals.models import (
    Comment,
    JournalEntry,
    Share,
)
from printing.models import Edition
from tests.factories import hold_sessions, make_cohort

TODAY = timezone.localdate()  # the commands count from today


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def days_before(days: int) -> date:
    return TODAY - timedelta(days=days)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def questionnaire() -> Questionnaire:
    return Questionnaire.objects.create(title="Attitudes", slug="attitudes-test")


# Retention --------------------------------------------------------------------------------------


@pytest.fixture
def periods(settings):
    settings.RETENTION_DAYS = {
        "journals": 100,
        "supervision": 200,
        "attendance": 300,
        "questionnaire_responses": 50,
        "built_pdfs": 90,
        "audit_log": 400,
    }
    return settings.RETENTION_DAYS


@pytest.fixture
def dated_records(periods, users, staff_at_home):
    """For each kind, one row dated the day before its cut-off (expired) and one on it (kept)."""
    cohort = make_cohort(sessions=2, trainees=1, establishment=staff_at_home)
    trainee = cohort.memberships.get().trainee
    expired, kept = {}, {}

    def entry(day):
        return JournalEntry.objects.create(
            trainee=trainee, title="On the wing", written_on=day, sections={"text": "x"}
        )

    expired["entry"] = entry(days_before(periods["journals"] + 1))
    kept["entry"] = entry(days_before(periods["journals"]))
    Share.objects.create(entry=expired["entry"], supervisor=users["trainer"])
    Comment.objects.create(entry=expired["entry"], author=users["trainer"], text="Well done")

    def meeting(day):
        return journals.record_meeting(
            establishment=staff_at_home,
            supervisor=users["trainer"],
            held_on=day,
            kind="one_to_one",
            attendees=[journals.AttendeeRecord(trainee, 4, "Notes")],
            actions=[journals.ActionRecord("Read the guide", None, trainee)],
            today=TODAY,
        )

    expired["meeting"] = meeting(days_before(periods["supervision"] + 1))
    kept["meeting"] = meeting(days_before(periods["supervision"]))

    old, recent = hold_sessions(cohort, {"Trainee 1": ["present", "present"]}, first_day=at(TODAY))
    Delivery.objects.filter(pk=old.pk).update(starts_at=at(days_before(periods["attendance"] + 1)))
    Delivery.objects.filter(pk=recent.pk).update(starts_at=at(days_before(periods["attendance"])))
    expired["attendance"] = old.attendances.get()
    kept["attendance"] = recent.attendances.get()

    form = questionnaire()
    item = Item.objects.create(questionnaire=form, text="I like helping", kind="rating")

    def response(day):
        answer = Response.objects.create(
            questionnaire=form,
            establishment=staff_at_home,
            trainee=trainee,
            time_point="before",
            completed_on=day,
        )
        Answer.objects.create(response=answer, item=item, choice=2)
        return answer

    expired["response"] = response(days_before(periods["questionnaire_responses"] + 1))
    kept["response"] = response(days_before(periods["questionnaire_responses"]))

    def event(day):
        created = AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, username="someone")
        models.QuerySet(AuditEvent).filter(pk=created.pk).update(at=at(day))
        return created

    expired["event"] = event(days_before(periods["audit_log"] + 1))
    kept["event"] = event(days_before(periods["audit_log"]))
    return expired, kept


def edition(programme, number, built: date, status="ready", kind="workbook"):
    made = Edition.objects.create(
        programme=programme, kind=kind, number=number, fingerprint=f"{kind}-{number}"
    )
    if status == "ready":
        made.file.save(f"{kind}-{number}.pdf", ContentFile(b"%PDF-1.7 book"), save=False)
    made.status = status
    made.save()
    Edition.objects.filter(pk=made.pk).update(created_at=at(built), built_at=at(built))
    return made


@pytest.fixture
def editions(periods, db):
    """A workbook's editions 1 to 3, a failed build and another document's only edition."""
    programme = ProgrammePage.objects.first()
    cutoff = periods["built_pdfs"]
    return {
        # Replaced by edition 2, built a day before the cut-off: gone.
        "replaced_long_ago": edition(programme, 1, days_before(cutoff + 400)),
        # Replaced by edition 3 on the cut-off day: kept a little longer.
        "replaced_lately": edition(programme, 2, days_before(cutoff + 1)),
        "current": edition(programme, 3, days_before(cutoff)),
        "failed_long_ago": edition(programme, 4, days_before(cutoff + 1), status="failed"),
        "old_but_current": edition(programme, 1, days_before(1000), kind="trainer_book"),
    }


def rows_of_records() -> int:
    """Rows in every table but Wagtail's reference index: that is bookkeeping about links, and
    has rows for cohort records only once the admin's viewsets are loaded (by an earlier test)."""
    return sum(
        model._base_manager.count()
        for model in apps.get_models()
        if model._meta.label != "wagtailcore.ReferenceIndex"
    )


def test_purge_removes_exactly_what_is_past_each_period(
    dated_records, django_capture_on_commit_callbacks
):
    expired, kept = dated_records
    before = rows_of_records()

    with django_capture_on_commit_callbacks(execute=True):
        removed = purge_expired(TODAY)

    after = rows_of_records()
    assert before - after == removed.total - 1  # one audit event records the purge

    for record in expired.values():
        assert not type(record).objects.filter(pk=record.pk).exists(), record
    for record in kept.values():
        assert type(record).objects.filter(pk=record.pk).exists(), record
    assert removed.rows["journal entries"] == 1
    assert removed.rows["journal shares"] == 1 and removed.rows["journal comments"] == 1
    assert removed.rows["supervision meetings"] == 1
    assert removed.rows["supervision attendances"] == 1
    assert removed.rows["supervision actions"] == 1
    assert removed.rows["attendance"] == 1
    assert removed.rows["questionnaire responses"] == 1
    assert removed.rows["questionnaire answers"] == 1
    assert removed.rows["audit log events"] == 1
    # The deliveries and the trainee stay: only the records with a period go.
    assert Delivery.objects.filter(pk=expired["attendance"].delivery_id).exists()
    assert Trainee.objects.filter(pk=expired["entry"].trainee_id).exists()


def test_purge_keeps_current_editions_and_removes_old_ones_with_their_files(
    editions, media_root, django_capture_on_commit_callbacks
):
    files = {key: Path(media_root) / made.file.name for key, made in editions.items() if made.file}

    with django_capture_on_commit_callbacks(execute=True):
        removed = purge_expired(TODAY)

    left = set(Edition.objects.filter(pk__in=[e.pk for e in editions.values()]))
    assert left == {editions["replaced_lately"], editions["current"], editions["old_but_current"]}
    assert removed.rows["built PDFs"] == 2
    assert not files["replaced_long_ago"].exists()
    assert files["replaced_lately"].exists() and files["current"].exists()
    assert files["old_but_current"].exists()
    assert removed.files == [editions["replaced_long_ago"].file.name]


def test_a_dry_run_counts_the_same_and_removes_nothing(
    dated_records, editions, django_capture_on_commit_callbacks
):
    counts = {model: model.objects.count() for model in apps.get_models()}
    files = sorted(p for p in Path(editions["current"].file.path).parent.iterdir())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        planned = purge_expired(TODAY, dry_run=True)

    assert callbacks == []
    assert {model: model.objects.count() for model in apps.get_models()} == counts
    assert sorted(Path(editions["current"].file.path).parent.iterdir()) == files
    removed = purge_expired(TODAY)
    assert planned.rows == removed.rows and planned.files == removed.files
    assert removed.total > 0


def test_the_plan_counts_each_kind_from_its_cut_off(dated_records, periods):
    plan = {expired.kind.label: expired for expired in expired_records(TODAY)}

    assert plan["journal entries"].count == 1
    assert plan["journal entries"].cutoff == days_before(periods["journals"])
    assert plan["supervision meetings"].count == 1
    assert plan["attendance"].count == 1
    assert plan["questionnaire responses"].count == 1
    assert plan["audit log events"].count == 1
    assert plan["audit log events"].period_days == periods["audit_log"]


def test_purge_is_audited_without_content(dated_records):
    purge_expired(TODAY)

    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert event.username == "purge_expired"
    assert event.what.startswith("expired records past their retention period")


def test_a_kind_without_a_period_is_a_configuration_error(settings, db):
    settings.RETENTION_DAYS = {"journals": 10}

    with pytest.raises(RetentionError) as error:
        purge_expired(TODAY)

    assert error.value.code == "no_period"


def test_the_dry_run_command_prints_each_kind_and_deletes_nothing(dated_records, periods):
    entries = JournalEntry.objects.count()
    out = io.StringIO()

    call_command("purge_expired", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "journal entries: kept 100 days" in text
    assert "Would remove" in text and "Dry run: nothing was deleted." in text
    assert "  journal entries: 1\n" in text
    assert JournalEntry.objects.count() == entries


def test_the_command_deletes_and_prints_what_went(dated_records):
    expired, kept = dated_records
    out = io.StringIO()

    call_command("purge_expired", stdout=out)

    assert "Removed:\n" in out.getvalue() and "  journal entries: 1\n" in out.getvalue()
    assert not JournalEntry.objects.filter(pk=expired["entry"].pk).exists()
    assert JournalEntry.objects.filter(pk=kept["entry"].pk).exists()
