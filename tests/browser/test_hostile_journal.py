"""Hostile writing in real Chromium: the whole corpus of tests/journals/hostile_inputs.py saved as
journal entries (sections, titles and prompts) and as a supervisor's comments, then read.

No script runs (no dialog opens, ``window.__pwned`` stays unset), no page asks for anything
outside the test server (the ``new_context`` fixture fails the test otherwise, and on any
Content Security Policy refusal or script error), the reader sees the words that were typed,
and the exported PDF carries them as text.

Uses the demo data: the user ``trainee`` (Frankie, HMP Example) writes; the user ``trainer``
(staff there) supervises.
"""

import re
import unicodedata
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.journals.hostile_inputs import HOSTILE, PDF_SAMPLES

pytestmark = pytest.mark.browser

GIBBS = ("description", "feelings", "evaluation", "analysis", "conclusion", "action_plan")
WRITTEN_ON = "2026-11-20"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
NEVER_IN_WRITING = "img, svg, math, script, style, iframe, frame, object, embed, form, input, \
button, textarea, select, base, meta, link, video, audio, picture, source, template, details"
WRITING = ".app-prose"
SECTIONS = ".app-entry .app-prose"
COMMENTS = ".app-comments .app-prose"
PREVIEWS = ".markdownx-preview"

# What a page shows of the writers' text: what is inside it that should never be there.
INSPECT = """selector => {
  const writing = [...document.querySelectorAll(selector)];
  const inside = writing.flatMap(w => [...w.querySelectorAll('*')]);
  const attributes = inside.flatMap(e => [...e.attributes].map(a => `${e.tagName}[${a.name}]`));
  return {
    pwned: typeof window.__pwned !== 'undefined',
    handlers: [...document.querySelectorAll('*')].flatMap(
        e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName)),
    forbidden: inside.filter(e => e.matches(NEVER)).map(e => e.tagName),
    attributes: attributes.filter(a => !/^A\\[(href|title|rel)\\]$/.test(a)),
    hrefs: inside.filter(e => e.tagName === 'A' && e.hasAttribute('href')).map(e => e.href)
        .filter(href => !/^(https?|mailto):/.test(href)),
    bases: [...document.querySelectorAll('base, meta[http-equiv]')].length,
  };
}""".replace("NEVER", repr(NEVER_IN_WRITING))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def squeeze(text: str) -> str:
    """The text without spaces, line breaks and invisible format characters (zero-width space,
    right-to-left override): where a PDF line breaks is up to the layout."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def first_line(text: str) -> str:
    return text.strip().splitlines()[0][:150]


def title_for(number: int, group) -> str:
    return f"Hostile {number}: {first_line(group[0].text)}"


def prompt_for(group) -> str:
    return group[-1].text.strip()[:300]


def csrf_token(page) -> str:
    return page.locator("input[name=csrfmiddlewaretoken]").first.input_value()


def watch_dialogs(page) -> list[str]:
    """Record every dialog a page opens (an alert would be a script that ran) and close it."""
    opened = []

    def close(dialog):
        if dialog.type != "beforeunload":
            opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", close)
    return opened


def save_entries(page, groups) -> list[int]:
    """Save one Gibbs entry per group of inputs (one input per section), as the author."""
    page.goto("/journal/new/")
    token = csrf_token(page)
    ids = []
    for number, group in enumerate(groups, start=1):
        form = {
            "csrfmiddlewaretoken": token,
            "title": title_for(number, group),
            "written_on": WRITTEN_ON,
            "framework": "gibbs",
            "sections_framework": "gibbs",
            "session": "",
            "prompt": prompt_for(group),
        }
        form.update({f"section-{key}": item.text for key, item in zip(GIBBS, group, strict=False)})
        response = page.request.post("/journal/new/", form=form, max_redirects=0)
        found = re.fullmatch(r"/journal/(\d+)/", response.headers.get("location", ""))
        assert found, f"Saving entry {number} failed: {response.status}"
        ids.append(int(found.group(1)))
    return ids


def share_all(page, ids: list[int], supervisor: str):
    page.goto(f"/journal/{ids[0]}/")
    boxes = page.eval_on_selector_all(
        "input[name=supervisor]",
        "boxes => Object.fromEntries(boxes.map(b => [b.labels[0].innerText.trim(), b.value]))",
    )
    assert supervisor in boxes, f"{supervisor} is not offered: {boxes}"
    supervisor_id = boxes[supervisor]
    token = csrf_token(page)
    for pk in ids:
        response = page.request.post(
            f"/journal/{pk}/share/",
            form={"csrfmiddlewaretoken": token, "supervisor": supervisor_id},
        )
        assert response.ok, f"Sharing entry {pk} failed: {response.status}"


def comment_all(page, ids: list[int], groups):
    page.goto(f"/journal/{ids[0]}/")
    token = csrf_token(page)
    for pk, group in zip(ids, groups, strict=True):
        for item in group:
            response = page.request.post(
                f"/journal/{pk}/comments/",
                form={"csrfmiddlewaretoken": token, "text": item.text},
                max_redirects=0,
            )
            saved = response.headers.get("location") == f"/journal/{pk}/#comments"
            assert saved, f"Commenting {item.id} on entry {pk} failed: {response.status}"


def assert_harmless(page, where: str, selector: str = WRITING):
    found = page.evaluate(INSPECT, selector)
    assert not found["pwned"], f"A script ran on {where}"
    assert not found["handlers"], f"Event handlers on {where}: {found['handlers']}"
    assert not found["forbidden"], f"Forbidden elements on {where}: {found['forbidden']}"
    assert not found["attributes"], f"Unexpected attributes on {where}: {found['attributes']}"
    assert not found["hrefs"], f"Links that are not http, https or mailto on {where}"
    assert not found["bases"], f"A <base> or <meta http-equiv> got into {where}"


def assert_shows(texts: list[str], group, where: str):
    assert len(texts) == len(group), f"{where}: {len(texts)} blocks of writing for {len(group)}"
    for text, item in zip(texts, group, strict=True):
        for words in item.shows:
            assert fold(words) in fold(text), f"{where} does not show {item.id}: {words!r}"


def read_entries(page, ids, groups, *, author: bool):
    who = "the author" if author else "the supervisor"
    for number, (pk, group) in enumerate(zip(ids, groups, strict=True), start=1):
        where = f"entry {pk} read by {who}"
        page.goto(f"/journal/{pk}/")
        assert_harmless(page, where)
        assert fold(page.locator("h1").inner_text()) == fold(title_for(number, group))
        if author:
            assert fold(prompt_for(group)) in fold(page.locator(".govuk-inset-text").inner_text())
            assert_shows(page.locator(SECTIONS).all_inner_texts(), group, f"{where}, sections")
        assert_shows(page.locator(COMMENTS).all_inner_texts(), group, f"{where}, comments")


def preview_entries(page, ids, groups):
    """The editor with the hostile text in its boxes; the live preview renders each box."""
    for pk, group in zip(ids, groups, strict=True):
        where = f"the editor of entry {pk}"
        page.goto(f"/journal/{pk}/edit/")
        page.wait_for_function(
            "n => [...document.querySelectorAll('.markdownx-preview')]"
            ".filter(p => p.innerHTML.trim()).length === n",
            arg=len(group),
        )
        assert_harmless(page, where, PREVIEWS)
        previews = page.locator(PREVIEWS).all_inner_texts()
        assert not "".join(previews[len(group) :]).strip()  # boxes left empty
        assert_shows(previews[: len(group)], group, f"{where}, previews")


def printed_as_text(words: str, printed: str) -> bool:
    """``printed`` is squeezed. Text behind a right-to-left override is drawn in reverse, with
    its brackets mirrored: there, its letters and digits must be printed, in reverse."""
    if BIDI.search(words):
        return letters(words)[::-1] in letters(printed)
    return squeeze(words) in printed


def letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def pdf_text(pdf: bytes) -> str:
    """pypdf reads some of the fonts' text with a NUL after each character."""
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return text.replace("\x00", "")


