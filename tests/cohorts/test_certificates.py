"""Completion certificates: issued only on completion, once, with a random reference that staff
can check; the PDF names the trainee, the page that checks it only to their own prison's staff."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEvent
from cohorts.models import Attendance, Certificate, Membership, StaffProfile, Trainee
from cohorts.services import CohortError, find_certificate, issue_certificate
from kernel import roles
from tests.factories import hold_sessions, make_cohort
from tests.printing.pdf_reading import Book, fold

REFERENCE = re.compile(r"^PST-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


@pytest.fixture
def cohort(staff_at_home, users):
    """A finished cohort at home: Trainee 1 came to every session, Trainee 2 stopped."""
    lead = users["trainer"]
    lead.first_name, lead.last_name = "Alex", "Morgan"
    lead.save()
    cohort = make_cohort(sessions=3, trainees=2, establishment=staff_at_home, lead_trainer=lead)
    hold_sessions(
        cohort,
        {"Trainee 1": ["present", "late", "present"], "Trainee 2": ["present", "absent", "absent"]},
    )
    return cohort


def trainee(cohort, name="Trainee 1") -> Trainee:
    return cohort.trainees.get(display_name=name)


def certificate_url(cohort, name="Trainee 1") -> str:
    return reverse("cohorts:certificate", args=[cohort.pk, trainee(cohort, name).pk])


@pytest.fixture
def trainer_elsewhere(elsewhere):
    user = get_user_model().objects.create_user("trainer-elsewhere")
    user.groups.add(Group.objects.get(name=roles.LOCAL_TRAINER))
    StaffProfile.objects.create(user=user, discipline="nurse").establishments.add(elsewhere)
    return user


def test_a_trainee_who_completed_gets_a_certificate(cohort, users):
    issued = issue_certificate(cohort, trainee(cohort), users["trainer"])
    assert REFERENCE.match(issued.reference)
    assert issued.completed_on == date(2026, 1, 7)  # the day of the last session
    assert issued.issued_by == users["trainer"]
    assert issued.signatory == "Alex Morgan, Lead trainer"


def test_the_establishments_signatory_signs_when_it_has_one(cohort, users):
    cohort.establishment.certificate_signatory = "A. Patel, Head of Healthcare"
    cohort.establishment.save()
    issued = issue_certificate(cohort, trainee(cohort), users["trainer"])
    assert issued.signatory == "A. Patel, Head of Healthcare"


def test_a_trainee_who_has_not_completed_gets_no_certificate(cohort, users):
    with pytest.raises(CohortError) as raised:
        issue_certificate(cohort, trainee(cohort, "Trainee 2"), users["trainer"])
    assert raised.value.code == "not_completed"
    assert "1 of its 3 sessions" in str(raised.value)
    assert not Certificate.objects.exists()


def test_a_certificate_is_issued_once(cohort, users):
    first = issue_certificate(cohort, trainee(cohort), users["trainer"])
    again = issue_certificate(cohort, trainee(cohort), users["facilitator"])
    assert again == first
    assert again.issued_by == users["trainer"]
    assert Certificate.objects.count() == 1


def test_references_are_unique_and_say_nothing_of_the_trainee(staff_at_home, users):
    cohort = make_cohort(sessions=1, trainees=0, establishment=staff_at_home)
    for _ in range(200):
        member = Trainee.objects.create(establishment=staff_at_home, display_name="Jude Parker")
        Membership.objects.create(cohort=cohort, trainee=member)
    (delivery,) = hold_sessions(cohort, {})
    Attendance.objects.bulk_create(
        Attendance(delivery=delivery, trainee=member) for member in cohort.trainees.all()
    )
    references = [
        issue_certificate(cohort, member, users["trainer"]).reference
        for member in cohort.trainees.all()
    ]
    assert len(set(references)) == 200
    assert all(REFERENCE.match(reference) for reference in references)
    name = "JUDEPARKER"
    pieces = {name[i : i + 5] for i in range(len(name) - 4)}
    compact = [reference.replace("-", "").removeprefix("PST") for reference in references]
    assert not any(piece in reference for piece in pieces for reference in compact)


def test_a_reference_is_found_however_it_is_typed(cohort, users):
    issued = issue_certificate(cohort, trainee(cohort), users["trainer"])
    letters = issued.reference.replace("-", "")
    assert find_certificate(letters.lower()) == issued
    assert find_certificate(" " + issued.reference.lower().replace("-", " ") + " ") == issued
    assert find_certificate(letters.removeprefix("PST")) == issued
    assert find_certificate("PST-2222-2222") is None


def test_the_pdf_is_one_landscape_page_with_the_name_programme_place_and_reference(
    cohort, client_for
):
    response = client_for("education").get(certificate_url(cohort))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    issued = Certificate.objects.get()
    book = Book(response.content)
    assert len(book.pages) == 1
    page = book.reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = fold(" ".join(run.text for run in book.pages[0].runs))
    assert "Certificate of completion" in text
    assert "Trainee 1" in text
    assert f"has completed the {cohort.programme.title}" in text
    assert "Peer support worker training" in text
    assert "HMP Home" in text
    assert "from 5 January 2026 to 7 January 2026" in text
    assert "Alex Morgan" in text
    assert issued.reference in text
    assert f"Check this certificate at {reverse('cohorts:check_certificate')}" in text


def test_a_very_long_name_still_fits_on_one_page(cohort, client_for):
    long_name = trainee(cohort)
    long_name.display_name = "Maximilian-Alexander Bartholomew Featherstonehaugh-Wolfeschlegel"
    long_name.save()
    response = client_for("trainer").get(certificate_url(cohort, long_name.display_name))
    book = Book(response.content)
    assert len(book.pages) == 1
    assert "Featherstonehaugh" in " ".join(run.text for run in book.pages[0].runs)


def test_the_download_is_audited_without_the_name(cohort, client_for):
    client_for("trainer").get(certificate_url(cohort))
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.what == f"Certificate {Certificate.objects.get().reference}"


def test_opening_the_certificate_twice_gives_the_same_reference(cohort, client_for):
    client = client_for("trainer")
    client.get(certificate_url(cohort))
    client.get(certificate_url(cohort))
    assert Certificate.objects.count() == 1


def test_a_trainee_who_has_not_completed_gets_a_page_saying_so(cohort, client_for):
    response = client_for("trainer").get(certificate_url(cohort, "Trainee 2"))
    assert response.status_code == 409
    assert "No certificate yet" in response.text
    assert "Trainee 2 has not completed the programme yet" in response.text
    assert not Certificate.objects.exists()


def test_another_establishments_trainer_gets_not_found(cohort, client, trainer_elsewhere):
    client.force_login(trainer_elsewhere)
    assert client.get(certificate_url(cohort)).status_code == 404
    assert not Certificate.objects.exists()


def test_someone_not_in_the_cohort_gets_not_found(cohort, client_for, staff_at_home):
    stranger = Trainee.objects.create(establishment=staff_at_home, display_name="Not a member")
    url = reverse("cohorts:certificate", args=[cohort.pk, stranger.pk])
    assert client_for("trainer").get(url).status_code == 404


@pytest.mark.parametrize("username", ["trainee", "evaluator"])
def test_peer_support_workers_and_evaluators_are_refused(cohort, client_for, username):
    client = client_for(username)
    assert client.get(certificate_url(cohort)).status_code == 403
    assert client.get(reverse("cohorts:check_certificate")).status_code == 403


def check(client, reference):
    return client.get(reverse("cohorts:check_certificate"), {"reference": reference})


def test_the_check_page_finds_a_reference_typed_small_without_dashes(cohort, users, client_for):
    issued = issue_certificate(cohort, trainee(cohort), users["trainer"])
    response = check(client_for("education"), issued.reference.replace("-", "").lower())
    assert response.status_code == 200
    page = response.text
    assert "Certificate found" in page
    assert issued.reference in page
    assert cohort.programme.title in page
    assert "HMP Home" in page
    assert "7 January 2026" in page
    assert "Alex Morgan, Lead trainer" in page
    assert "Trainee 1" in page


def test_the_check_page_hides_the_name_from_another_prisons_staff(
    cohort, users, client, trainer_elsewhere
):
    issued = issue_certificate(cohort, trainee(cohort), users["trainer"])
    client.force_login(trainer_elsewhere)
    response = check(client, issued.reference)
    assert "Certificate found" in response.text
    assert "Trainee 1" not in response.text
    assert "A trainee at HMP Home" in response.text


def test_an_unknown_reference_is_not_found(staff_at_home, client_for):
    response = check(client_for("trainer"), "pst-2222-3333")
    assert response.status_code == 200
    assert "No certificate found" in response.text
    assert "PST-2222-3333" in response.text


def test_a_reference_typed_without_dashes_is_shown_as_printed(staff_at_home, client_for):
    response = check(client_for("trainer"), "pst 22223333")
    assert "No certificate has the reference <strong>PST-2222-3333</strong>." in response.text


def test_an_empty_reference_asks_for_one(staff_at_home, client_for):
    response = check(client_for("trainer"), "  ")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#reference"' in response.text
    assert "Enter the reference printed on the certificate" in response.text


def test_the_check_page_starts_with_just_the_form(staff_at_home, client_for):
    response = client_for("trainer").get(reverse("cohorts:check_certificate"))
    assert response.status_code == 200
    assert 'name="reference"' in response.text
    assert "There is a problem" not in response.text
    assert "No certificate found" not in response.text
