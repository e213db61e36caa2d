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


def test_a_trainer_sees_whose_self_study_waits_and_whose_is_caught_up(log_in):
    """At tablet size: the cohort page lists Tommo's study of Working with Loss waiting for a
    trainer, pointing to the learning view; the completion page shows Big Lou's catch-up of Care
    for Older Adults confirmed by Terry."""
    page = log_in("trainer", viewport={"width": 800, "height": 1280})
    page.goto("/cohorts/")
    page.get_by_role("link", name="Cycle 2").click()
    heading = page.get_by_role("heading", name="Studied on screen, waiting for you to confirm")
    assert heading.is_visible()
    waiting = page.locator("table.app-to-confirm tbody tr")
    assert waiting.count() == 1
    assert waiting.first.locator("td").all_inner_texts()[:2] == ["Tommo", "Working with Loss"]
    cohort_path = page.url.split("/cohorts/")[1].rstrip("/")
    link = page.get_by_role("link", name="Open the learning view to confirm")
    assert link.get_attribute("href") == f"/learn/cohorts/{cohort_path}/"
    assert_no_blocking_violations(page)

    page.get_by_role("link", name="Completion and catch-ups").click()
    big_lou = page.locator('tr[data-trainee="Big Lou"]')
    assert big_lou.locator('[data-state="caught_up"]').count() == 1
    assert "Caught up by self-study, confirmed by Terry Trainer on" in big_lou.inner_text()
    tommo = page.locator('tr[data-trainee="Tommo"]')
    assert "Studied on screen on" in tommo.inner_text()
    assert_no_blocking_violations(page)
