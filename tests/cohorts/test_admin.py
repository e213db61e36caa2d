import csv
import io

import pytest
from openpyxl import load_workbook

from cohorts.models import Attendance, Cohort, StaffProfile, Trainee, TrainerStage
from tests.factories import hold_sessions, make_cohort

pytestmark = pytest.mark.django_db

ADMIN = "/admin/cohorts"


@pytest.fixture
def cohorts(staff_at_home, elsewhere):
    """A running cohort at home with a trainee who has a prison number, and one elsewhere."""
    ours = make_cohort(establishment=staff_at_home, status=Cohort.Status.RUNNING)
    Trainee.objects.filter(establishment=staff_at_home, display_name="Trainee 1").update(
        display_name="Alex Home", prison_number="A1111AA"
    )
    theirs = make_cohort(establishment=elsewhere, status=Cohort.Status.PLANNED)
    Trainee.objects.filter(establishment=elsewhere, display_name="Trainee 1").update(
        display_name="Blake Away", prison_number="B2222BB"
    )
    return ours, theirs


def test_the_cohorts_menu_lists_its_records_for_a_facilitator(client_for, staff_at_home):
    page = client_for("facilitator").get("/admin/").content.decode()

    for url in (
        "cohorts/cohorts/",
        "cohorts/trainees/",
        "cohorts/members/",
        "cohorts/deliveries/",
        "cohorts/attendance/",
        "cohorts/shadowing/",
        "cohorts/shadowing-log/",
        "cohorts/staff-trainers/",
        "cohorts/trainer-stages/",
        "cohorts/certificates/",
        "cohorts/establishments/",
    ):
        assert f"/admin/{url}" in page


def test_a_local_trainer_has_no_admin(client_for, staff_at_home):
    response = client_for("trainer").get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_trainee_listing_shows_only_the_own_prisons_trainees(client_for, cohorts):
    page = client_for("facilitator").get(f"{ADMIN}/trainees/").content.decode()

    assert "Alex Home" in page
    assert "A1111AA" in page
    assert "Blake Away" not in page
    assert "B2222BB" not in page


def test_another_prisons_trainee_and_cohort_answer_404(client_for, cohorts):
    client = client_for("facilitator")
    ours, theirs = cohorts
    their_trainee = Trainee.objects.get(display_name="Blake Away")

    assert client.get(f"{ADMIN}/trainees/edit/{their_trainee.pk}/").status_code == 404
    assert client.get(f"{ADMIN}/cohorts/edit/{theirs.pk}/").status_code == 404
    assert client.post(f"{ADMIN}/cohorts/delete/{theirs.pk}/").status_code == 404
    assert client.get(f"{ADMIN}/trainees/history/{their_trainee.pk}/").status_code == 404
    assert Cohort.objects.filter(pk=theirs.pk).exists()
    assert client.get(f"{ADMIN}/cohorts/edit/{ours.pk}/").status_code == 200


def test_the_trainee_csv_export_is_scoped_and_has_no_prison_number(client_for, cohorts):
    response = client_for("facilitator").get(f"{ADMIN}/trainees/?export=csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))

    assert response["Content-Disposition"] == 'attachment; filename="trainees.csv"'
    assert rows[0] == ["Name", "Establishment", "Role status", "Consent recorded on"]
    assert sorted(row[0] for row in rows[1:]) == ["Alex Home", "Trainee 2", "Trainee 3"]
    assert "A1111AA" not in text
    assert "Prison number" not in text


def test_every_spreadsheet_export_is_audited(client_for, cohorts, users):
    from audit.models import AuditEvent

    client_for("facilitator").get(f"{ADMIN}/trainees/?export=csv")
    client_for("facilitator").get(f"{ADMIN}/attendance/?export=xlsx")
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, user=users["facilitator"])
    assert sorted(events.values_list("what", flat=True)) == ["attendance (XLSX)", "trainees (CSV)"]


