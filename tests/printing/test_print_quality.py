"""What a print room and a screen reader check in the built books: an outside PDF/UA-1
checker, typographic quotes, the drawings with their alternative text."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from pdf.rendering import PRINT_BASE_URL, render_pdf
from tests.printing.pdf_reading import FOOT_LIMIT, HEAD_LIMIT, MM, Book

pytestmark = pytest.mark.django_db  # so that the test database is set up: see conftest.py

PDFUA = Path(sys.executable).parent / "pdfua"
DOCUMENTS = ["workbook", "large_print_workbook", "trainer_book", "handout"]
STRAIGHT = ["'", '"', "--"]


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_pdfua_checker_finds_no_error_and_no_warning(books, kind, tmp_path):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(books[kind].pdf)
    result = subprocess.run(  # noqa: S603
        [str(PDFUA), "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(result.stdout)
    findings = [f"{f['rule_id']} {f['location']}: {f['message']}" for f in report["findings"]]
    assert (report["summary"]["errors"], report["summary"]["warnings"]) == (0, 0), findings


@pytest.mark.parametrize("kind", ["workbook", "large_print_workbook", "handout"])
def test_no_straight_quote_or_double_hyphen_in_the_text(books, kind):
    text = books[kind].body_text()
    assert "’" in text and "“" in text
    found = [
        text[max(0, i - 40) : i + 40]
        for mark in STRAIGHT
        for i in range(len(text))
        if text.startswith(mark, i)
    ]
    assert found == []


def figures(pdf: bytes) -> list[str]:
    """The alternative text of every figure in the PDF's structure tree."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            kids = [kids] if isinstance(kids, pikepdf.Dictionary) else kids
            stack += [k for k in kids or [] if isinstance(k, pikepdf.Dictionary)]
            if element.get("/S") == pikepdf.Name.Figure:
                found.append(str(element.get("/Alt", "")))
    return found


@pytest.mark.parametrize("kind", ["workbook", "handout"])
def test_the_stress_signs_activity_prints_the_outline_of_a_person(books, kind):
    assert any("outline of a person" in alt for alt in figures(books[kind].pdf))
    text = books[kind].body_text()
    assert "Spotting my stress signs" in text


BOOKS = ["workbook", "large_print_workbook", "trainer_book"]


@pytest.mark.parametrize("kind", BOOKS)
def test_parts_open_on_right_hand_pages(books, kind):
    parts = [(t, p) for level, t, p in books[kind].outline() if t.startswith("Part ")]
    assert len(parts) == 3
    assert [(t, p) for t, p in parts if p % 2 == 0] == []


@pytest.mark.parametrize("kind", BOOKS)
def test_no_page_ends_with_a_heading(books, kind):
    book = books[kind]
    sizes = sorted(run.size for page in book.pages for run in page.runs)
    body = sizes[len(sizes) // 2]
    ending_in_a_heading = []
    for page in book.pages[1:]:
        runs = [r for r in page.runs if r.text.strip() and HEAD_LIMIT < r.top < FOOT_LIMIT]
        if not runs:
            continue
        last = max(runs, key=lambda r: r.top)
        in_the_last_lines = last.top > FOOT_LIMIT - 45 * MM
        if last.size > body * 1.15 and in_the_last_lines:
            ending_in_a_heading.append(f"page {page.number}: {last.text.strip()}")
    assert ending_in_a_heading == []


@pytest.mark.parametrize("kind", ["workbook", "large_print_workbook"])
def test_the_back_cover_says_where_to_get_help_on_the_last_left_hand_page(books, kind):
    book = books[kind]
    assert len(book.pages) % 2 == 0
    back = book.pages[-1].text()
    assert back.startswith("Where to get help")
    for who in ("supervisor", "Listeners", "chaplaincy", "Healthcare", "Samaritans"):
        assert who in back


def test_a_box_that_splits_says_so_at_the_top_of_the_next_page_and_no_further():
    lines = "".join(f"<p>Line {n} of a long story in a box.</p>" for n in range(90))
    filler = "<p>Text after the box, on its own pages.</p>" * 70
    html = (
        '<html lang="en-GB"><head><link rel="stylesheet" href="/static/printing/print.css">'
        '</head><body data-edition="Edition 1"><div class="box box--case-study">'
        '<h3 class="box__title">Case study: a long one</h3>'
        f'<div class="prose">{lines}</div></div>{filler}</body></html>'
    )
    book = Book(render_pdf(html, base_url=PRINT_BASE_URL, title="Boxes", author="Test"))
    assert len(book.pages) >= 4
    for page in book.pages:
        inside_the_box = page.number > 1 and page.text().startswith("Line ")
        label = "Continued from the page before" in page.text("head")
        assert label == inside_the_box, f"page {page.number}: {page.text('head')!r}"


def test_the_large_print_boxes_that_split_say_they_continue(books):
    labelled = [
        page.number
        for page in books["large_print_workbook"].pages
        if "Continued" in page.text("head")
    ]
    assert labelled


@pytest.mark.parametrize("kind", BOOKS)
def test_no_session_or_chapter_opens_with_continued(books, kind):
    book = books[kind]
    openings = [page for level, _, page in book.outline() if level <= 2]
    wrong = [p for p in openings if "Continued" in book.pages[p - 1].text("head")]
    assert wrong == []


# Large print lets its big boxes split rather than leave half a page empty (large-print.css).
LARGE_PRINT_SPLITS = {"box--activity", "box--case-study", "box--discussion", "box--reflection"}


@pytest.mark.parametrize("kind", [*BOOKS, "handout"])
def test_no_box_or_prompt_splits_unless_it_must_and_then_it_says_continued(books, kind):
    """A box, prompt, question, space to write in or figure that fits on a page is never split;
    one that splits (taller than a page, or a big box in large print) says it is continued at
    the top of every page it goes on to."""
    book = books[kind]
    wrong = []
    for split in book.splits:
        may_split = split.taller_than_a_page or (
            kind == "large_print_workbook" and split.classes & LARGE_PRINT_SPLITS
        )
        if not may_split:
            wrong.append(f"{split}: split though it fits on a page")
            continue
        for number in split.pages[1:]:
            # "Continued" in large print, where the whole sentence has no room at 16pt
            if "Continued" not in book.pages[number - 1].text("head"):
                wrong.append(f"{split}: page {number} does not say it is continued")
    assert wrong == []


@pytest.mark.parametrize("kind", ["workbook", "trainer_book"])
def test_lists_print_as_lists_not_as_dashes_in_a_paragraph(books, kind):
    """Source text writes a list as "- " lines; printed, each is a bullet, never a dash run on
    after the line before ("Points to draw out: – The man needs...")."""
    text = books[kind].body_text()
    found = re.findall(r".{30}[:;.] [-–] \w.{20}", text)
    assert found == []
