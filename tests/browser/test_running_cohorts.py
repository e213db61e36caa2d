"""A local trainer of HMP Example runs a new cohort by keyboard alone, in real Chromium
against the demo: starts it, schedules it, cancels a day's session for a lockdown and moves
it, and downloads the calendar. Staff of another prison get 404; education staff 403."""

import re

import pytest
from icalendar import Calendar

from tests.browser.test_accessibility import assert_no_blocking_violations
from tests.browser.test_register import tab_to

pytestmark = pytest.mark.browser

EXISTING = ["Sol", "Ricky", "Danny", "Marcus"]  # not Frankie or Dee, who sign in
NEW = [("Robin Newman", "A9999ZZ"), ("Kit", "")]
FIRST_DATE = "1/3/2027"  # a Monday
CLOSED = "3/3/2027"


def press(page, selector: str, key: str = "Enter"):
    tab_to(page, selector)
    page.keyboard.press(key)


def type_into(page, selector: str, text: str):
    tab_to(page, selector)
    page.keyboard.type(text)


def id_of_choice(page, label: str) -> str:
    return page.get_by_label(label, exact=False).first.get_attribute("id")


def start_a_cohort(page):
    page.goto("/cohorts/")
    with page.expect_navigation():
        press(page, "a[href='/cohorts/new/']")
    assert page.get_by_role("heading", name="Start a cohort").is_visible()

    with page.expect_navigation():
        press(page, "main button[type=submit]")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.get_by_role("link", name="Give the cohort a name.").is_visible()
    assert_no_blocking_violations(page)

    type_into(page, "#id_programme", "Three")
    assert page.input_value("#id_programme") != ""
    type_into(page, "#id_name", "Cycle 3")
    type_into(page, "#id_lead_trainer", "Terry")
    for name in EXISTING:
        press(page, f"#{id_of_choice(page, name + ' (')}", " ")
    for n, (name, number) in enumerate(NEW):
        type_into(page, f"#id_new_name_{n}", name)
        if number:
            page.keyboard.press("Tab")
            page.keyboard.type(number)
    with page.expect_navigation():
        press(page, "main button[type=submit]")
    assert page.get_by_role("heading", name="Put the programme on dates").is_visible()


def schedule(page):
    type_into(page, "#id_first_date", FIRST_DATE)
    for day in ("3",):  # Thursday off: the regime allows Monday to Wednesday
        press(page, f"#id_weekdays_{day}", " ")
    type_into(page, "#id_room", "Education block, room 4")
    type_into(page, "#id_closed_dates", CLOSED)
    with page.expect_navigation():
        press(page, "button[name=preview]")
    preview = page.locator("table").first
    assert "10 sessions on 3 dates" in preview.locator("caption").inner_text()
    text = preview.inner_text()
    assert "Monday 1 March 2027" in text
    assert "Tuesday 2 March 2027" in text
    assert "Monday 8 March 2027" in text  # Wednesday 3rd is closed, Thursday not allowed
    assert_no_blocking_violations(page)
    with page.expect_navigation():
        press(page, "button[name=confirm]")
    assert page.get_by_text("10 sessions are on the timetable.").is_visible()
    rows = page.locator("table.app-deliveries tbody tr")
    assert rows.count() == 10
    assert_no_blocking_violations(page)


def cancel_and_move(page) -> str:
    """Cancel Day two's first session for a lockdown, then move it to 15 March. Its title."""
    cancel = page.locator("a[href$='/cancel/']").nth(4)  # after day one's four
    href = cancel.get_attribute("href")
    delivery = re.search(r"/deliveries/(\d+)/", href).group(1)
    with page.expect_navigation():
        press(page, f"a[href='{href}']")
    title = page.get_by_role("heading", level=1).inner_text().removeprefix("Cancel ")
    assert_no_blocking_violations(page)
    press(page, "#id_because_0", " ")  # Lockdown
    with page.expect_navigation():
        press(page, "main button[type=submit]")
    assert page.get_by_text(f"{title} on 2 March is cancelled.").is_visible()
    assert page.locator("table.app-deliveries").get_by_text("Lockdown").is_visible()

    with page.expect_navigation():
        press(page, f"a[href='/cohorts/deliveries/{delivery}/move/']")
    assert_no_blocking_violations(page)
    tab_to(page, "#id_date")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("15/3/2027")
    with page.expect_navigation():
        press(page, "main button[type=submit]")
    assert page.get_by_text(f"{title} is now on Monday 15 March 2027.").is_visible()
    assert page.locator("table.app-deliveries tbody tr").count() == 11  # the cancellation stays
    return title


def test_a_local_trainer_runs_a_new_cohort_by_keyboard_alone(log_in):
    page = log_in("trainer", accept_downloads=True)
    start_a_cohort(page)
    schedule(page)
    cohort_url = page.url.split("#")[0]
    title = cancel_and_move(page)

    trainees = page.locator("table").first.inner_text()
    for name in [*EXISTING, "Robin Newman", "Kit"]:
        assert name in trainees
    assert "A9999ZZ" in trainees

    with page.expect_download() as download:
        press(page, "a[href$='/calendar.ics']")
    content = open(download.value.path(), "rb").read()  # noqa: PTH123
    events = Calendar.from_ical(content).walk("VEVENT")
    assert len(events) == 11
    moved = [e for e in events if str(e["SUMMARY"]).startswith(title)]
    statuses = sorted((e.decoded("DTSTART").strftime("%Y-%m-%d"), str(e["STATUS"])) for e in moved)
    assert statuses == [("2027-03-02", "CANCELLED"), ("2027-03-15", "CONFIRMED")]
    assert b"Robin" not in content
    assert b"Marcus" not in content

    page.goto("/cohorts/overview/")
    assert_no_blocking_violations(page)
    page.goto("/cohorts/calendar/")
    assert_no_blocking_violations(page)
    assert page.goto(cohort_url).ok


def changing_screens(page) -> list[str]:
    """The cohort pages and every screen that changes one, for Cycle 2 at HMP Example."""
    page.goto("/cohorts/")
    cohort = page.get_by_role("link", name="Cycle 2", exact=True).first.get_attribute("href")
    page.goto(cohort)
    planned = page.locator("a[href$='/cancel/']").first.get_attribute("href")
    trainee = page.locator("a[href$='/leave/']").first.get_attribute("href")
    progress = page.locator("a[href^='/cohorts/trainees/']").first.get_attribute("href")
    return [
        f"{cohort}schedule/",
        f"{cohort}deliveries/new/",
        f"{cohort}join/",
        trainee,
        planned,
        planned.replace("/cancel/", "/move/"),
        f"{progress}shadowing/new/",
        "/cohorts/establishments/hmp-example/new/",
    ], [cohort, f"{cohort}calendar.ics"]


def test_other_prisons_get_404_and_education_403(log_in):
    trainer = log_in("trainer")
    changing, reading = changing_screens(trainer)
    for url in changing:
        trainer.goto(url)
        assert_no_blocking_violations(trainer)

    northfield = log_in("northfield")
    for url in [*changing, *reading]:
        response = northfield.request.get(url)
        assert response.status == 404, url

    education = log_in("education")
    for url in changing:
        assert education.request.get(url).status == 403, url
    assert education.request.get("/cohorts/new/").status == 403
    assert education.request.get(reading[0]).status == 200
