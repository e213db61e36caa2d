"""The anonymised export: one row per trainee per cohort, participant codes only, free text
only when asked for, small groups flagged, formula-safe, audited, never cached."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from cohorts.models import Establishment
from evaluation.export import SMALL_GROUP
from evaluation.models import Answer, Item, Questionnaire, Response
from kernel.people import spreadsheet_cell
from tests.evaluation.conftest import answer, choices_scoring
from tests.factories import hold_sessions, make_cohort

COLUMNS_BEFORE_ABSENCES = [
    "participant_code",
    "cohort_id",
    "establishment",
    "programme",
    "cohort_start_month",
    "group_size",
    "small_group",
    "role_status",
    "sessions_attended",
    "sessions_caught_up_by_self_study",
    "sessions_required",
    "completion_status",
    "attendance_rate",
]
SCORE_COLUMNS = [
    f"{slug}_{point}"
    for slug in ("attitudes-to-care", "rosenberg-self-esteem")
    for point in ("before", "end", "follow_up")
]


@pytest.fixture
def cohort(home, rosenberg):
    """Three trainees with prison numbers, two sessions; Trainee 1 answered the Rosenberg
    scale before (12) and at the end (18), and wrote session feedback."""
    cohort = make_cohort(sessions=2, trainees=3, establishment=home, start_date=date(2026, 3, 9))
    for n, membership in enumerate(cohort.memberships.select_related("trainee"), start=1):
        membership.trainee.prison_number = f"A{n}000BC"
        membership.trainee.save()
    hold_sessions(
        cohort,
        {"Trainee 1": ["present", "present"], "Trainee 2": ["present", "absent"]},
    )
    first = cohort.memberships.get(trainee__display_name="Trainee 1").trainee
    for time_point, total in (("before", 12), ("end", 18)):
        answer(
            rosenberg,
            choices_scoring(rosenberg, total),
            trainee=first,
            cohort=cohort,
            time_point=time_point,
        )
    feedback = Questionnaire.objects.get(slug="session-feedback")
    response = Response.objects.create(
        questionnaire=feedback,
        establishment=home,
        trainee=first,
        cohort=cohort,
        delivery=cohort.deliveries.first(),
        time_point="after_session",
        completed_on=date(2026, 3, 9),
    )
    Answer.objects.create(
        response=response,
        item=feedback.items.filter(kind=Item.Kind.TEXT).first(),
        text='=HYPERLINK("http://example.com") more role play please',
    )
    return cohort


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def download(client, name, **params):
    return client.get(reverse(f"evaluation:{name}"), params)


def test_the_csv_has_one_row_per_member_with_the_agreed_columns(client_for, cohort):
    rows = csv_rows(download(client_for("evaluator"), "export_csv"))

    header, body = rows[0], rows[1:]
    assert header[: len(COLUMNS_BEFORE_ABSENCES)] == COLUMNS_BEFORE_ABSENCES
    assert [c for c in header if c.startswith("absences_")] == [
        "absences_regime",
        "absences_healthcare",
        "absences_legal_visit",
        "absences_work_clash",
        "absences_transferred",
        "absences_released",
        "absences_unwell",
        "absences_other",
    ]
    assert header[-len(SCORE_COLUMNS) :] == SCORE_COLUMNS
    assert len(body) == 3
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    answered = [r for r in by_code.values() if r["rosenberg-self-esteem_before"]]
    assert len(answered) == 1
    first = answered[0]
    assert first["rosenberg-self-esteem_end"] == "18"
    assert first["rosenberg-self-esteem_follow_up"] == ""
    assert first["establishment"] == "HMP Home"
    assert first["cohort_start_month"] == "2026-03"
    assert first["sessions_attended"] == "2" and first["sessions_required"] == "2"
    assert first["sessions_caught_up_by_self_study"] == "0"
    assert first["attendance_rate"] == "1.0"
    second = next(r for r in by_code.values() if r["absences_healthcare"] == "1")
    assert second["attendance_rate"] == "0.5"


def test_the_export_has_no_names_and_no_prison_numbers(client_for, cohort):
    client = client_for("evaluator")
    text = download(client, "export_csv", free_text="1").content.decode()
    book = load_workbook(io.BytesIO(download(client, "export_xlsx", free_text="1").content))
    cells = " ".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )

    for output in (text, cells):
        assert "Trainee " not in output
        assert not any(f"A{n}000BC" in output for n in (1, 2, 3))
        assert "P-" in output


def test_participant_codes_are_the_same_in_two_exports(client_for, cohort):
    client = client_for("evaluator")
    first = [row[0] for row in csv_rows(download(client, "export_csv"))[1:]]
    second = [row[0] for row in csv_rows(download(client, "export_csv"))[1:]]

    assert first == second
    assert len(set(first)) == 3
    assert all(code.startswith("P-") for code in first)


def test_free_text_goes_out_only_when_asked_for(client_for, cohort):
    client = client_for("evaluator")
    plain = download(client, "export_csv").content.decode()
    with_text = csv_rows(download(client, "export_csv", free_text="1"))

    assert "role play" not in plain
    start = with_text.index(["Free-text answers"])
    assert with_text[start - 1] == []
    assert with_text[start + 1][:4] == [
        "participant_code",
        "cohort_id",
        "questionnaire",
        "time_point",
    ]
    answer_row = with_text[start + 2]
    assert answer_row[2] == "session-feedback" and answer_row[3] == "after_session"
    assert answer_row[-1].endswith("more role play please")


def test_cells_that_a_spreadsheet_would_run_get_a_leading_apostrophe(client_for, cohort):
    Establishment.objects.filter(pk=cohort.establishment_id).update(name="=1+1 HMP")

    rows = csv_rows(download(client_for("evaluator"), "export_csv", free_text="1"))

    assert rows[1][2] == "'=1+1 HMP"
    assert rows[-1][-1].startswith("'=HYPERLINK")
    assert [spreadsheet_cell(v) for v in ("+44", "-1", "@SUM", "\tx", "fine", 3, -2.5, None)] == [
        "'+44",
        "'-1",
        "'@SUM",
        "'\tx",
        "fine",
        3,
        -2.5,
        "",
    ]


def test_a_small_group_is_flagged_in_both_exports(client_for, cohort, home):
    big = make_cohort(sessions=1, trainees=SMALL_GROUP, establishment=home)
    client = client_for("evaluator")

    rows = csv_rows(download(client, "export_csv"))
    book = load_workbook(io.BytesIO(download(client, "export_xlsx").content))

    header = rows[0]
    flags = {
        (r[1], r[header.index("group_size")], r[header.index("small_group")]) for r in rows[1:]
    }
    assert flags == {(str(cohort.pk), "3", "yes"), (str(big.pk), str(SMALL_GROUP), "no")}
    assert book.sheetnames[0] == "Read me"
    notes = [row[0] for row in book["Read me"].iter_rows(values_only=True) if row[0]]
    warning = next(note for note in notes if note.startswith("Warning"))
    assert f"fewer than {SMALL_GROUP} people" in warning
    assert f"cohort {cohort.pk} at HMP Home, 3 people" in warning
    assert f"cohort {big.pk}" not in warning


def test_the_xlsx_opens_with_a_participants_sheet_and_a_free_text_sheet_when_asked(
    client_for, cohort
):
    client = client_for("evaluator")
    plain = load_workbook(io.BytesIO(download(client, "export_xlsx").content))
    with_text = load_workbook(io.BytesIO(download(client, "export_xlsx", free_text="1").content))

    assert plain.sheetnames == ["Read me", "Participants", "Columns"]
    assert with_text.sheetnames == ["Read me", "Participants", "Free text", "Columns"]
    rows = list(plain["Participants"].iter_rows(values_only=True))
    assert list(rows[0][: len(COLUMNS_BEFORE_ABSENCES)]) == COLUMNS_BEFORE_ABSENCES
    assert len(rows) == 4
    scores = {row[rows[0].index("rosenberg-self-esteem_end")] for row in rows[1:]}
    assert scores == {18, None}
    text_rows = list(with_text["Free text"].iter_rows(values_only=True))
    assert text_rows[1][-1].startswith("'=HYPERLINK")
    described = dict(plain["Columns"].iter_rows(min_row=2, values_only=True))
    assert all(described[name] for name in rows[0])


def test_every_export_is_an_audited_uncached_attachment(client_for, cohort):
    client = client_for("evaluator")
    responses = [
        download(client, "export_csv"),
        download(client, "export_xlsx", free_text="1"),
    ]

    for response, extension in zip(responses, ("csv", "xlsx"), strict=True):
        assert response["Content-Disposition"].startswith('attachment; filename="anonymised-export')
        assert response["Content-Disposition"].endswith(f'.{extension}"')
        assert "no-store" in response["Cache-Control"]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("at")
    assert [(e.username, e.what) for e in events] == [
        ("evaluator", "anonymised export (CSV)"),
        ("evaluator", "anonymised export with free text (XLSX)"),
    ]


def test_staff_export_only_their_own_prison(client_for, cohort, staff_at_home, elsewhere):
    away = make_cohort(sessions=1, trainees=2, establishment=elsewhere)

    trainer_rows = csv_rows(download(client_for("trainer"), "export_csv"))[1:]
    evaluator_rows = csv_rows(download(client_for("evaluator"), "export_csv"))[1:]

    assert {row[1] for row in trainer_rows} == {str(cohort.pk)}
    assert {row[1] for row in evaluator_rows} == {str(cohort.pk), str(away.pk)}
