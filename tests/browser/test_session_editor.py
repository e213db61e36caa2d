"""The session editor at 1024x768: the minimap, the review button, accessibility."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe, run_axe
from tests.browser.test_editor_preview import open_editor

SCREEN = {"width": 1024, "height": 768}
# axe findings that are Wagtail's own markup, not ours to fix (listed in the README):
# (rule, the element's CSS selector as axe reports it).
WAGTAILS_OWN = {("scrollable-region-focusable", ".w-minimap__list")}


@pytest.fixture
def editor(log_in):
    page = log_in("facilitator", viewport=SCREEN)
    open_editor(page)
    return page


def ours(violations) -> list[dict]:
    """The blocking violations, less the nodes that are Wagtail's own."""
    found = []
    for violation in violations:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        nodes = [
            node
            for node in violation["nodes"]
            if (violation["id"], " ".join(node["target"])) not in WAGTAILS_OWN
        ]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


@pytest.mark.browser
def test_session_edit_page_has_no_serious_accessibility_problems_of_ours(editor):
    editor.get_by_role("button", name="Collapse all").click()  # then open every block
    editor.get_by_role("button", name="Expand all").click()
    blocking = ours(run_axe(editor)["violations"])
    assert not blocking, f"axe on the session editor:\n{describe(blocking)}"


@pytest.mark.browser
def test_minimap_says_what_each_block_is_and_its_first_words(editor):
    editor.locator(".w-minimap__toggle").click()
    labels = editor.locator(".w-minimap-item__label").all_inner_texts()
    kinds = [label.split(":")[0] for label in labels if ":" in label]
    for kind in ("Section", "Activity", "Case study", "Discussion", "Knowledge check"):
        assert kind in kinds, labels
    assert "Section: Why communica…*" in labels
    assert not [label for label in labels if label.startswith("Slides, Workbook")]


@pytest.mark.browser
def test_submit_for_review_is_the_button_on_show(editor):
    footer = editor.get_by_role("navigation", name="Actions (footer)")
    submit = footer.get_by_role("button", name="Submit to Curriculum review")
    expect(submit).to_be_visible()
    expect(footer.get_by_role("button", name="Save draft")).to_be_hidden()
    footer.get_by_role("button", name="More actions").click()
    expect(footer.get_by_role("button", name="Save draft")).to_be_visible()
