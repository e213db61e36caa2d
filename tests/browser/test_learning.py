"""Self-paced learning in real Chromium at tablet size: a peer support worker catches up a
missed session on screen, through a network that drops half-way; their trainer confirms it.

Uses HMP Learnwell (``tests/learning/scenario.py``), planted for this module and removed
after it: Robin (``learner``) missed the first session of the five-afternoon programme at
healthcare; Kit (``learner2``) came to it; Lee (``learn-trainer``) trains there.
"""

import json
import re

import pytest

from tests.browser.conftest import run_manage
from tests.browser.test_accessibility import assert_no_blocking_violations

TABLET = {"width": 800, "height": 1280}
PHONE = {"width": 360, "height": 740}
COHORT = "Learnwell group"
WAITING = re.compile(r"^Waiting to be sent")
TOUCH = 44


@pytest.fixture(scope="module")
def learnwell(live_server_env, live_server_url, tmp_path_factory):
    log_path = tmp_path_factory.mktemp("learnwell") / "plant.log"
    with log_path.open("w") as log:
        run_manage(
            live_server_env,
            log,
            "shell",
            "-c",
            "from tests.learning.scenario import plant; plant()",
        )
        yield
        run_manage(
            live_server_env,
            log,
            "shell",
            "-c",
            "from tests.learning.scenario import remove; remove()",
        )


def study_state(page) -> dict:
    return json.loads(page.locator("#study-state").text_content())


def shown_part(page):
    return page.locator("[data-study] .app-study__part:not([hidden])")


def focus_is_on_the_part(page) -> bool:
    return page.evaluate(
        "document.querySelector('[data-study] .app-study__part:not([hidden])')"
        ".contains(document.activeElement)"
    )


def answer(page, option: int):
    part = shown_part(page)
    part.locator("label.govuk-radios__label").nth(option).click()
    part.get_by_role("button", name="Check my answer").click()
    return part.locator("[data-feedback]")


def assert_touch_sized(locator):
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box["width"] >= TOUCH and box["height"] >= TOUCH, box


def wait_until_sent(page):
    page.locator("#study-status .app-waiting").wait_for(state="detached", timeout=20_000)


def cohort_id(page) -> str:
    page.goto("/cohorts/")
    href = page.get_by_role("link", name=COHORT, exact=True).first.get_attribute("href")
    return href.strip("/").split("/")[-1]


def completion_row(page, cohort: str, name: str) -> str:
    page.goto(f"/cohorts/{cohort}/completion/")
    return page.locator(f"tr[data-trainee='{name}']").inner_text()