def test_hostile_writing_never_runs_never_fetches_and_prints_as_text(log_in):
    groups = chunks(HOSTILE, len(GIBBS))
    assert sum(len(group) for group in groups) >= 100

    writer = log_in("trainee")
    writer_dialogs = watch_dialogs(writer)
    ids = save_entries(writer, groups)
    share_all(writer, ids, "Terry Trainer")  # the demo user `trainer`

    supervisor = log_in("trainer")
    supervisor_dialogs = watch_dialogs(supervisor)
    comment_all(supervisor, ids, groups)
    read_entries(supervisor, ids, groups, author=False)
    supervisor.goto("/journal/")
    assert_harmless(supervisor, "the supervisor's journal list")

    read_entries(writer, ids, groups, author=True)
    writer.goto("/journal/")
    assert_harmless(writer, "the journal list")
    listed = fold(writer.locator("main").inner_text())
    for number, group in enumerate(groups, start=1):
        assert fold(title_for(number, group)) in listed
    preview_entries(writer, ids, groups)

    assert not writer_dialogs + supervisor_dialogs, "Script ran: dialogs opened"

    response = writer.request.get("/journal/export.pdf")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    printed = squeeze(pdf_text(response.body()))
    for sample in PDF_SAMPLES:
        assert squeeze(sample) in printed, f"The PDF does not print {sample!r} as text"
    missing = [
        item.id for item in HOSTILE for words in item.shows if not printed_as_text(words, printed)
    ]
    assert not missing, f"The PDF does not print these inputs as text: {missing}"
