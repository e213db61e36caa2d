"""What staff and trainees see of catching up by self-study: the trainer's list on the cohort
page, the catch-up list on the completion page and the trainee's record, the certificate."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from cohorts.models import Cohort, Membership
from cohorts.services import confirm_self_study, record_studied
from evaluation.export import anonymised_export
from tests.factories import hold_sessions, make_cohort
from tests.printing.pdf_reading import Book, fold

pytestmark = pytest.mark.usefixtures("staff_at_home")
STUDIED_AT = datetime(2026, 1, 20, 14, 0, tzinfo=UTC)
TALKED_ON = date(2026, 1, 22)


@pytest.fixture
def cohort(home, users):
    """Four sessions held. Kim missed the second (lockdown) and studied it on screen; Lee missed
    the second, third and fourth and studied all three; Mo came to everything."""
    users["trainer"].first_name, users["trainer"].last_name = "Alex", "Morgan"
    users["trainer"].save()
    cohort = make_cohort(sessions=4, trainees=0, establishment=home, status="running")
    for name in ("Kim", "Lee", "Mo"):
        cohort.trainees.create(establishment=home, display_name=name)
    deliveries = hold_sessions(
        cohort,
        {
            "Kim": ["present", "absent", "present", "present"],
            "Lee": ["present", "absent", "absent", "absent"],
            "Mo": ["present"] * 4,
        },
    )
    cohort.held = deliveries
    return cohort


def study(cohort, name, *indexes, confirm_by=None):
    trainee = cohort.trainees.get(display_name=name)
    for index in indexes:
        (record,) = record_studied(trainee, cohort.held[index].session, STUDIED_AT)
        if confirm_by is not None:
            confirm_self_study(record, confirm_by, TALKED_ON)


def page(client, name, *args):
    response = client.get(reverse(f"cohorts:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def to_confirm(html: str) -> str:
    """The trainer's list of studies waiting for confirmation, or "" when there is none."""
    if 'id="to-confirm"' not in html:
        return ""
    return html.split('id="to-confirm"')[1].split('id="trainees"')[0]


def test_the_cohort_page_lists_each_study_waiting_for_the_trainer(client_for, cohort):
    study(cohort, "Kim", 1)
    waiting = to_confirm(page(client_for("trainer"), "cohort_detail", cohort.pk))
    assert "Studied on screen, waiting for you to confirm" in waiting
    assert "Kim" in waiting and cohort.held[1].session.title in waiting
    assert "20 Jan 2026" in waiting
    assert f'href="/learn/cohorts/{cohort.pk}/"' in waiting


def test_a_confirmed_catch_up_leaves_the_list_and_counts_as_done(client_for, cohort, users):
    study(cohort, "Kim", 1, confirm_by=users["trainer"])
    html = page(client_for("trainer"), "cohort_detail", cohort.pk)
    assert to_confirm(html) == ""
    kim_row = html.split(">Kim</a>")[1].split("</tr>")[0]
    assert "4 of 4" in kim_row and "1 by self-study" in kim_row and "Completed" in kim_row


def test_nothing_waiting_shows_no_list(client_for, cohort):
    assert to_confirm(page(client_for("trainer"), "cohort_detail", cohort.pk)) == ""


def test_the_education_department_sees_the_list_but_no_way_to_confirm(client_for, cohort):
    study(cohort, "Kim", 1)
    waiting = to_confirm(page(client_for("education"), "cohort_detail", cohort.pk))
    assert "Kim" in waiting and "/learn/cohorts/" not in waiting


def test_the_completion_page_says_which_catch_ups_are_confirmed_and_which_wait(
    client_for, cohort, users
):
    study(cohort, "Kim", 1, confirm_by=users["trainer"])
    study(cohort, "Lee", 1)
    html = page(client_for("trainer"), "completion_summary", cohort.pk)
    kim = html.split('data-trainee="Kim"')[1].split("</tr>")[0]
    assert "Caught up by self-study, confirmed by Alex Morgan on 22 Jan 2026" in kim
    lee = html.split('data-trainee="Lee"')[1].split("</tr>")[0]
    states = [part.split('"')[0] for part in lee.split('data-state="')[1:]]
    assert states == ["waiting", "needed", "needed"]
    assert "Studied on screen on 20 Jan 2026: not confirmed yet" in lee
    assert "1 session studied on screen is waiting for a trainer to confirm" in html


def test_the_trainee_reads_their_catch_ups_in_plain_words(client_for, cohort, users, own_trainee):
    Membership.objects.create(cohort=cohort, trainee=own_trainee)
    hold_marks = cohort.held[1].attendances
    hold_marks.create(trainee=own_trainee, mark="absent", absence_reason="regime")
    (record,) = record_studied(own_trainee, cohort.held[1].session, STUDIED_AT)
    html = page(client_for("trainee"), "my_progress")
    assert "You studied it on screen. Your trainer will talk it through with you." in html
    confirm_self_study(record, users["trainer"], TALKED_ON)
    html = page(client_for("trainee"), "my_progress")
    assert "Alex Morgan talked it through with you on 22 Jan 2026" in html


def certificate_text(client, cohort, name) -> tuple[int, list[str]]:
    trainee = cohort.trainees.get(display_name=name)
    response = client.get(reverse("cohorts:certificate", args=[cohort.pk, trainee.pk]))
    assert response.status_code == 200
    book = Book(response.content)
    return len(book.pages), [fold(" ".join(r.text for r in p.runs)) for p in book.pages]


def test_the_certificate_names_a_session_caught_up_by_self_study(client_for, cohort, users):
    study(cohort, "Kim", 1, confirm_by=users["trainer"])
    pages, (front,) = certificate_text(client_for("education"), cohort, "Kim")
    assert pages == 1
    title = cohort.held[1].session.title
    assert f"{title}: caught up by self-study, confirmed by Alex Morgan on 22 January 2026" in front
    assert "to 22 January 2026" in front  # completed when the catch-up was confirmed


def test_many_catch_ups_are_listed_on_a_second_page(client_for, cohort, users):
    study(cohort, "Lee", 1, 2, 3, confirm_by=users["trainer"])
    pages, (front, back) = certificate_text(client_for("education"), cohort, "Lee")
    assert pages == 2
    assert "3 sessions were caught up by self-study" in front
    assert "Sessions caught up by self-study" in back
    for delivery in cohort.held[1:]:
        assert delivery.session.title in back
    assert back.count("Alex Morgan") == 3


def test_a_certificate_without_catch_ups_says_nothing_of_them(client_for, cohort):
    pages, (front,) = certificate_text(client_for("education"), cohort, "Mo")
    assert pages == 1 and "self-study" not in front


def test_the_anonymised_export_counts_catch_ups_by_self_study_apart(cohort, users):
    study(cohort, "Kim", 1, confirm_by=users["trainer"])
    study(cohort, "Lee", 1)
    export = anonymised_export(Cohort.objects.filter(pk=cohort.pk))
    wanted = ("sessions_attended", "sessions_caught_up_by_self_study", "completion_status")
    at = [export.columns.index(name) for name in wanted]
    rows = sorted(tuple(row[i] for i in at) for row in export.rows)
    assert rows == [(1, 0, "partial"), (3, 1, "completed"), (4, 0, "completed")]


def test_the_overview_counts_the_catch_ups_waiting_in_each_prison(client_for, cohort, users):
    study(cohort, "Kim", 1, confirm_by=users["trainer"])
    study(cohort, "Lee", 1, 2)
    html = client_for("facilitator").get(reverse("cohorts:overview")).content.decode()
    assert "2 catch-ups to confirm" in html
