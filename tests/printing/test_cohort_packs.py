"""A cohort's pack: one click on the cohort's page makes, in the background, a zip of the print
list (standard and large-print workbooks, sheets and cost), a paper register for every scheduled
delivery and a certificate for everyone who completed; only the cohort's own prison's staff who
run cohorts reach it, and each download is audited."""

import io
import os
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from cohorts.models import Certificate, Delivery, StaffProfile
from kernel import roles
from printing import packs
from printing.models import Build, CohortPack, PrintSettings
from tests.factories import hold_sessions, make_cohort, sessions_of
from tests.printing.pdf_reading import Book, fold

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(staff_at_home, users):
    """Three sessions held (Trainee 1 came to all, so completed), two catch-ups still to come
    and one cancelled; Trainee 3 needs large print."""
    cohort = make_cohort(
        sessions=3, trainees=3, establishment=staff_at_home, lead_trainer=users["trainer"]
    )
    hold_sessions(
        cohort,
        {
            "Trainee 1": ["present", "present", "present"],
            "Trainee 2": ["present", "absent", "absent"],
            "Trainee 3": ["present", "present", "absent"],
        },
    )
    sessions = sessions_of(cohort.programme)
    later = datetime(2026, 2, 2, 9, 30, tzinfo=UTC)
    for day, session, status in [
        (0, sessions[1], Delivery.Status.PLANNED),
        (1, sessions[2], Delivery.Status.PLANNED),
        (2, sessions[2], Delivery.Status.CANCELLED),
    ]:
        Delivery.objects.create(
            cohort=cohort,
            session=session,
            starts_at=later + timedelta(days=day),
            status=status,
            kind=Delivery.Kind.CATCH_UP,
            location="Chapel room",
        )
    trainee3 = cohort.trainees.get(display_name="Trainee 3")
    trainee3.large_print = True
    trainee3.save()
    return cohort


@pytest.fixture
def trainer_elsewhere(elsewhere):
    user = get_user_model().objects.create_user("trainer-elsewhere")
    user.groups.add(Group.objects.get(name=roles.LOCAL_TRAINER))
    StaffProfile.objects.create(user=user, discipline="nurse").establishments.add(elsewhere)
    return user


