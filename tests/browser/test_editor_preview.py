"""A facilitator previews an unsaved change in the session editor, in every preview mode."""

import re
import tomllib

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.helpers import sentences

SESSION_TITLE = "Communication in Care"
SESSION_URL = "/curriculum/communication-in-care/"
UNSAVED_TITLE = "Talking with care: not saved yet"
MODES = {
    # the preview mode's label: what only that rendering shows
    "Reading page": "text=What you will learn",
    "Trainer page": "text=For trainers",
    "Slides": ".reveal .slides section",
    "Workbook page": "text=Peer Support Workbook pages of this session",
    "Trainer book page": "text=Session plan",
}


def open_editor(page, title: str = SESSION_TITLE):
    """The session's edit page, reached as a facilitator would: the admin's page search."""
    page.goto("/admin/pages/search/?q=" + title.replace(" ", "+"))
    with page.expect_navigation():
        page.get_by_role("link", name=title, exact=True).first.click()
    expect(page.locator("#id_title")).to_have_value(title, timeout=20_000)


def open_preview(page):
    """Open the preview panel and wait for its first page (the reading page)."""
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.get_by_text("What you will learn")).to_be_visible(timeout=15_000)


def show_mode(page, label: str):
    """Choose a preview mode and wait until the panel's frame shows that mode.

    Wagtail's panel ignores a change of mode made while it is still loading an update (the
    update in flight wins), so a person would choose again: so does this.
    """
    frame = page.locator("#w-preview-iframe")
    for _attempt in range(5):
        mode = page.select_option("#id_preview_mode", label=label)[0]
        shown = re.compile(rf"[?&]mode={mode}(&|$)")
        try:
            expect(frame).to_have_attribute("src", shown, timeout=3_000)
            break
        except AssertionError:
            continue
    expect(frame).to_have_attribute("src", shown)
    page.frame_locator("#w-preview-iframe").locator("body").wait_for()


def seeded_trainer_only_sentences(slug: str) -> list[str]:
    """The sentences of the seeded session that only trainers may read, from its source file."""
    path = next((settings.CURRICULUM_DIR / "sessions").glob(f"*-{slug}.toml"))
    source = tomllib.loads(path.read_text())
    texts = [source.get("safeguarding", "")]
    for block in source["body"]:
        texts += [block.get(key, "") for key in ("guidance", "guide", "answer")]
        if block["type"] == "trainer_note":
            texts.append(block["text"])
    without_bullets = [re.sub(r"(?m)^\s*- ", "", text) for text in texts]
    return [sentence for text in without_bullets for sentence in sentences(text)]


def preview_text(page) -> str:
    frame = page.frame_locator("#w-preview-iframe")
    return frame.locator("body").inner_text()


@pytest.fixture
def editor(log_in):
    page = log_in("facilitator", viewport={"width": 1024, "height": 768})
    open_editor(page)
    return page


@pytest.mark.browser
def test_facilitator_sees_an_unsaved_change_in_every_preview_mode(editor):
    editor.fill("#id_title", UNSAVED_TITLE)
    open_preview(editor)
    seen = {}
    for label, marker in MODES.items():
        show_mode(editor, label)
        frame = editor.frame_locator("#w-preview-iframe")
        expect(frame.locator("body")).to_contain_text(UNSAVED_TITLE, timeout=15_000)
        expect(frame.locator(marker).first).to_be_attached()
        seen[label] = preview_text(editor)
    assert len(set(seen.values())) == len(MODES)


@pytest.mark.browser
def test_trainer_book_page_preview_has_every_trainer_sentence_and_the_workbook_none(editor):
    trainer_only = seeded_trainer_only_sentences("communication-in-care")
    assert trainer_only
    open_preview(editor)
    frame = editor.frame_locator("#w-preview-iframe")
    show_mode(editor, "Trainer book page")
    expect(frame.get_by_text("Session plan")).to_be_visible(timeout=15_000)
    text = " ".join(preview_text(editor).split())
    assert [s for s in trainer_only if s not in text] == []
    show_mode(editor, "Workbook page")
    expect(frame.get_by_text("Peer Support Workbook pages")).to_be_visible(timeout=15_000)
    text = " ".join(preview_text(editor).split())
    assert [s for s in trainer_only if s in text] == []


@pytest.mark.browser
def test_an_ordinary_page_still_refuses_to_be_framed(browser, live_server_url):
    """Framing is allowed for the editor's previews only: the same session outside the admin,
    put in a frame by a page of this very site, stays empty and Chromium reports the refusal.
    (Its own context: the refusal this test expects would fail ``new_context``'s check.)"""
    context = browser.new_context(base_url=live_server_url)
    try:
        page = context.new_page()
        refusals = []
        page.on("console", lambda message: refusals.append(message.text))
        page.goto("/accounts/login/")
        page.fill("#id_username", "facilitator")
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        response = page.goto(SESSION_URL)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        page.evaluate(
            """url => new Promise(resolve => {
                const frame = document.createElement('iframe');
                frame.name = 'attempt';
                frame.src = url;
                frame.onload = resolve;
                document.body.append(frame);
            })""",
            SESSION_URL,
        )
        assert "What you will learn" not in page.frame(name="attempt").content()
        assert any("frame-ancestors 'none'" in text for text in refusals), refusals
    finally:
        context.close()


@pytest.mark.browser
def test_a_workbook_chapter_previews_as_its_book_page(log_in):
    page = log_in("facilitator", viewport={"width": 1024, "height": 768})
    page.goto("/admin/snippets/workbook_content/workbookchapter/")
    page.get_by_role("link", name="What a buddy does and does not do").first.click()
    page.fill("#id_title", "Boundaries: a title not saved yet")
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.get_by_text("Boundaries: a title not saved yet")).to_be_visible(timeout=15_000)
    expect(frame.locator(".does__column--no")).to_be_visible()
