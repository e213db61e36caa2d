"""The evaluation reports in real Chromium with the demo data, as the Evaluator: reached by
their links, axe-core finds no serious or critical problem on any of them, and the programme
comparison sets the two cycles of HMP Example side by side."""

import re

import pytest

from tests.browser.test_accessibility import assert_no_blocking_violations

pytestmark = pytest.mark.browser


def test_the_report_pages_have_no_serious_accessibility_problems(log_in):
    page = log_in("evaluator")
    page.get_by_role("link", name="Reports", exact=True).click()
    assert page.get_by_role("heading", name="Reports", exact=True).is_visible()
    assert page.get_by_text("1 cohort has fewer than 5 people").is_visible()
    assert_no_blocking_violations(page)

    page.get_by_role("link", name="Cycle 1", exact=True).click()
    assert page.get_by_role("heading", name="Cohort report: Cycle 1").is_visible()
    assert page.get_by_role("img", name="Absences by reason").is_visible()
    assert_no_blocking_violations(page)

    page.get_by_role("link", name="Reports", exact=True).first.click()
    page.get_by_role("link", name="Scheme health at HMP Example").click()
    assert page.get_by_role("heading", name="Support and supervision").is_visible()
    assert_no_blocking_violations(page)


def test_the_programme_comparison_shows_both_cycles_side_by_side(log_in):
    page = log_in("evaluator")
    page.goto("/evaluation/")
    page.get_by_role("link", name="Programme comparison").click()

    table = page.get_by_role("table", name="Cohorts side by side")
    groups = table.locator("tbody")
    assert groups.count() == 2
    five, three = groups.nth(0), groups.nth(1)
    programme = "th.app-comparison__programme"
    assert five.locator(programme).inner_text().startswith("Five-afternoon programme")
    assert five.get_by_role("rowheader", name=re.compile(r"^Cycle 1 ")).count() == 1
    assert three.locator(programme).inner_text().startswith("Three-day programme")
    assert three.get_by_role("rowheader", name=re.compile(r"^Cycle 2 ")).count() == 1
    assert three.get_by_role("rowheader").count() == 1
    assert page.get_by_role("img", name="Completion rate by cohort").is_visible()
    assert page.get_by_role("img", name="Sessions led by local staff, by cohort").is_visible()
    assert_no_blocking_violations(page)