def make_pack(client, cohort):
    response = client.post(reverse("cohort_pack_build", args=[cohort.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cohort_pack", args=[cohort.pk])
    return CohortPack.objects.get(cohort=cohort)


def download(client, cohort) -> dict[str, Book]:
    response = client.get(reverse("cohort_pack_download", args=[cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: Book(archive.read(name)) for name in archive.namelist()}


def test_the_pack_holds_one_register_per_scheduled_delivery(client_for, cohort):
    client = client_for("trainer")
    pack = make_pack(client, cohort)
    assert pack.status == Build.Status.READY
    files = download(client, cohort)
    assert sorted(files) == [packs.PRINT_LIST, packs.REGISTERS, packs.CERTIFICATES]

    registers = files[packs.REGISTERS]
    scheduled = list(cohort.deliveries.filter(status=Delivery.Status.PLANNED))
    assert len(scheduled) == 2
    assert len(registers.pages) == len(scheduled)  # one register to a page
    assert [title for _, title, _ in registers.outline()] == [d.session.title for d in scheduled]
    for page, delivery in zip(registers.pages, scheduled, strict=True):
        text = page.text()
        assert delivery.session.title in text
        assert f"{delivery.starts_at:%-d %B %Y}" in text
        assert "Chapel room" in text
        # a catch-up lists only those who still need its session
        assert "Trainee 1" not in text
        assert "Trainee 2" in text


def test_the_pack_certifies_those_who_completed(client_for, cohort):
    client = client_for("trainer")
    make_pack(client, cohort)
    certificates = download(client, cohort)[packs.CERTIFICATES]
    issued = Certificate.objects.get(cohort=cohort)
    assert issued.trainee.display_name == "Trainee 1"
    assert len(certificates.pages) == 1
    text = certificates.pages[0].text()
    assert "Trainee 1" in text and issued.reference in text
    assert issued.issued_by.username == "trainer"


def test_the_print_list_counts_workbooks_sheets_and_cost(client_for, cohort):
    settings = PrintSettings.load()
    settings.cost_per_sheet = Decimal("10")
    settings.save()
    client = client_for("trainer")
    make_pack(client, cohort)
    listing = fold(
        " ".join(page.text() for page in download(client, cohort)["1-print-list.pdf"].pages)
    )
    assert "Peer Support Workbook 2 Not built yet" in listing
    assert "Peer Support Workbook (large print) 1 Not built yet" in listing
    assert "Paper registers (2) 1 2" in listing
    assert "Certificates 1 1 A4 card if you have it, one side 1" in listing
    # two register pages, one certificate, this one-page list: four sheets at 10p
    assert "Sheets in all 4" in listing
    assert "About £0.40 for 4 sheets at 10p a sheet" in listing
    assert "leaves out the Peer Support Workbook and the Peer Support Workbook (large print)" in (
        listing
    )
    assert "Who needs large print Trainee 3" in listing


def test_a_cohort_with_nothing_scheduled_or_completed_still_gets_its_print_list(
    client_for, staff_at_home
):
    cohort = make_cohort(sessions=2, trainees=2, establishment=staff_at_home)
    client = client_for("facilitator")
    make_pack(client, cohort)
    files = download(client, cohort)
    assert list(files) == [packs.PRINT_LIST]
    listing = files[packs.PRINT_LIST].pages[0].text()
    assert "No paper registers" in listing and "No certificates" in listing
    assert "Nobody in this cohort has asked for large print" in listing


def test_the_download_is_audited_once(client_for, cohort):
    client = client_for("trainer")
    make_pack(client, cohort)
    before = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).count()
    download(client, cohort)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD)
    assert events.count() == before + 1
    event = events.order_by("-pk").first()
    assert event.username == "trainer"
    assert event.what.startswith(f"Cohort pack of {cohort.name} (HMP Home)")


def test_another_prisons_staff_get_404_and_are_audited(client, cohort, trainer_elsewhere):
    make_pack(_signed_in(client, cohort.lead_trainer), cohort)
    client.force_login(trainer_elsewhere)
    before = AuditEvent.objects.count()
    for name, method in [
        ("cohort_pack", client.get),
        ("cohort_pack_state", client.get),
        ("cohort_pack_build", client.post),
        ("cohort_pack_download", client.get),
    ]:
        assert method(reverse(name, args=[cohort.pk])).status_code == 404, name
    assert AuditEvent.objects.count() > before  # probing another prison leaves a trace
    assert CohortPack.objects.filter(cohort=cohort).count() == 1


def test_staff_who_do_not_run_cohorts_are_refused(client_for, cohort):
    client = client_for("education")
    assert client.get(reverse("cohort_pack", args=[cohort.pk])).status_code == 403
    assert client.post(reverse("cohort_pack_build", args=[cohort.pk])).status_code == 403
    assert not CohortPack.objects.exists()


def test_a_new_pack_replaces_the_old_one_and_its_file(client_for, cohort, settings):
    client = client_for("trainer")
    first = make_pack(client, cohort)
    old_file = first.file.path
    client.post(reverse("cohort_pack_build", args=[cohort.pk]))
    newest = CohortPack.objects.get(cohort=cohort)
    assert newest.pk != first.pk and newest.status == Build.Status.READY
    assert not os.path.exists(old_file)


def test_the_pack_page_shows_a_failed_build_in_plain_words(client_for, cohort):
    CohortPack.objects.create(
        cohort=cohort, status=Build.Status.FAILED, error="The PDF could not be made (test)."
    )
    response = client_for("trainer").get(reverse("cohort_pack", args=[cohort.pk]))
    assert b"The pack could not be made" in response.content
    assert b"The PDF could not be made (test)." in response.content


def test_the_cohort_page_has_the_button(client_for, cohort):
    response = client_for("trainer").get(reverse("cohorts:cohort_detail", args=[cohort.pk]))
    assert reverse("cohort_pack_build", args=[cohort.pk]).encode() in response.content


def test_build_books_makes_a_cohorts_pack(cohort, tmp_path):
    call_command("build_books", "--cohort", str(cohort.pk), "--out", str(tmp_path))
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and written[0].suffix == ".zip"
    with zipfile.ZipFile(written[0]) as archive:
        assert len(Book(archive.read(packs.REGISTERS)).pages) == 2


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_erasing_a_trainee_removes_the_packs_that_name_them(
    client_for, cohort, users, django_capture_on_commit_callbacks
):
    from cohorts.retention import erase_trainee

    first = make_pack(client_for("trainer"), cohort)
    path = first.file.path
    with django_capture_on_commit_callbacks(execute=True):
        erase_trainee(cohort.trainees.get(display_name="Trainee 2"), users["facilitator"])
    assert not CohortPack.objects.filter(cohort=cohort).exists()
    assert not os.path.exists(path)


def test_staff_mark_a_new_trainee_for_large_print_when_they_start_a_cohort(client_for, home, users):
    from cohorts.models import Cohort, StaffProfile
    from courses.models import ProgrammePage

    StaffProfile.objects.create(user=users["trainer"], discipline="nurse").establishments.add(home)
    response = client_for("trainer").post(
        reverse("cohorts:start_cohort", args=[home.code]),
        {
            "programme": ProgrammePage.objects.get(slug="five-afternoon-programme").pk,
            "name": "Spring",
            "lead_trainer": users["trainer"].pk,
            "new_name_0": "Robin",
            "new_status_0": "aspiring",
            "new_large_print_0": "on",
            "new_name_1": "Kit",
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Spring")
    assert dict(cohort.trainees.values_list("display_name", "large_print")) == {
        "Robin": True,
        "Kit": False,
    }


def test_the_admin_edits_a_trainees_large_print(client_for, cohort):
    trainee = cohort.trainees.get(display_name="Trainee 1")
    url = f"/admin/cohorts/trainees/edit/{trainee.pk}/"
    client = client_for("facilitator")
    assert b'name="large_print"' in client.get(url).content
    response = client.post(
        url,
        {
            "establishment": trainee.establishment_id,
            "display_name": "Trainee 1",
            "prison_number": "",
            "role_status": "aspiring",
            "large_print": "on",
            "consent_recorded_on": "",
            "user": "",
        },
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.large_print is True
