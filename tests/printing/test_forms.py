"""Forms to photocopy: every form and questionnaire alone on a page, without book furniture,
with its document code and edition, in standard and large print."""

import re

import pytest

from tests.printing.conftest import EDITION_TEXT

pytestmark = pytest.mark.django_db  # so that the test database is set up: see conftest.py

CODE = re.compile(r"PST-[FQ]\d+ · " + re.escape(EDITION_TEXT))


@pytest.mark.parametrize("kind", ["forms", "large_print_forms"])
def test_every_master_is_one_page_with_its_code_and_no_page_number(books, kind):
    book = books[kind]
    titles = [(title, page) for level, title, page in book.outline() if level == 1]
    assert [page for _, page in titles] == list(range(1, len(book.pages) + 1))
    assert len(titles) >= 6
    for page in book.pages:
        whole = " ".join(run.text for run in page.runs)
        assert CODE.search(whole), f"page {page.number} has no document code"
        assert page.text("foot") == "", f"page {page.number} has a footer"
    codes = [CODE.search(" ".join(r.text for r in p.runs)).group(0)[:6] for p in book.pages]
    assert len(set(codes)) == len(codes)


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
