"""The register in real Chromium: taken by keyboard alone, kept when saving fails, accessible.

Uses the demo data: cycle 2 at HMP Example (the three-day programme) is running and has
planned deliveries whose register lists its 10 trainees.
"""

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_accessibility import assert_no_blocking_violations

COHORT = "Cycle 2"
MARKS = ("present", "late", "left_early", "absent")
TAB_LIMIT = 150
NOT_SAVED = (
    "Not saved. Your marks are kept on this laptop. Check the connection and press Save again."
)


def cohort_path(page) -> str:
    page.goto("/cohorts/")
    return page.get_by_role("link", name=COHORT, exact=True).first.get_attribute("href")


def take_register_paths(page, cohort: str) -> list[str]:
    """The "Take register" links of the cohort's planned deliveries, in timetable order."""
    page.goto(cohort)
    links = page.locator("a[href*='/register/']").filter(has_text=re.compile("^Take register"))
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def trainees_on(page) -> dict[str, str]:
    """Display name -> trainee id, as listed on the register page."""
    return page.eval_on_selector_all(
        "tr[data-trainee]",
        "rows => Object.fromEntries(rows.map(r => [r.querySelector('th').textContent.trim(),"
        " r.dataset.trainee]))",
    )


def marks_on(page) -> dict[str, tuple[str, str]]:
    """Display name -> (mark, absence reason) as the register page shows them."""
    found = page.eval_on_selector_all(
        "tr[data-trainee]",
        """rows => Object.fromEntries(rows.map(r => [
            r.querySelector('th').textContent.trim(),
            [r.querySelector('input[type=radio]:checked').value,
             r.querySelector('select').value]]))""",
    )
    return {name: tuple(mark) for name, mark in found.items()}


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, selector: str):
    """Press Tab until the element matching ``selector`` has the keyboard focus."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"{selector} never got the focus after {TAB_LIMIT} presses of Tab")


def mark_absent_by_keyboard(page, trainee_id: str, reason_label: str):
    tab_to(page, f"#mark-{trainee_id}-present")
    for _ in range(MARKS.index("absent")):
        page.keyboard.press("ArrowRight")
    assert active_id(page) == f"mark-{trainee_id}-absent"
    page.keyboard.press("Tab")
    assert active_id(page) == f"reason-{trainee_id}"
    page.keyboard.type(reason_label)
    page.keyboard.press("Tab")
    assert active_id(page) == f"remark-{trainee_id}"


def completion_rows(page, cohort: str) -> dict[str, dict]:
    """Per trainee on the completion summary: the status heading above their row and the
    text of the row."""
    page.goto(cohort.rstrip("/") + "/completion/")
    return page.eval_on_selector_all(
        "tr[data-trainee]",
        """rows => Object.fromEntries(rows.map(r => {
            let heading = r.closest('table').previousElementSibling;
            while (heading && heading.tagName !== 'H2') heading = heading.previousElementSibling;
            return [r.dataset.trainee, {
                status: heading ? heading.textContent.trim() : '',
                sessions: r.cells[1].textContent.trim(),
                text: r.textContent.replace(/\\s+/g, ' ').trim()}];
        }))""",
    )


@pytest.mark.browser
def test_a_trainer_takes_the_register_by_keyboard_alone(log_in):
    page = log_in("trainer")
    cohort = cohort_path(page)
    register = take_register_paths(page, cohort)[0]
    page.goto(register)
    session = page.locator("h1").inner_text().removeprefix("Register: ")
    trainees = trainees_on(page)
    assert len(trainees) == 10
    names = list(trainees)
    absent = {names[1]: ("Healthcare", "healthcare"), names[4]: ("Legal visit", "legal_visit")}
    before = completion_rows(page, cohort)
    page.goto(register)

    for name, (label, _) in absent.items():
        mark_absent_by_keyboard(page, trainees[name], label)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    saved = page.locator("#register-status")
    saved.get_by_text(re.compile(r"Register saved\. Saved at \d\d:\d\d")).wait_for()

    page.reload()
    marks = marks_on(page)
    assert {name: marks[name] for name in absent} == {
        name: ("absent", value) for name, (_, value) in absent.items()
    }
    assert {marks[name] for name in names if name not in absent} == {("present", "")}

    after = completion_rows(page, cohort)
    came = names[0]
    assert int(after[came]["sessions"].split()[0]) == int(before[came]["sessions"].split()[0]) + 1
    for name in absent:
        assert after[name]["sessions"] == before[name]["sessions"]
        assert session not in before[name]["text"]
        assert session in after[name]["text"]
        assert after[name]["status"] in {"In progress", "Partial: stopped coming", "Completed"}
    assert before != after


@pytest.mark.browser
def test_marks_are_kept_on_the_laptop_when_saving_fails(log_in):
    page = log_in("trainer")
    register = take_register_paths(page, cohort_path(page))[-1]
    page.goto(register)
    trainee = next(iter(trainees_on(page).values()))
    page.check(f"#mark-{trainee}-late")
    page.fill(f"#remark-{trainee}", "Came from the wing late")
    page.route(
        "**/register/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Save register").click()
    page.locator("#register-status").get_by_text(NOT_SAVED).wait_for()
    page.unroute("**/register/")

    page.reload()
    page.get_by_text("Restored marks you had not saved yet").wait_for()
    assert page.is_checked(f"#mark-{trainee}-late")
    assert page.input_value(f"#remark-{trainee}") == "Came from the wing late"


@pytest.mark.browser
def test_marks_are_kept_when_the_login_has_ended(log_in):
    page = log_in("trainer")
    register = take_register_paths(page, cohort_path(page))[-1]
    page.goto(register)
    trainee = list(trainees_on(page).values())[2]
    page.check(f"#mark-{trainee}-absent")
    page.select_option(f"#reason-{trainee}", "unwell")
    page.context.clear_cookies()
    page.get_by_role("button", name="Save register").click()
    status = page.locator("#register-status")
    status.get_by_text("Not saved: you have been signed out.").wait_for()

    with page.expect_navigation():
        status.get_by_role("link", name="Sign in again").click()
    page.fill("#id_username", "trainer")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith(register)
    page.get_by_text("Restored marks you had not saved yet").wait_for()
    assert page.is_checked(f"#mark-{trainee}-absent")
    assert page.input_value(f"#reason-{trainee}") == "unwell"


@pytest.mark.browser
def test_the_register_has_no_serious_accessibility_problems(log_in):
    page = log_in("trainer")
    page.goto(take_register_paths(page, cohort_path(page))[-1])
    assert_no_blocking_violations(page)


@pytest.mark.browser
def test_marks_kept_on_the_laptop_never_quietly_overwrite_a_register_saved_since(log_in):
    page = log_in("trainer")
    register = take_register_paths(page, cohort_path(page))[-1]
    page.goto(register)
    trainee = next(iter(trainees_on(page).values()))
    page.check(f"#mark-{trainee}-late")
    page.route(
        "**/register/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Save register").click()
    page.locator("#register-status").get_by_text(NOT_SAVED).wait_for()
    page.unroute("**/register/")

    colleague = log_in("facilitator")
    colleague.goto(register)
    colleague.check(f"#mark-{trainee}-absent")
    colleague.select_option(f"#reason-{trainee}", "healthcare")
    colleague.get_by_role("button", name="Save register").click()
    colleague.get_by_text("Register saved").wait_for()

    page.reload()
    page.get_by_text("This register was saved after you made changes").wait_for()
    assert page.is_checked(f"#mark-{trainee}-absent")
    page.get_by_role("button", name="Use my unsaved marks instead").click()
    assert page.is_checked(f"#mark-{trainee}-late")
