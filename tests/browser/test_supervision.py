"""Supervision screens in real Chromium with the demo data: the supervisor's list, the form and
a meeting; the peer worker's own view. axe-core finds no serious or critical problem."""

from datetime import date, timedelta

import pytest

from tests.browser.test_accessibility import assert_no_blocking_violations

pytestmark = pytest.mark.browser


def test_the_supervisors_screens_have_no_serious_accessibility_problems(log_in):
    page = log_in("trainer")
    page.get_by_role("link", name="Supervision", exact=True).click()
    assert page.get_by_text("Sully").first.is_visible()  # overdue in the demo
    assert_no_blocking_violations(page)

    page.locator("a[href*='/journal/supervision/']").filter(has_text="20").first.click()
    page.get_by_role("heading", level=1).wait_for()
    assert_no_blocking_violations(page)

    page.goto("/journal/supervision/")
    page.get_by_role("link", name="Record a meeting").first.click()
    page.get_by_role("heading", name="Record a supervision meeting").wait_for()
    assert_no_blocking_violations(page)


def test_a_peer_worker_sees_only_their_own_supervision(log_in):
    page = log_in("dee")
    page.get_by_role("link", name="Supervision", exact=True).click()
    page.get_by_role("heading", name="My supervision").wait_for()
    assert_no_blocking_violations(page)
    group_meeting = f"{date.today() - timedelta(days=20):%-d %B %Y}"  # see journals/demo.py
    page.get_by_role("link", name=group_meeting).click()
    page.get_by_role("heading", name="Group supervision").wait_for()
    assert "Big Lou" not in page.content()  # another attendee of the same meeting
    assert_no_blocking_violations(page)
