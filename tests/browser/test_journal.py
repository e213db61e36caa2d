"""The journal in real Chromium, on the demo data: a Gibbs entry written from a session's
reflection prompt, shared with the trainer, read and commented on; writing kept through a
sign-out; no serious accessibility problem on the list, editor and entry pages.

The demo user ``trainee`` is Frankie at HMP Example; ``trainer`` is Terry Trainer and
``officer`` Owen Officer, both local trainers there.
"""

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_accessibility import assert_no_blocking_violations

SESSION = "/curriculum/principles-of-care/"  # its reflection prompt suggests Gibbs' cycle
PROMPT_QUESTIONS = [
    "What happened?",
    "How did you feel?",
    "What was good and what was bad?",
    "What did you learn?",
    "What will you do as a buddy because of it?",
]
GIBBS = {
    "Description": "I helped **Mr B** walk to the library.",
    "Feelings": "I felt proud, and a bit nervous.",
    "Evaluation": "It went well. He got there.",
    "Analysis": "I let him set the pace.",
    "Conclusion": "I could have asked him first.",
    "Action plan": "Next time I will ask before I help.",
}
SAVED = re.compile(r"Saved at \d\d:\d\d")
SIGNED_OUT = (
    "You have been signed out. Your writing is kept on this computer. "
    "Sign in again and it will be saved."
)


def sign_in_on_this_page(page, username: str):
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def write_about_the_prompt(trainee):
    """From the session page's reflection prompt to the journal editor it fills in."""
    trainee.goto(SESSION)
    reflection = trainee.locator(".app-box--reflection")
    assert reflection.locator("li").all_inner_texts() == PROMPT_QUESTIONS
    prompt = reflection.locator("p.govuk-body-l").inner_text()
    with trainee.expect_navigation():
        trainee.get_by_role("link", name="Write about this").click()
    assert prompt in trainee.locator(".app-editor__prompt").inner_text()
    assert trainee.locator("#id_session option:checked").inner_text() == "Principles of Care"


@pytest.mark.browser
def test_an_entry_from_a_prompt_is_written_under_the_prompts_own_questions(log_in):
    trainee = log_in("trainee")
    write_about_the_prompt(trainee)
    assert trainee.is_checked("input[name=framework][value=questions]")
    boxes = trainee.locator(".app-editor__section > label").all_inner_texts()
    assert boxes == PROMPT_QUESTIONS
    assert_no_blocking_violations(trainee)

    trainee.fill("#id_title", "Respect on the wing")
    for number, question in enumerate(PROMPT_QUESTIONS, 1):
        trainee.get_by_label(question, exact=True).fill(f"Answer {number}.")
    trainee.get_by_role("button", name="Save and see the entry").click()
    # The editor's draft save moves the address to the entry's edit page (replaceState), which
    # Playwright counts as a navigation: wait for the entry page itself.
    trainee.wait_for_url(re.compile(r"/journal/\d+/$"))
    assert re.search(r"/journal/\d+/$", trainee.url)
    for number, question in enumerate(PROMPT_QUESTIONS, 1):
        trainee.get_by_role("heading", name=question, exact=True).wait_for()
        trainee.get_by_text(f"Answer {number}.", exact=True).wait_for()


@pytest.mark.browser
def test_a_gibbs_entry_from_a_prompt_is_shared_read_and_commented_on(log_in):
    trainee = log_in("trainee")
    write_about_the_prompt(trainee)
    with trainee.expect_navigation():
        trainee.get_by_label("Gibbs' reflective cycle").check()  # a framework is still a choice
    assert trainee.is_checked("input[name=framework][value=gibbs]")
    assert_no_blocking_violations(trainee)

    trainee.fill("#id_title", "Helping Mr B to the library")
    for heading, text in GIBBS.items():
        trainee.get_by_label(heading, exact=True).fill(text)
    trainee.locator(".markdownx-preview strong", has_text="Mr B").wait_for()
    trainee.get_by_role("button", name="Save and see the entry").click()
    # The editor's draft save moves the address to the entry's edit page (replaceState), which
    # Playwright counts as a navigation: wait for the entry page itself.
    trainee.wait_for_url(re.compile(r"/journal/\d+/$"))
    entry_url = trainee.url
    assert re.search(r"/journal/\d+/$", entry_url)
    for heading in GIBBS:
        trainee.get_by_role("heading", name=heading, exact=True).wait_for()
    assert trainee.locator(".app-prose strong", has_text="Mr B").count() == 1

    trainee.get_by_label("Terry Trainer").check()
    with trainee.expect_navigation():
        trainee.get_by_role("button", name="Share", exact=True).click()
    trainee.get_by_role("button", name="Stop sharing with Terry Trainer").wait_for()
    assert_no_blocking_violations(trainee)

    trainer = log_in("trainer")
    trainer.goto("/journal/")
    shared = trainer.locator("h2:has-text('Shared with me') + ul")
    shared.get_by_role("link", name="Helping Mr B to the library").wait_for()
    with trainer.expect_navigation():
        shared.get_by_role("link", name="Helping Mr B to the library").click()
    assert trainer.url == entry_url
    trainer.get_by_text("Next time I will ask before I help.").wait_for()
    trainer.get_by_label("Add a comment").fill("Well done. **Asking first** is the key.")
    with trainer.expect_navigation():
        trainer.get_by_role("button", name="Send comment").click()
    assert_no_blocking_violations(trainer)

    trainee.goto(entry_url)
    comment = trainee.locator(".app-comment")
    comment.get_by_text("Terry Trainer").wait_for()
    assert comment.locator("strong", has_text="Asking first").count() == 1

    trainee.goto("/journal/")
    trainee.get_by_text("Shared with 1 person").first.wait_for()
    assert_no_blocking_violations(trainee)

    # Nobody else: a second peer support worker, a trainer of another prison, and a trainer of
    # the same prison it was not shared with.
    for username in ("dee", "northfield", "officer"):
        other = log_in(username)
        assert other.goto(entry_url).status == 404, username
        assert other.goto(entry_url + "edit/").status == 404, username


@pytest.mark.browser
def test_writing_is_kept_and_saved_when_the_login_ends(log_in):
    page = log_in("trainee")
    page.goto("/journal/new/?framework=gibbs")
    page.fill("#id_title", "Kept through a sign-out")
    page.get_by_label("Description", exact=True).fill("Written before the login ended.")
    status = page.locator("#entry-status")
    status.get_by_text(SAVED).wait_for()
    edit_url = page.url
    assert re.search(r"/journal/\d+/edit/$", edit_url)

    page.context.clear_cookies()
    page.get_by_label("Feelings", exact=True).fill("Written after the login ended.")
    status.get_by_text(SIGNED_OUT).wait_for()

    with page.expect_navigation():
        status.get_by_role("link", name="Sign in again").click()
    sign_in_on_this_page(page, "trainee")
    assert page.url == edit_url
    status.get_by_text(re.compile(r"put back and saved at \d\d:\d\d")).wait_for()
    page.get_by_text("Your writing that was not saved has been put back").wait_for()

    page.evaluate("localStorage.clear()")
    page.reload()
    assert page.get_by_label("Description", exact=True).input_value() == (
        "Written before the login ended."
    )
    assert page.get_by_label("Feelings", exact=True).input_value() == (
        "Written after the login ended."
    )
