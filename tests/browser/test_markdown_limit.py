"""A journal box over the Markdown limit, in real Chromium: the count says how many characters
are too many, the preview and the save say what to do, and nothing typed is lost from the page
or from the copy kept in the browser."""

import re

import pytest

from journals.rendering import MARKDOWN_LIMIT

OVER = "I wrote a lot today. " * (MARKDOWN_LIMIT // 21) + "x" * 40
TOO_MANY = len(OVER) - MARKDOWN_LIMIT


@pytest.mark.browser
def test_writing_over_the_limit_is_refused_with_a_message_and_kept(log_in):
    page = log_in("trainee")
    page.goto("/journal/new/?framework=gibbs")
    page.fill("#id_title", "A very long day")
    box = page.get_by_label("Description", exact=True)
    box.fill(OVER)

    section = page.locator(".govuk-character-count", has=box)
    section.get_by_text(f"You have {TOO_MANY} characters too many").wait_for()
    section.locator(".app-preview__too-long", has_text="Make this part shorter").wait_for()
    assert section.locator(".markdownx-preview p:not(.app-preview__too-long)").count() == 0
    status = page.locator("#entry-status")
    status.get_by_text(re.compile(f"Not saved yet: .*Take out {TOO_MANY} characters")).wait_for()
    kept = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('journal-draft-'))"
        ".map(k => JSON.parse(localStorage.getItem(k)))"
    )
    assert [copy["data"]["section-description"] for copy in kept] == [OVER]

    with page.expect_navigation():
        page.get_by_role("button", name="Save and see the entry").click()
    page.locator(".govuk-error-summary", has_text=f"Take out {TOO_MANY} characters").wait_for()
    assert page.get_by_label("Description", exact=True).input_value() == OVER

    page.get_by_label("Description", exact=True).fill(OVER[:MARKDOWN_LIMIT])
    page.get_by_role("button", name="Save and see the entry").click()
    # The editor's draft save moves the address to the entry's edit page (replaceState), which
    # Playwright counts as a navigation: wait for the entry page itself.
    page.wait_for_url(re.compile(r"/journal/\d+/$"))
    page.get_by_role("heading", name="A very long day").wait_for()
