"""Erasure (issue 7, item 5): erasing a trainee leaves no row and no file that names them."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.log_actions import log

from audit.models import AuditEvent
from cohorts.models import (
    Attendance,
    Certificate,
    Membership,
    ShadowingLogEntry,
    ShadowingPlacement,
    Trainee,
)
from cohorts.retention import RetentionError, erase_trainee
from courses.models import ProgrammePage
from evaluation.models import Answer, Item, Questionnaire, Response
from journals import services as journals
from journals.models import (
    Comment,
    JournalEntry,
    Share,
    SupervisionAction,
    SupervisionAttendee,
    SupervisionMeeting,
)
from kernel import roles
from printing import services as printing
from tests.factories import hold_sessions, make_cohort, sessions_of

TODAY = timezone.localdate()  # the commands count from today
NAME = "Zebedee Quill"
PRISON_NUMBER = "Z9876QX"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def questionnaire() -> Questionnaire:
    return Questionnaire.objects.create(title="Attitudes", slug="attitudes-test")


def text_columns(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        or field.get_internal_type() in ("CharField", "TextField", "JSONField")
    ]


def rows_naming(*needles: str) -> dict[str, int]:
    """Every row of every model with a text, char or JSON column containing a needle."""
    found = {}
    for model in apps.get_models():
        for field in text_columns(model):
            for needle in needles:
                count = (
                    model._base_manager.annotate(_text=Cast(field.name, models.TextField()))
                    .filter(_text__icontains=needle)
                    .count()
                )
                if count:
                    key = f"{model._meta.label}.{field.name}"
                    found[key] = found.get(key, 0) + count
    return found


def file_text(path: Path) -> str:
    content = path.read_bytes()
    text = content.decode("utf-8", errors="replace")
    if content.startswith(b"%PDF"):
        text += " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text


def files_naming(root: Path, *needles: str) -> list[str]:
    return [
        str(path)
        for path in root.rglob("*")
        if path.is_file() and any(needle.lower() in file_text(path).lower() for needle in needles)
    ]


@pytest.fixture
def peer_worker_login(db):
    user = get_user_model().objects.create_user(
        PRISON_NUMBER.lower(), password="a-long-passphrase", first_name="Zebedee", last_name="Quill"
    )
    user.groups.add(Group.objects.get(name=roles.PEER_SUPPORT_WORKER))
    return user


@pytest.fixture
def zebedee(users, staff_at_home, peer_worker_login, client):
    """A peer worker with records in every app, who signs in (once wrongly), and another
    worker, Yara, who shares a cohort, a group supervision and shadowing with them."""
    home = staff_at_home
    trainee = Trainee.objects.create(
        establishment=home,
        display_name=NAME,
        prison_number=PRISON_NUMBER,
        role_status="active",
        user=peer_worker_login,
    )
    yara = Trainee.objects.create(establishment=home, display_name="Yara", role_status="active")
    log(instance=trainee, action="wagtail.create", user=users["facilitator"])
    log(instance=peer_worker_login, action="wagtail.create", user=users["facilitator"])

    cohort = make_cohort(sessions=2, trainees=0, establishment=home)
    for member in (trainee, yara):
        membership = Membership.objects.create(cohort=cohort, trainee=member)
        log(instance=membership, action="wagtail.create", user=users["facilitator"])
    hold_sessions(cohort, {NAME: ["present", "present"], "Yara": ["present", "absent"]})
    Attendance.objects.filter(trainee=trainee).update(remark=f"{NAME} came from healthcare")
    Certificate.objects.create(
        trainee=trainee,
        cohort=cohort,
        reference="PSW-TEST-0001",
        completed_on=TODAY,
        signatory="A. Patel, Head of Healthcare",
        issued_on=TODAY,
    )
    for new, experienced in ((trainee, yara), (yara, trainee)):
        placement = ShadowingPlacement.objects.create(
            new_worker=new, experienced_worker=experienced, starts_on=TODAY, ends_on=TODAY
        )
        ShadowingLogEntry.objects.create(
            placement=placement, day=TODAY, note=f"{new.display_name} watched closely"
        )

    own = JournalEntry.objects.create(
        trainee=trainee,
        title=f"{NAME}'s first week",
        written_on=TODAY,
        sections={"text": f"I am {NAME}, {PRISON_NUMBER}."},
    )
    JournalEntry.objects.create(
        trainee=trainee,
        title="From paper",
        written_on=TODAY,
        sections={"text": "Typed up by staff."},
        entered_by=users["trainer"],
    )
    Share.objects.create(entry=own, supervisor=users["trainer"])
    Comment.objects.create(entry=own, author=users["trainer"], text=f"Thank you, {NAME}.")
    JournalEntry.objects.create(
        staff_author=users["trainer"], title="My own week", written_on=TODAY, sections={}
    )

    journals.record_meeting(
        establishment=home,
        supervisor=users["trainer"],
        held_on=TODAY,
        kind="one_to_one",
        attendees=[journals.AttendeeRecord(trainee, 3, f"{NAME} is tired")],
        actions=[journals.ActionRecord(f"{NAME} to rest", None, trainee)],
        today=TODAY,
    )
    journals.record_meeting(
        establishment=home,
        supervisor=users["trainer"],
        held_on=TODAY,
        kind="group",
        attendees=[
            journals.AttendeeRecord(trainee, 4, f"{NAME} spoke up"),
            journals.AttendeeRecord(yara, 2, "Yara's notes"),
        ],
        actions=[
            journals.ActionRecord(f"Ask {NAME} about the rota", None, trainee),
            journals.ActionRecord("Yara's action", None, yara),
            journals.ActionRecord("Everyone: read the guide"),
        ],
        today=TODAY,
    )

    form = questionnaire()
    item = Item.objects.create(questionnaire=form, text="What did you learn?", kind="text")
    response = Response.objects.create(
        questionnaire=form,
        establishment=home,
        trainee=trainee,
        time_point="end",
        completed_on=TODAY,
    )
    Answer.objects.create(response=response, item=item, text=f"I, {NAME}, learned to listen.")

    # Signing in (django-axes and the audit log keep the username), once wrongly first.
    login_url = "/accounts/login/"
    client.post(login_url, {"username": PRISON_NUMBER.lower(), "password": "wrong"})
    client.post(login_url, {"username": PRISON_NUMBER.lower(), "password": "a-long-passphrase"})
    client.logout()
    return trainee, yara


def others_records(yara: Trainee) -> dict:
    return {
        "trainee": Trainee.objects.filter(pk=yara.pk).count(),
        "memberships": Membership.objects.filter(trainee=yara).count(),
        "attendance": Attendance.objects.filter(trainee=yara).count(),
        "attendees": SupervisionAttendee.objects.filter(trainee=yara).count(),
        "actions": SupervisionAction.objects.filter(attendee__trainee=yara).count(),
        "group actions": SupervisionAction.objects.filter(attendee=None).count(),
        "staff entries": JournalEntry.objects.filter(staff_author__isnull=False).count(),
    }


def test_erasure_leaves_no_row_and_no_file_naming_the_trainee(
    zebedee, users, media_root, django_capture_on_commit_callbacks
):
    trainee, yara = zebedee
    # A book built now, and it is read as text by the scan: it names nobody.
    programme = ProgrammePage.objects.get(slug="three-day-programme")
    session = sessions_of(programme)[0]
    built = printing.request_build("handout", programme, session)
    assert built.is_ready and session.title.lower() in file_text(Path(built.file.path)).lower()
    named = rows_naming(NAME, PRISON_NUMBER)
    for place in (
        "cohorts.Trainee.display_name",
        "cohorts.Trainee.prison_number",
        "cohorts.Attendance.remark",
        "cohorts.ShadowingLogEntry.note",
        "journals.JournalEntry.sections",
        "journals.Comment.text",
        "journals.SupervisionAttendee.notes",
        "journals.SupervisionAction.text",
        "evaluation.Answer.text",
        "wagtailcore.ModelLogEntry.label",
        "audit.AuditEvent.username",
        "axes.AccessLog.username",
        "auth.User.username",
    ):
        assert place in named, place  # the scan finds them before the erasure
    assert files_naming(media_root, NAME, PRISON_NUMBER) == []
    others = others_records(yara)

    with django_capture_on_commit_callbacks(execute=True):
        removed = erase_trainee(trainee, users["facilitator"])

    assert rows_naming(NAME, PRISON_NUMBER) == {}
    assert files_naming(media_root, NAME, PRISON_NUMBER) == []
    assert not get_user_model().objects.filter(username=PRISON_NUMBER.lower()).exists()
    assert removed.rows["trainees"] == 1 and removed.rows["logins"] == 1
    assert removed.rows["journal entries"] == 2
    assert removed.rows["supervision meetings"] == 1  # the one-to-one; the group one stays
    assert removed.rows["supervision attendances"] == 2
    assert removed.rows["shadowing placements"] == 2
    assert removed.rows["certificates"] == 1 and removed.rows["questionnaire responses"] == 1
    assert removed.rows["supervision actions"] == 2  # theirs; the group's own action stays
    assert removed.rows["admin history entries"] == 3
    assert removed.rows["sign-in records"] == 1  # the failed attempt was reset by the success
    assert removed.files == []
    assert others_records(yara) == others
    assert SupervisionMeeting.objects.filter(kind="group").count() == 1


def test_erasure_writes_one_audit_row_without_the_name(zebedee, users):
    trainee, _ = zebedee
    pk = trainee.pk

    erase_trainee(trainee, users["facilitator"])

    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert event.what == f"trainee {pk}"
    assert event.user == users["facilitator"]
    # Their own sign-ins stay in the log, under "trainee <pk>" rather than their username.
    assert AuditEvent.objects.filter(action="login", username=f"trainee {pk}").count() == 1
    assert AuditEvent.objects.filter(action="login_failed", username=f"trainee {pk}").count() == 1


def test_audited_reads_and_downloads_of_a_trainee_never_name_them(zebedee, users, client):
    trainee, _ = zebedee
    entry = JournalEntry.objects.get(title=f"{NAME}'s first week")
    cohort = trainee.cohorts.get()
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    assert (
        client.get(reverse("journals:subject_access_export", args=[trainee.pk])).status_code == 200
    )
    client.force_login(users["trainer"])
    assert client.get(reverse("journals:entry_detail", args=[entry.pk])).status_code == 200
    certificate = reverse("cohorts:certificate", args=[cohort.pk, trainee.pk])
    register = reverse("cohorts:paper_register", args=[cohort.deliveries.first().pk])
    for url in (certificate, register):
        assert client.get(url).status_code == 200

    audited = AuditEvent.objects.filter(action__in=["export", "read", "download"])
    assert audited.count() == 4
    assert not audited.filter(what__icontains="zebedee").exists()
    assert not AuditEvent.objects.filter(what__icontains="quill").exists()
    assert not AuditEvent.objects.filter(what__icontains=PRISON_NUMBER).exists()


def test_a_login_that_is_also_a_staff_account_is_not_erased(zebedee, users):
    trainee, _ = zebedee
    trainee.user.is_staff = True
    trainee.user.save()

    with pytest.raises(RetentionError) as error:
        erase_trainee(trainee, users["facilitator"])

    assert error.value.code == "shared_login"
    assert Trainee.objects.filter(pk=trainee.pk).exists()


def test_the_command_asks_first_and_erases_with_yes(zebedee, monkeypatch):
    trainee, _ = zebedee
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    call_command("erase_trainee", str(trainee.pk), stdout=out)

    assert "trainees: 1" in out.getvalue() and "Nothing was erased." in out.getvalue()
    assert Trainee.objects.filter(pk=trainee.pk).exists()

    call_command("erase_trainee", str(trainee.pk), "--yes", stdout=out)

    assert f"Erased trainee {trainee.pk}." in out.getvalue()
    assert "journal entries: 2" in out.getvalue()
    assert not Trainee.objects.filter(pk=trainee.pk).exists()


# The staff screen -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["facilitator", "reviewer", "trainer", "education", "trainee", "evaluator"]
)
def test_only_a_superuser_may_erase_from_the_staff_screens(client_for, zebedee, role):
    trainee, _ = zebedee
    url = reverse("cohorts:erase_trainee", args=[trainee.pk])
    client = client_for(role)

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Trainee.objects.filter(pk=trainee.pk).exists()
    assert (
        "Erase this trainee"
        not in client.get(reverse("cohorts:trainee_progress", args=[trainee.pk])).content.decode()
    )


def test_a_superuser_confirms_then_erases(client, zebedee):
    trainee, _ = zebedee
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    progress = client.get(reverse("cohorts:trainee_progress", args=[trainee.pk]))
    url = reverse("cohorts:erase_trainee", args=[trainee.pk])
    assert url in progress.content.decode()

    confirm = client.get(url)

    assert confirm.status_code == 200
    assert "journal entries: 2" in confirm.content.decode()
    assert Trainee.objects.filter(pk=trainee.pk).exists()

    done = client.post(url)

    assert done.status_code == 200
    assert f"Trainee {trainee.pk} erased" in done.content.decode()
    assert NAME not in done.content.decode()
    assert not Trainee.objects.filter(pk=trainee.pk).exists()