def test_the_attendance_spreadsheet_export_is_scoped(client_for, cohorts):
    ours, theirs = cohorts
    hold_sessions(ours, {"Alex Home": ["present", "absent"]})
    hold_sessions(theirs, {"Blake Away": ["present"]})

    response = client_for("facilitator").get(f"{ADMIN}/attendance/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)

    assert rows[0][:2] == ("Trainee", "Cohort")
    assert sorted((row[0], row[4], row[5]) for row in rows[1:]) == [
        ("Alex Home", "Absent", "Healthcare"),
        ("Alex Home", "Present", None),
    ]


def test_the_cohort_listing_filters_by_status(client_for, staff_at_home):
    running = make_cohort(establishment=staff_at_home, status=Cohort.Status.RUNNING)
    finished = make_cohort(establishment=staff_at_home, status=Cohort.Status.FINISHED)

    page = client_for("facilitator").get(f"{ADMIN}/cohorts/?status=running").content.decode()

    assert f"/admin/cohorts/cohorts/edit/{running.pk}/" in page
    assert f"/admin/cohorts/cohorts/edit/{finished.pk}/" not in page


def test_filters_and_form_choices_offer_only_the_own_prisons(client_for, cohorts):
    client = client_for("facilitator")
    ours, theirs = cohorts

    listing = client.get(f"{ADMIN}/trainees/").content.decode()
    form = client.get(f"{ADMIN}/cohorts/edit/{ours.pk}/").content.decode()
    attendance_form = client.get(f"{ADMIN}/attendance/new/").content.decode()

    assert "HMP Home" in listing
    assert "HMP Elsewhere" not in listing
    assert "HMP Elsewhere" not in form
    assert theirs.name not in attendance_form
    assert "Blake Away" not in attendance_form


def test_a_trainee_cannot_be_moved_to_another_prison(client_for, cohorts, elsewhere):
    trainee = Trainee.objects.get(display_name="Alex Home")

    response = client_for("facilitator").post(
        f"{ADMIN}/trainees/edit/{trainee.pk}/",
        {"establishment": elsewhere.pk, "display_name": "Alex Home", "role_status": "active"},
    )

    assert response.status_code == 200
    trainee.refresh_from_db()
    assert trainee.establishment.code == "hmp-home"


def test_an_absence_needs_a_reason_in_the_admin(client_for, users, cohorts):
    ours, _ = cohorts
    delivery = hold_sessions(ours, {})[0]
    trainee = Trainee.objects.get(display_name="Alex Home")
    client = client_for("facilitator")
    url = f"{ADMIN}/attendance/new/"

    refused = client.post(url, {"delivery": delivery.pk, "trainee": trainee.pk, "mark": "absent"})
    client.post(
        url,
        {
            "delivery": delivery.pk,
            "trainee": trainee.pk,
            "mark": "absent",
            "absence_reason": "legal_visit",
        },
    )

    assert "Choose why the trainee was absent." in refused.content.decode()
    saved = Attendance.objects.get(delivery=delivery, trainee=trainee)
    assert saved.absence_reason == "legal_visit"
    assert saved.recorded_by == users["facilitator"]


def test_trainer_stages_and_certificates_cannot_be_added_or_changed(client_for, users, cohorts):
    ours, _ = cohorts
    delivery = hold_sessions(ours, {})[0]
    stage = TrainerStage.objects.create(
        trainer=users["trainer"], session=delivery.session, stage=1, evidence=delivery
    )
    client = client_for("facilitator")

    listing = client.get(f"{ADMIN}/trainer-stages/")

    assert listing.status_code == 200
    assert "trainer-stages/new/" not in listing.content.decode()
    assert client.get(f"{ADMIN}/trainer-stages/new/").status_code == 404
    assert client.get(f"{ADMIN}/trainer-stages/edit/{stage.pk}/").status_code == 404
    assert client.get(f"{ADMIN}/certificates/new/").status_code == 404
    assert client.get(f"{ADMIN}/trainer-stages/inspect/{stage.pk}/").status_code == 200


def test_editing_a_staff_profile_keeps_the_prisons_the_editor_cannot_see(
    client_for, users, cohorts, elsewhere
):
    profile = StaffProfile.objects.get(user=users["trainer"])
    profile.establishments.add(elsewhere)

    client_for("facilitator").post(
        f"{ADMIN}/staff-trainers/edit/{profile.pk}/",
        {
            "user": users["trainer"].pk,
            "discipline": "dlo",
            "establishments": [cohorts[0].establishment_id],
        },
    )

    profile.refresh_from_db()
    assert profile.discipline == "dlo"
    assert sorted(profile.establishments.values_list("code", flat=True)) == [
        "hmp-elsewhere",
        "hmp-home",
    ]


def test_a_prison_added_by_a_facilitator_is_theirs(client_for, users, staff_at_home):
    client = client_for("facilitator")

    client.post(f"{ADMIN}/establishments/new/", {"name": "HMP New", "code": "hmp-new"})

    assert users["facilitator"].staff_profile.establishments.filter(code="hmp-new").exists()
    assert "HMP New" in client.get(f"{ADMIN}/establishments/").content.decode()


def test_an_administrator_sees_every_prison_but_still_cannot_add_a_trainer_stage(
    client, django_user_model, cohorts
):
    client.force_login(django_user_model.objects.create_superuser("root", password="x-y-z-123"))

    trainees = client.get(f"{ADMIN}/trainees/").content.decode()
    stages = client.get(f"{ADMIN}/trainer-stages/")
    certificates = client.get(f"{ADMIN}/certificates/")

    assert "Alex Home" in trainees
    assert "Blake Away" in trainees
    assert stages.status_code == certificates.status_code == 200
    assert "Add trainer stage" not in stages.content.decode()
    assert client.get(f"{ADMIN}/trainer-stages/new/").status_code == 404
