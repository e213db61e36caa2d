"""Forms to photocopy: every form and questionnaire alone on a page, without book furniture,
with its document code and edition, in standard and large print."""

import re

import pytest

from tests.printing.conftest import EDITION_TEXT

pytestmark = pytest.mark.django_db  # so that the test database is set up: see conftest.py

CODE = re.compile(r"PST-[FQ]\d+ · " + re.escape(EDITION_TEXT))


def pages_with_text(book):
    return [page for page in book.pages if page.runs]


def codes(book) -> list[str]:
    found = []
    for page in pages_with_text(book):
        match = CODE.search(" ".join(run.text for run in page.runs))
        assert match, f"page {page.number} has no document code"
        found.append(match.group(0).split(" ")[0])
    return found


@pytest.mark.parametrize("kind", ["forms", "large_print_forms"])
def test_every_master_has_its_code_and_edition_and_no_footer(books, kind):
    book = books[kind]
    assert len(set(codes(book))) >= 6
    for page in book.pages:
        assert page.text("foot") == "", f"page {page.number} has a footer"
        assert page.text("head") in ("", *[f"{code} · {EDITION_TEXT}" for code in codes(book)])


def test_every_standard_master_is_one_page(books):
    book = books["forms"]
    titles = [page for level, _, page in book.outline() if level == 1]
    assert titles == list(range(1, len(book.pages) + 1))
    assert len(set(codes(book))) == len(book.pages)


def test_every_large_print_master_is_one_sheet_printed_on_both_sides(books):
    book = books["large_print_forms"]
    starts = [page for level, _, page in book.outline() if level == 1]
    assert all(page % 2 == 1 for page in starts), starts
    ends = [*starts[1:], len(book.pages) + 1]
    assert all(end - start <= 2 for start, end in zip(starts, ends, strict=True))


def test_there_is_one_session_feedback_form(books):
    titles = [title for _, title, _ in books["forms"].outline()]
    assert [title for title in titles if "feedback" in title.lower()] == ["Session feedback"]
    trainer_titles = [title for _, title, _ in books["trainer_book"].outline()]
    assert [t for t in trainer_titles if "feedback" in t.lower()] == [
        "Questionnaire: Session feedback"
    ]


def test_large_print_forms_are_never_under_16pt(books):
    small = {
        (page.number, run.text.strip(), round(run.size, 1))
        for page in books["large_print_forms"].pages
        for run in page.runs
        if run.size < 15.9
    }
    assert small == set()


def test_standard_forms_label_their_answers_no_smaller_than_11pt(books):
    small = {
        (page.number, run.text.strip(), round(run.size, 1))
        for page in books["forms"].pages
        for run in page.runs
        if run.size < 10.9 and not CODE.search(run.text) and "PST-" not in run.text
    }
    assert small == set()