@pytest.mark.browser
def test_a_missed_session_is_caught_up_on_screen_through_a_lost_network(log_in, learnwell):
    page = log_in("learner", viewport=TABLET)
    assert page.url.endswith("/learn/")
    assert_no_blocking_violations(page)
    catch_up = page.get_by_role("link", name=re.compile("^Catch up on "))
    title = catch_up.inner_text().removeprefix("Catch up on ").strip()
    catch_up.click()
    page.wait_for_selector("[data-study].app-study--stepped")
    state = study_state(page)
    parts, checks = state["parts"], state["checks"]
    assert page.get_by_text(f"Part 1 of {len(parts)}").is_visible()
    assert shown_part(page).count() == 1
    assert_touch_sized(page.locator("[data-next]"))

    offline_from = len(parts) // 2
    first_check = True
    for index, key in enumerate(parts):
        assert shown_part(page).get_attribute("data-part") == key
        if index:
            assert focus_is_on_the_part(page), f"focus did not move to part {index + 1}"
        if index == offline_from:
            page.context.set_offline(True)
        if key in checks:
            options = checks[key]
            assert_touch_sized(shown_part(page).locator("input[type=radio]"))
            right = next(i for i, o in enumerate(options) if o["right"])
            if first_check:
                wrong = next(i for i, o in enumerate(options) if not o["right"])
                feedback = answer(page, wrong)
                assert feedback.get_by_text("Not quite. Try again.").is_visible()
                assert feedback.get_by_text(options[wrong]["feedback"]).is_visible()
                assert_no_blocking_violations(page)
                first_check = False
            feedback = answer(page, right)
            assert feedback.get_by_text("Right.").is_visible()
            assert feedback.get_by_text(options[right]["feedback"]).is_visible()
        page.get_by_role("button", name="Finish" if index == len(parts) - 1 else "Next").click()

    end = shown_part(page)
    assert end.get_by_text(f"You have studied {title}").is_visible()
    status = page.locator("#study-status")
    assert status.get_by_text(WAITING).is_visible()
    assert status.get_by_text("kept on this tablet").is_visible()

    page.context.set_offline(False)
    wait_until_sent(page)
    answers_url = end.get_by_role("link", name="See all your answers").get_attribute("href")
    page.goto(answers_url)
    tries = page.locator("main section li")
    assert tries.count() == len(checks) + 1  # one wrong, then every check right
    assert "Not right" in tries.nth(0).inner_text()
    assert page.get_by_text(f"Parts seen: {len(parts)} of {len(parts)}").is_visible()
    assert page.get_by_text("Studied on").is_visible()

    # Nobody else sees those answers: a trainee of another prison, a second trainee of the
    # same prison, and a trainer of another prison.
    for other in ("dee", "learner2", "northfield"):
        someone = log_in(other, viewport=TABLET)
        response = someone.goto(answers_url)
        assert response.status == 404, other

    trainer = log_in("learn-trainer", viewport=TABLET)
    cohort = cohort_id(trainer)
    before = completion_row(trainer, cohort, "Robin")
    assert title in before and "by self-study" not in before
    trainer.goto(f"/learn/cohorts/{cohort}/")
    assert_no_blocking_violations(trainer)
    waiting = trainer.locator(".app-confirm").filter(has_text=f"Robin: {title}")
    assert waiting.count() == 1
    assert waiting.get_by_label(re.compile("^Date you talked it through")).input_value()
    waiting.get_by_role("button", name=re.compile("^Confirm catch-up")).click()
    assert trainer.get_by_text(f"Catch-up confirmed: Robin, {title}.").is_visible()
    assert trainer.locator(".app-confirm").count() == 0
    # Completion counts the confirmed catch-up (cohorts' rule, from the catch-up branch).
    after = completion_row(trainer, cohort, "Robin")
    assert "1 by self-study" in after
    assert f"{title} Caught up" in after
    assert "Caught up by self-study, confirmed by Lee Learnwell" in after
    assert after != before


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["800x1280", "360x740"])
def test_the_learning_pages_have_no_serious_accessibility_problems(log_in, learnwell, viewport):
    page = log_in("learner2", viewport=viewport)
    assert_no_blocking_violations(page)
    page.get_by_role("link", name=re.compile("^Session 1: ")).click()
    page.wait_for_selector("[data-study].app-study--stepped")
    while not shown_part(page).locator("form[data-check]").count():
        page.get_by_role("button", name="Next").click()
    feedback = answer(page, 0)
    assert feedback.locator(".app-feedback").is_visible()
    assert_touch_sized(shown_part(page).locator("input[type=radio]"))
    assert_touch_sized(page.locator("[data-next], [data-back]"))
    assert_no_blocking_violations(page)
    trainer = log_in("learn-trainer", viewport=viewport)
    trainer.goto(f"/learn/cohorts/{cohort_id(trainer)}/")
    assert_no_blocking_violations(trainer)


@pytest.mark.browser
def test_without_javascript_every_part_is_on_the_page_and_a_check_posts(log_in, learnwell):
    page = log_in("learner2", viewport=PHONE, java_script_enabled=False)
    page.get_by_role("link", name=re.compile("^Session 2: ")).click()
    parts = page.locator("[data-study] [data-part]")
    assert parts.count() > 3
    for i in range(parts.count()):
        assert parts.nth(i).is_visible()
    check = page.locator("form[data-check]").first
    check.locator("label.govuk-radios__label").first.click()
    with page.expect_navigation():
        check.get_by_role("button", name="Check my answer").click()
    feedback = page.locator("form[data-check]").first.locator(".app-feedback")
    assert feedback.get_by_text(re.compile(r"^(Right\.|Not quite\. Try again\.)$")).is_visible()


def press_tab_until(page, selector: str, limit: int = 40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"{selector} never got the focus")


@pytest.mark.browser
def test_a_session_is_studied_by_keyboard_alone(log_in, learnwell):
    page = log_in("learner2", viewport=PHONE)
    page.get_by_role("link", name=re.compile("^Session 3: ")).click()
    page.wait_for_selector("[data-study].app-study--stepped")
    state = study_state(page)
    parts, checks = state["parts"], state["checks"]
    check_at = next(i for i, key in enumerate(parts) if key in checks)
    for index in range(check_at):
        press_tab_until(page, "[data-next]")
        page.keyboard.press("Enter")
        assert page.get_by_text(f"Part {index + 2} of {len(parts)}").is_visible()
        assert focus_is_on_the_part(page)
    press_tab_until(page, "input[type=radio]")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("document.activeElement.value")
    press_tab_until(page, ".app-check__button")
    page.keyboard.press("Enter")
    option = checks[parts[check_at]][int(chosen)]
    assert shown_part(page).get_by_text(option["feedback"]).is_visible()
