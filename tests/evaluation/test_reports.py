"""The report pages and PDFs show a small cohort's figures, worked out by hand.

The cohort: three trainees, two one-hour sessions held, both led by the visiting facilitator
(£50 an hour), printing £20 and materials £10. Trainees 1 and 2 come to both; Trainee 3 misses
the second (healthcare). Trainees 1 and 2 answer the Rosenberg scale before (15 and 10) and at
the end (20 and 13).

    members 3, completed 2 (67%), attendance 5 of 6 (83%), local staff led 0%
    Rosenberg: before mean 12.5, after 16.5, change +4 (n 2: too few to compare)
    cost: 2 hours x £50 = £100, + £30 = £130, per completer £65.00
"""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cohorts.models import Cohort
from evaluation.charts import bar_chart, paired_chart, percent
from evaluation.models import CohortCosts, HourlyCost, ParticipantCode
from tests.evaluation.conftest import answer, choices_scoring
from tests.factories import hold_sessions, make_cohort


@pytest.fixture
def small_cohort(home, rosenberg):
    cohort = make_cohort(sessions=2, trainees=3, establishment=home, status="finished")
    hold_sessions(
        cohort,
        {
            "Trainee 1": ["present", "present"],
            "Trainee 2": ["present", "late"],
            "Trainee 3": ["present", "absent"],
        },
    )
    HourlyCost.objects.create(role="visiting_facilitator", pounds_per_hour=Decimal("50"))
    CohortCosts.objects.create(cohort=cohort, printing=Decimal("20"), materials=Decimal("10"))
    trainees = {m.trainee.display_name: m.trainee for m in cohort.memberships.all()}
    for name, before, end in (("Trainee 1", 15, 20), ("Trainee 2", 10, 13)):
        for time_point, total in (("before", before), ("end", end)):
            answer(
                rosenberg,
                choices_scoring(rosenberg, total),
                trainee=trainees[name],
                cohort=cohort,
                time_point=time_point,
            )
    return cohort


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_cohort_report_shows_attendance_completion_and_absences(client_for, small_cohort):
    page = client_for("evaluator").get(reverse("evaluation:cohort_report", args=[small_cohort.pk]))

    text = text_of(page)
    assert page.status_code == 200
    assert 'data-figure="members">3<' in text
    assert 'data-figure="completion">67%<' in text
    assert "completed (2 of 3)" in text
    assert 'data-figure="attendance">83%<' in text
    assert 'data-figure="local">0%<' in text
    assert "1 absence from sessions held" in text
    assert "Healthcare" in text


def test_the_cohort_report_shows_paired_outcomes_by_participant_code(client_for, small_cohort):
    page = client_for("evaluator").get(reverse("evaluation:cohort_report", args=[small_cohort.pk]))

    text = text_of(page)
    codes = ParticipantCode.objects.filter(trainee__cohorts=small_cohort)
    assert "Self-esteem score" in text
    assert "12.5" in text and "16.5" in text and "+4" in text
    assert "Only 2 trainees gave both scores" in text
    assert len(codes) == 2
    assert all(code.code in text for code in codes)
    assert "Nobody has given both scores yet: 0 answered before the programme" in text
    assert "Trainee 1" not in text and "Trainee 2" not in text


def test_the_cohort_report_shows_the_cost_per_completer(client_for, small_cohort):
    page = client_for("evaluator").get(reverse("evaluation:cohort_report", args=[small_cohort.pk]))

    text = text_of(page)
    assert "Visiting facilitator" in text
    assert "£100.00" in text
    assert 'data-figure="total-cost"><strong>£130.00</strong>' in text
    assert 'data-figure="per-completer">£65.00 (2 completed)' in text


def test_the_cohort_report_charts_are_svg_with_a_title_a_description_and_a_table(
    client_for, small_cohort
):
    page = client_for("evaluator").get(reverse("evaluation:cohort_report", args=[small_cohort.pk]))

    text = text_of(page)
    svgs = re.findall(r"<svg .*?</svg>", text)
    assert len(svgs) == 2  # absences; self-esteem before and after
    assert all('role="img"' in svg and "<title " in svg and "<desc " in svg for svg in svgs)
    assert "Healthcare: 1." in svgs[0]
    assert "before 12.5, after 16.5" in svgs[1]
    assert text.count('class="govuk-table app-chart__table"') == 2


