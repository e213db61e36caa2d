"""Cohort reports, the programme comparison and scheme health, on screen and as PDF.

Every figure comes from ``evaluation.services``; these views only arrange it. Reports are
anonymous for everyone who reads them: a trainee appears only as a participant code, never by
name or prison number, so the same pages serve staff and the evaluator.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.shortcuts import render

from cohorts.models import Cohort
from cohorts.services import COMPLETION_LABELS
from kernel import clock
from pdf.responses import pdf_response

from .. import charts, export, services
from ..access import (
    report_cohort,
    report_cohorts,
    report_establishment,
    report_establishments,
    report_readers_only,
)
from ..models import Item

REPORT_CSS = ["printing/report.css"]
HEALTH_STATUSES = {
    "good": ("Good", "govuk-tag--green"),
    "attention": ("Needs attention", "govuk-tag--orange"),
    "no_data": ("No data yet", "govuk-tag--grey"),
}


# --- Index ------------------------------------------------------------------------------------


@report_readers_only
def report_index(request):
    cohorts = (
        report_cohorts(request.user)
        .select_related("programme")
        .annotate(size=Count("memberships"))
        .order_by("-start_date", "name")
    )
    by_establishment = {e.pk: (e, []) for e in report_establishments(request.user).order_by("name")}
    for cohort in cohorts:
        by_establishment[cohort.establishment_id][1].append(cohort)
    return render(
        request,
        "evaluation/report_index.html",
        {
            "establishments": list(by_establishment.values()),
            "small_groups": export.small_groups(report_cohorts(request.user)),
            "small_group": services.SMALL_GROUP,
        },
    )


# --- Cohort report ----------------------------------------------------------------------------


def _score_range(questionnaire) -> tuple[int, int]:
    """The lowest and highest score the scale can give."""
    items = sum(
        1 for item in questionnaire.items.all() if item.kind == Item.Kind.RATING and item.in_score
    )
    return items * questionnaire.lowest_score, items * questionnaire.highest_score


def figure(value, signed: bool = False) -> str:
    """A figure to one decimal place, "–" for none; changes with their sign."""
    if value is None:
        return "–"
    text = charts.number(value, 1)
    if signed and value > 0:
        return f"+{text}"
    return text.replace("-", "−")


def spread_row(label: str, spread: services.Spread, signed: bool = False) -> tuple:
    """A row of the n, mean, median, sd and range table."""
    span = (
        f"{figure(spread.low, signed)} to {figure(spread.high, signed)}"
        if spread.low is not None
        else "–"
    )
    return (
        label,
        spread.n,
        figure(spread.mean, signed),
        figure(spread.median, signed),
        figure(spread.sd),
        span,
    )


@dataclass(frozen=True)
class Outcome:
    change: services.PairedChange
    chart: charts.Chart
    low: int
    high: int
    rows: list  # (participant code, before, after, change), sorted by code

    @property
    def name(self) -> str:
        return self.change.questionnaire.scale_name or self.change.questionnaire.title

    @property
    def table(self) -> list[tuple]:
        return [
            spread_row("Before", self.change.before),
            spread_row("After", self.change.after),
            spread_row("Change", self.change.change, signed=True),
        ]

    @property
    def too_few(self) -> bool:
        return self.change.change.n < services.SMALL_GROUP


def _outcome(change: services.PairedChange, prefix: str) -> Outcome:
    questionnaire = change.questionnaire
    low, high = _score_range(questionnaire)
    name = questionnaire.scale_name or questionnaire.title
    chart = charts.paired_chart(
        f"{name}: average before and after",
        [(name, change.before.mean, change.after.mean)],
        low=low,
        high=high,
        chart_id=f"{prefix}-{questionnaire.slug}",
        label_heading="Scale",
    )
    rows = sorted(
        (row.code, row.before, row.after, figure(row.change, True)) for row in change.rows
    )
    return Outcome(change=change, chart=chart, low=low, high=high, rows=rows)


def cohort_context(cohort: Cohort) -> dict:
    figures = services.cohort_figures(cohort)
    reasons = [(label, n) for label, n in figures.absence_reasons.items() if n]
    absence_chart = (
        charts.bar_chart(
            "Absences by reason",
            sorted(reasons, key=lambda pair: -pair[1]),
            formatter=lambda v: charts.number(v, 0),
            label_heading="Reason",
            value_heading="Absences",
            chart_id=f"absences-{cohort.pk}",
            whole=True,
        )
        if reasons
        else None
    )
    completion = [
        (COMPLETION_LABELS[status], count)
        for status, count in figures.completion_counts.items()
        if status in COMPLETION_LABELS
    ]
    cost = figures.cost
    return {
        "cohort": cohort,
        "figures": figures,
        "completion": completion,
        "completed": figures.completion_counts.get("completed", 0),
        "absence_chart": absence_chart,
        "absences": sum(n for _, n in reasons),
        "outcomes": [_outcome(change, f"cohort-{cohort.pk}") for change in figures.outcomes],
        "hours": [
            (role, charts.number(float(hours), 2), cost.cost_by_role.get(role))
            for role, hours in cost.hours_by_role.items()
        ],
        "too_few": services.SMALL_GROUP,
    }


@report_readers_only
def cohort_report(request, pk):
    cohort = report_cohort(request.user, pk)
    return render(request, "evaluation/report_cohort.html", cohort_context(cohort))


@report_readers_only
def cohort_report_pdf(request, pk):
    cohort = report_cohort(request.user, pk)
    context = {
        **cohort_context(cohort),
        "report": "cohort",
        "stylesheets": REPORT_CSS,
        "kind": "report",
        "made_on": clock.today(),
    }
    return pdf_response(
        request,
        "printing/evaluation_report.html",
        context,
        title=f"Cohort report: {cohort.name}, {cohort.establishment.name}",
        filename=f"cohort-report-{cohort.pk}.pdf",
    )


# --- Programme comparison ---------------------------------------------------------------------


@dataclass(frozen=True)
class ComparedCohort:
    cohort: Cohort
    figures: services.CohortFigures
    outcomes: dict  # scale name -> Spread of the paired changes

    def changes(self, scales: list[str]) -> list:
        """Per scale, in the order of ``scales``: (mean change as text, n, too few to
        compare), or None when the cohort has no paired scores on it."""
        cells = []
        for name in scales:
            change = self.outcomes.get(name)
            if change is None or not change.n:
                cells.append(None)
            else:
                small = change.n < services.SMALL_GROUP
                cells.append((figure(change.mean, signed=True), change.n, small))
        return cells

    @property
    def label(self) -> str:
        return f"{self.cohort.name}, {self.cohort.establishment.name}"

    @property
    def too_few(self) -> bool:
        return self.figures.members < services.SMALL_GROUP


def comparison_context(user) -> dict:
    cohorts = (
        report_cohorts(user)
        .exclude(status__in=[Cohort.Status.PLANNED, Cohort.Status.CANCELLED])
        .select_related("establishment", "programme")
        .order_by("programme__title", "start_date", "establishment__name", "pk")
    )
    groups: dict = {}
    compared = []
    for cohort in cohorts:
        figures = services.cohort_figures(cohort)
        outcomes = {
            change.questionnaire.scale_name or change.questionnaire.title: change.change
            for change in figures.outcomes
        }
        row = ComparedCohort(cohort, figures, outcomes)
        compared.append(row)
        groups.setdefault(cohort.programme, []).append(row)
    completion_chart = charts.bar_chart(
        "Completion rate by cohort",
        [(row.label, row.figures.completion_rate) for row in compared],
        high=1,
        formatter=charts.percent,
        label_heading="Cohort",
        value_heading="Completed",
        chart_id="completion-by-cohort",
    )
    local_chart = charts.bar_chart(
        "Sessions led by local staff, by cohort",
        [(row.label, row.figures.local_delivery_share) for row in compared],
        high=1,
        formatter=charts.percent,
        label_heading="Cohort",
        value_heading="Led by local staff",
        chart_id="local-share-by-cohort",
    )
    scales = list(dict.fromkeys(name for row in compared for name in row.outcomes))
    return {
        "groups": [
            (programme, [(row, row.changes(scales)) for row in rows])
            for programme, rows in groups.items()
        ],
        "scales": scales,
        "columns": 6 + len(scales),
        "compared": compared,
        "charts": [completion_chart, local_chart] if compared else [],
        "too_few": services.SMALL_GROUP,
    }


@report_readers_only
def programme_comparison(request):
    return render(request, "evaluation/report_comparison.html", comparison_context(request.user))


@report_readers_only
def programme_comparison_pdf(request):
    today = clock.today()
    context = {
        **comparison_context(request.user),
        "report": "comparison",
        "stylesheets": REPORT_CSS,
        "kind": "comparison",
        "made_on": today,
    }
    return pdf_response(
        request,
        "printing/evaluation_report.html",
        context,
        title="Programme comparison",
        filename=f"programme-comparison-{today.isoformat()}.pdf",
    )


# --- Scheme health ----------------------------------------------------------------------------


@report_readers_only
def scheme_health_page(request, code):
    establishment = report_establishment(request.user, code)
    today = clock.today()
    areas: dict = {}
    for item in services.scheme_health(establishment, today):
        label, tag = HEALTH_STATUSES.get(item.status, (item.status, "govuk-tag--grey"))
        areas.setdefault(item.area, []).append((item, label, tag))
    return render(
        request,
        "evaluation/report_scheme_health.html",
        {"establishment": establishment, "areas": list(areas.items()), "today": today},
    )
