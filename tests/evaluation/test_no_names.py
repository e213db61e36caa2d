"""The Evaluator never sees a trainee's name or prison number: not on a report page, not in a
report PDF, not in either export (with or without the free text).

The whole demo is loaded (three cohorts in two prisons, with the evaluation's responses and
costs), then every trainee is given a name and a prison number no page could contain by
chance, and the one trainee who signs in a user name to match. Everything the Evaluator can
reach from the reports is fetched and searched for them.
"""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cohorts.demo import load_demo_cohorts
from cohorts.models import Cohort, Establishment, Trainee
from evaluation.demo import load_demo_evaluation

TODAY = date(2026, 11, 26)
NAME = "Zebediah Quux-{n}"
PRISON_NUMBER = "Z9{n}QQ"
LOGIN = "zq-login-{n}"
FORBIDDEN = re.compile(r"Zebediah|Quux|Z9\d+QQ|zq-login", re.IGNORECASE)


@pytest.fixture
def named_demo(users):
    story = load_demo_cohorts("demo-password", today=TODAY)
    load_demo_evaluation(story, today=TODAY)
    for n, trainee in enumerate(Trainee.objects.select_related("user"), start=1):
        trainee.display_name = NAME.format(n=n)
        trainee.prison_number = PRISON_NUMBER.format(n=n)
        trainee.save()
        if trainee.user:
            trainee.user.username = LOGIN.format(n=n)
            trainee.user.first_name, trainee.user.last_name = "Zebediah", f"Quux-{n}"
            trainee.user.save()
    return story


def page_text(response) -> str:
    assert response.status_code == 200, response
    return response.content.decode()


def pdf_text(response) -> str:
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    title = (reader.metadata or {}).get("/Title", "")
    return title + " " + " ".join(page.extract_text() for page in reader.pages)


def xlsx_text(response) -> str:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return " ".join(
        str(cell)
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def everything_the_evaluator_reaches(client) -> dict[str, str]:
    outputs = {}
    get = client.get
    outputs["report index"] = page_text(get(reverse("evaluation:report_index")))
    outputs["comparison"] = page_text(get(reverse("evaluation:programme_comparison")))
    outputs["comparison PDF"] = pdf_text(get(reverse("evaluation:programme_comparison_pdf")))
    for cohort in Cohort.objects.all():
        outputs[f"cohort {cohort.pk}"] = page_text(
            get(reverse("evaluation:cohort_report", args=[cohort.pk]))
        )
        outputs[f"cohort {cohort.pk} PDF"] = pdf_text(
            get(reverse("evaluation:cohort_report_pdf", args=[cohort.pk]))
        )
    for establishment in Establishment.objects.all():
        outputs[f"scheme health {establishment.code}"] = page_text(
            get(reverse("evaluation:scheme_health", args=[establishment.code]))
        )
    for free_text in ("0", "1"):
        params = {"free_text": free_text}
        outputs[f"CSV {free_text}"] = page_text(get(reverse("evaluation:export_csv"), params))
        outputs[f"XLSX {free_text}"] = xlsx_text(get(reverse("evaluation:export_xlsx"), params))
    return outputs


@pytest.fixture
def outputs(client_for, named_demo) -> dict[str, str]:
    return everything_the_evaluator_reaches(client_for("evaluator"))


def test_no_name_or_prison_number_reaches_the_evaluator(outputs):
    leaks = {where: FORBIDDEN.findall(text) for where, text in outputs.items()}
    assert {where: found for where, found in leaks.items() if found} == {}


def test_the_search_covers_every_report_with_the_demo_in_it(outputs, named_demo):
    """The test above could pass on empty pages; this one shows they are full."""
    assert Trainee.objects.filter(prison_number__regex=r"^Z9\d+QQ$").count() == 18
    logins = Trainee.objects.filter(user__username__startswith="zq-login")
    assert logins.count() == 2  # the demo trainee and dee
    assert len([k for k in outputs if k.startswith("cohort ")]) == 6  # three, page and PDF
    assert "Cycle 1" in outputs["comparison"] and "Cycle 2" in outputs["comparison"]
    csv_rows = outputs["CSV 0"].strip().splitlines()
    assert len(csv_rows) == 1 + 11 + 11 + 4
    assert "Free-text answers" in outputs["CSV 1"]
    codes = set(re.findall(r"P-[0-9A-F]{10}", outputs["CSV 0"]))
    assert len(codes) == 18
    cycle_1 = named_demo.cycle_1.pk
    assert len(codes & set(re.findall(r"P-[0-9A-F]{10}", outputs[f"cohort {cycle_1}"]))) == 8
    assert "Self-esteem score" in outputs[f"cohort {cycle_1} PDF"]