def test_the_cohort_report_pdf_has_the_headings_and_figures(client_for, small_cohort):
    response = client_for("evaluator").get(
        reverse("evaluation:cohort_report_pdf", args=[small_cohort.pk])
    )

    text = pdf_text(response)
    for heading in ("Attendance and completion", "Reasons for absence", "Outcomes", "Cost"):
        assert heading in text
    assert small_cohort.name in text and "HMP HOME" in text  # the kicker is in capitals
    assert "2 of 3 (67%)" in text
    assert "83%" in text
    assert "+4" in text and "12.5" in text
    assert "£130.00" in text and "£65.00" in text
    assert "Trainee 1" not in text


def test_the_comparison_sets_cohorts_of_two_programmes_side_by_side(client_for, small_cohort):
    other = make_cohort(sessions=1, trainees=6, establishment=small_cohort.establishment)
    other.status = Cohort.Status.RUNNING
    other.save()

    page = client_for("evaluator").get(reverse("evaluation:programme_comparison"))

    text = text_of(page)
    assert small_cohort.programme.title in text and other.programme.title in text
    first = re.search(rf'data-cohort="{small_cohort.pk}">(.*?)</tr>', text).group(1)
    second = re.search(rf'data-cohort="{other.pk}">(.*?)</tr>', text).group(1)
    assert "too few to compare" in first  # 3 people
    assert "too few to compare" not in second  # 6 people
    assert "83%" in first and "67%" in first and "£65.00" in first
    assert '<strong>+4</strong> <span class="app-nowrap">(n 2)</span>' in first
    assert "no paired scores yet" in second and "nobody completed yet" in second
    assert "Completion rate by cohort" in text and "Sessions led by local staff" in text


def test_the_comparison_pdf_has_both_cohorts(client_for, small_cohort):
    other = make_cohort(sessions=1, trainees=6, establishment=small_cohort.establishment)
    other.status = Cohort.Status.RUNNING
    other.save()

    text = pdf_text(client_for("evaluator").get(reverse("evaluation:programme_comparison_pdf")))

    assert "Programme comparison" in text and "Reading the comparison" in text
    assert small_cohort.name in text and other.name in text
    assert "£65.00" in text and "too few to compare" in text.lower()


def test_scheme_health_shows_the_four_areas_each_item_with_status_and_evidence(
    client_for, small_cohort
):
    page = client_for("evaluator").get(reverse("evaluation:scheme_health", args=["hmp-home"]))

    text = text_of(page)
    for area in (
        "Planning and development",
        "Recruitment and implementation",
        "Support and supervision",
        "Monitoring and evaluation",
    ):
        assert f'<h2 class="govuk-heading-l">{area}</h2>' in text
    assert "govuk-tag--green" in text or "govuk-tag--orange" in text
    assert "Printing and materials are recorded for 1 of 1" in text


def test_the_report_index_warns_of_small_groups_and_links_every_report(client_for, small_cohort):
    page = client_for("evaluator").get(reverse("evaluation:report_index"))

    text = text_of(page)
    assert "1 cohort has fewer than 5 people" in text
    assert f"{small_cohort.name}, HMP Home: 3 people" in text
    for url in (
        reverse("evaluation:cohort_report", args=[small_cohort.pk]),
        reverse("evaluation:programme_comparison"),
        reverse("evaluation:scheme_health", args=["hmp-home"]),
        reverse("evaluation:export_csv"),
        reverse("evaluation:export_xlsx"),
    ):
        assert f'href="{url}' in text


def test_the_navigation_offers_reports_only_to_those_who_may_see_them(client_for, staff_at_home):
    for username, shown in (("evaluator", True), ("trainer", True), ("education", False)):
        page = client_for(username).get("/")
        assert (reverse("evaluation:report_index") in page.content.decode()) is shown


def test_chart_labels_are_escaped():
    chart = bar_chart("<b>Title</b>", [("<script>x</script>", 0.5)], high=1, formatter=percent)
    paired = paired_chart("A & B", [("<i>scale</i>", 1, 2)], low=0, high=3)

    assert "<script>" not in chart.svg and "&lt;script&gt;x&lt;/script&gt;" in chart.svg
    assert "<b>" not in chart.svg and "<i>" not in paired.svg and "A &amp; B" in paired.svg
