"""The cohort screens in real Chromium with the demo data: reached by their links, and axe-core
finds no serious or critical problem on any of them."""

import pytest

from tests.browser.test_accessibility import assert_no_blocking_violations

pytestmark = pytest.mark.browser


def test_cohort_screens_have_no_serious_accessibility_problems(log_in):
    page = log_in("trainer")
    page.get_by_role("link", name="Cohorts", exact=True).click()
    assert page.get_by_role("heading", name="HMP Example").is_visible()
    assert page.get_by_text("HMP Northfield").count() == 0
    assert_no_blocking_violations(page)

    page.get_by_role("link", name="Cycle 2").click()
    assert page.get_by_role("heading", name="Timetable").is_visible()
    assert_no_blocking_violations(page)

    page.get_by_role("link", name="Completion and catch-ups").click()
    assert page.get_by_role("heading", name="Completion and catch-ups").is_visible()
    assert_no_blocking_violations(page)

    page.locator("table a.govuk-link").first.click()
    assert page.get_by_role("heading", name="Sessions so far").first.is_visible()
    assert_no_blocking_violations(page)


def test_readiness_and_recording_a_step_have_no_serious_accessibility_problems(log_in):
    page = log_in("trainer")
    page.goto("/cohorts/")
    page.get_by_role("link", name="Local delivery readiness").click()
    assert page.get_by_text("Signed off to deliver alone").first.is_visible()
    assert_no_blocking_violations(page)

    page.get_by_role("link", name="Record a trainer's step").click()
    page.get_by_role("button", name="Record the step").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_no_blocking_violations(page)


def test_a_peer_support_workers_own_progress_has_no_serious_accessibility_problems(log_in):
    page = log_in("trainee")
    page.get_by_role("link", name="My progress").click()
    assert page.get_by_role("heading", name="Three-day programme").is_visible()
    assert_no_blocking_violations(page)


def test_checking_a_certificate_has_no_serious_accessibility_problems(log_in):
    page = log_in("education")
    page.goto("/cohorts/")
    page.get_by_role("link", name="Check a certificate").click()
    page.get_by_label("Reference").fill("PST-2222-3333")
    page.get_by_role("button").filter(has_text="Check").click()
    assert page.get_by_text("No certificate found").is_visible()
    assert_no_blocking_violations(page)
