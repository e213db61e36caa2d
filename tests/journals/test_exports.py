""" "My journal" as a PDF and as Markdown files, for its author only; and the subject access
export of one trainee's records, for the administrator only, audited."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from cohorts.models import Trainee
from journals import services
from journals.models import Comment, JournalEntry
from tests.factories import hold_sessions, make_cohort
from tests.printing.pdf_reading import Book, fold

GIBBS = {
    "description": "We ran the **listening** session on the wing.",
    "feelings": "Nervous at first, then calm.",
    "evaluation": "- Good: people talked\n- Not so good: we ran late",
    "analysis": "",
    "conclusion": "Read the [guide](https://example.org/guide) again.",
    "action_plan": "Practise the opening.",
}


def entry(author, title="Listening on the wing", written_on=date(2026, 11, 3), **fields):
    who = {"trainee": author} if isinstance(author, Trainee) else {"staff_author": author}
    return JournalEntry.objects.create(
        title=title,
        written_on=written_on,
        framework=fields.pop("framework", "gibbs"),
        sections=fields.pop("sections", GIBBS),
        **who,
        **fields,
    )


def pdf_of(client) -> Book:
    response = client.get(reverse("journals:journal_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return Book(response.content)


def zip_of(client) -> zipfile.ZipFile:
    response = client.get(reverse("journals:journal_markdown"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return zipfile.ZipFile(io.BytesIO(response.content))


# The PDF ---------------------------------------------------------------------------------------


def test_the_pdf_holds_the_entrys_text_as_text(client_for, own_trainee):
    entry(own_trainee, prompt="What did you notice about how people listened?")

    text = pdf_of(client_for("trainee")).body_text()

    assert "Sam" in text  # the cover line names the author
    assert "Listening on the wing" in text
    assert "Gibbs' reflective cycle" in text
    assert "What did you notice about how people listened?" in text
    assert "We ran the listening session on the wing." in text
    assert "Good: people talked" in text
    assert "Practise the opening." in text


def test_hostile_markup_is_printed_literally_and_nothing_runs(client_for, own_trainee):
    hostile = '<script>alert(1)</script> <img src="x" onerror="alert(2)"> [go](javascript:alert(3))'
    entry(own_trainee, framework="free", sections={"text": hostile})

    book = pdf_of(client_for("trainee"))

    text = book.body_text()
    assert "<script>alert(1)</script>" in text
    assert '<img src="x" onerror="alert(2)">' in text
    assert b"/JavaScript" not in book.pdf and b"/JS" not in book.pdf
    assert b"javascript:" not in book.pdf


def test_links_are_printed_with_their_address(client_for, own_trainee):
    entry(own_trainee)

    text = pdf_of(client_for("trainee")).body_text()

    assert "guide (https://example.org/guide)" in text


def test_comments_are_printed_with_who_and_when(client_for, users, own_trainee):
    users["trainer"].first_name, users["trainer"].last_name = "Tia", "Jones"
    users["trainer"].save()
    written = entry(own_trainee)
    Comment.objects.create(entry=written, author=users["trainer"], text="Well *noticed*.")

    text = pdf_of(client_for("trainee")).body_text()

    assert "Comments" in text
    assert "Tia Jones," in text
    assert "Well noticed" in text


def test_each_entry_starts_on_a_new_page(client_for, own_trainee):
    entry(own_trainee, title="First reflection", written_on=date(2026, 10, 1))
    entry(own_trainee, title="Second reflection", written_on=date(2026, 11, 1))

    book = pdf_of(client_for("trainee"))

    first = next(p.number for p in book.pages if "First reflection" in p.text())
    second = next(p.number for p in book.pages if "Second reflection" in p.text())
    assert second > first
    assert "First reflection" not in book.pages[second - 1].text()


def test_a_staff_members_journal_is_their_own_entries(client_for, users, own_trainee):
    entry(users["trainer"], title="Delivering session 3")
    entry(users["facilitator"], title="Facilitator's private thoughts")
    entry(own_trainee, title="Sam's reflection")

    text = pdf_of(client_for("trainer")).body_text()

    assert "Delivering session 3" in text
    assert "Facilitator's private thoughts" not in text
    assert "Sam's reflection" not in text


def test_another_trainees_entries_never_appear(client_for, own_trainee):
    other = Trainee.objects.create(establishment=own_trainee.establishment, display_name="Alex")
    entry(other, title="Alex's reflection", sections={"description": "Alex's secret"})
    entry(own_trainee)

    text = pdf_of(client_for("trainee")).body_text()

    assert "Alex" not in text


def test_the_pdf_download_is_audited_without_content(client_for, own_trainee):
    entry(own_trainee)

    pdf_of(client_for("trainee"))

    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.username == "trainee"
    assert "Listening" not in event.what


# The Markdown files ----------------------------------------------------------------------------


def test_the_zip_holds_one_markdown_file_per_entry_in_the_authors_own_words(
    client_for, own_trainee
):
    entry(own_trainee, title="Listening: on the wing?", written_on=date(2026, 11, 3))
    entry(
        own_trainee,
        title="Second go",
        written_on=date(2026, 11, 10),
        framework="free",
        sections={"text": "Plain *Markdown* with <b>tags</b> as typed."},
    )

    archive = zip_of(client_for("trainee"))

    assert sorted(archive.namelist()) == [
        "2026-11-03-listening-on-the-wing.md",
        "2026-11-10-second-go.md",
    ]
    first = archive.read("2026-11-03-listening-on-the-wing.md").decode()
    assert first.startswith('---\ntitle: "Listening: on the wing?"\ndate: 2026-11-03\n')
    assert 'framework: "Gibbs\' reflective cycle"' in first
    assert "## Description\n\nWe ran the **listening** session on the wing.\n" in first
    assert "## Evaluation\n\n- Good: people talked\n- Not so good: we ran late\n" in first
    assert "[guide](https://example.org/guide)" in first
    second = archive.read("2026-11-10-second-go.md").decode()
    assert "Plain *Markdown* with <b>tags</b> as typed." in second


def test_file_names_are_safe_and_distinct(client_for, own_trainee):
    entry(own_trainee, title="../../etc/passwd", written_on=date(2026, 11, 3))
    entry(own_trainee, title="../../etc/passwd", written_on=date(2026, 11, 3))
    entry(own_trainee, title="!!!", written_on=date(2026, 11, 3))

    names = zip_of(client_for("trainee")).namelist()

    assert sorted(names) == [
        "2026-11-03-entry.md",
        "2026-11-03-etcpasswd-2.md",
        "2026-11-03-etcpasswd.md",
    ]


def test_comments_come_at_the_end_of_the_file(client_for, users, own_trainee):
    written = entry(own_trainee)
    Comment.objects.create(entry=written, author=users["trainer"], text="Good *work*.")

    (text,) = [
        zip_of(client_for("trainee")).read(n).decode()
        for n in ["2026-11-03-listening-on-the-wing.md"]
    ]

    assert text.rstrip().endswith("Good *work*.")
    assert "## Comments\n\n### trainer, " in text


def test_the_zip_holds_only_the_authors_entries_and_is_audited(client_for, users, own_trainee):
    entry(users["trainer"], title="Trainer's own")
    entry(own_trainee, title="Sam's own")

    names = zip_of(client_for("trainer")).namelist()

    assert names == ["2026-11-03-trainers-own.md"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.username, event.what) == ("trainer", "own journal as Markdown")


# Subject access --------------------------------------------------------------------------------


@pytest.fixture
def subject(users, staff_at_home, own_trainee):
    """Sam, with a journal entry, register marks and a group supervision meeting."""
    own_trainee.role_status = Trainee.RoleStatus.ACTIVE
    own_trainee.consent_recorded_on = date(2026, 1, 5)
    own_trainee.save()
    cohort = make_cohort(sessions=2, trainees=1, establishment=staff_at_home)
    cohort.memberships.create(trainee=own_trainee)
    hold_sessions(cohort, {"Sam": ["present", "absent"]})
    cohort.deliveries.last().attendances.filter(trainee=own_trainee).update(
        remark='=HYPERLINK("http://evil")'
    )
    entry(own_trainee)
    alex = Trainee.objects.create(
        establishment=staff_at_home, display_name="Alex", role_status="active"
    )
    services.record_meeting(
        establishment=staff_at_home,
        supervisor=users["trainer"],
        held_on=date(2026, 11, 2),
        kind="group",
        attendees=[
            services.AttendeeRecord(own_trainee, 4, "Sam's notes"),
            services.AttendeeRecord(alex, 2, "Alex's private notes"),
        ],
        actions=[
            services.ActionRecord("Sam's action", date(2026, 11, 30), own_trainee),
            services.ActionRecord("Alex's action", None, alex),
        ],
        today=date(2026, 11, 26),
    )
    return own_trainee


@pytest.mark.parametrize(
    "role", ["facilitator", "reviewer", "trainer", "education", "trainee", "evaluator"]
)
def test_subject_access_export_is_refused_to_every_role(client_for, subject, role):
    url = reverse("journals:subject_access_export", args=[subject.pk])

    response = client_for(role).get(url)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, what=f"GET {url}").exists()


@pytest.fixture
def administrator(client, db):
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    return client


def test_subject_access_export_holds_the_trainees_records(administrator, subject):
    response = administrator.get(reverse("journals:subject_access_export", args=[subject.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "README.txt",
        "attendance.csv",
        "journal/2026-11-03-listening-on-the-wing.md",
        "record.md",
        "supervision.md",
    ]
    record = archive.read("record.md").decode()
    assert "- Name: Sam" in record and "- Prison number: A1234BC" in record
    assert "- Consent recorded on: 5 January 2026" in record
    assert "Active peer worker" in record


def test_subject_access_attendance_is_one_row_per_mark(administrator, subject):
    response = administrator.get(reverse("journals:subject_access_export", args=[subject.pk]))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.reader(io.StringIO(archive.read("attendance.csv").decode())))
    assert rows[0] == ["date", "session", "cohort", "mark", "reason", "remark"]
    assert [row[3:5] for row in rows[1:]] == [["Present", ""], ["Absent", "Healthcare"]]
    assert rows[2][5] == '\'=HYPERLINK("http://evil")'  # never run as a spreadsheet formula


def test_subject_access_supervision_is_their_own_row_only(administrator, subject):
    response = administrator.get(reverse("journals:subject_access_export", args=[subject.pk]))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = fold(archive.read("supervision.md").decode())
    assert "2 November 2026: Group" in text
    assert "Wellbeing: 4 out of 5 (Doing OK)" in text
    assert "Sam's notes" in text
    assert "Sam's action, due 30 November 2026 (not done yet)" in text
    assert "Alex" not in text


def test_subject_access_export_is_audited(administrator, subject):
    administrator.get(reverse("journals:subject_access_export", args=[subject.pk]))

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.username, event.what) == (
        "admin",
        f"subject access export for trainee {subject.pk}",
    )


def test_subject_access_export_of_a_missing_trainee_is_404(administrator, db):
    response = administrator.get(reverse("journals:subject_access_export", args=[99999]))

    assert response.status_code == 404
