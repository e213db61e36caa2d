"""The Peer Support Workbook, its large-print edition, the Trainer Resource Book and a handout,
built for the three-day programme with real WeasyPrint and read back with pypdf."""

import re

import pytest

from pdf.rendering import typeset_plain
from printing.documents import REFLECTION_LAYOUTS
from printing.templatetags.printing_tags import reflection_write_in
from tests.helpers import trainer_only_sentences
from tests.printing.conftest import EDITION_TEXT

pytestmark = pytest.mark.django_db  # so that the test database is set up: see conftest.py

BOOKS = ["workbook", "large_print_workbook", "trainer_book"]
TRAINEE_DOCUMENTS = ["workbook", "large_print_workbook", "handout"]


@pytest.mark.parametrize("kind", BOOKS)
def test_every_session_has_a_bookmark_and_starts_on_an_odd_page(books, three_day, kind):
    book = books[kind]
    bookmarks = {title: page for level, title, page in book.outline() if level == 2}
    for session in three_day.sessions:
        assert session.title in bookmarks
        assert bookmarks[session.title] % 2 == 1, (
            f"{session.title} on page {bookmarks[session.title]}"
        )
        assert book.pages[bookmarks[session.title] - 1].text().find(session.title) >= 0


@pytest.mark.parametrize("kind", BOOKS)
def test_every_part_has_a_top_level_bookmark(books, kind):
    parts = [title for level, title, _ in books[kind].outline() if level == 1]
    assert [title[:6] for title in parts if title.startswith("Part ")] == [
        "Part 1",
        "Part 2",
        "Part 3",
    ]


@pytest.mark.parametrize("kind", BOOKS)
def test_contents_gives_the_pages_where_the_sessions_start(books, three_day, kind):
    book = books[kind]
    contents = book.contents()
    for session in three_day.sessions:
        assert contents[session.title] == book.page_of_bookmark(session.title)
    assert len(contents) >= len(three_day.sessions) + 6


@pytest.mark.parametrize("kind", TRAINEE_DOCUMENTS)
def test_no_trainer_only_text_reaches_a_trainee_document(books, three_day, kind):
    text = books[kind].body_text()
    sentences = [
        typeset_plain(s) for session in three_day.sessions for s in trainer_only_sentences(session)
    ]
    assert len(sentences) > 100
    assert [s for s in sentences if s in text] == []


def test_trainer_book_carries_every_trainer_only_sentence(books, three_day):
    text = books["trainer_book"].body_text().replace("–", "-")  # a spaced hyphen prints as a dash
    missing = [
        f"{session.title}: {sentence}"
        for session in three_day.sessions
        for sentence in map(typeset_plain, trainer_only_sentences(session))
        if sentence.replace("–", "-") not in text
    ]
    assert missing == []


def test_knowledge_check_feedback_is_in_the_trainer_book_only(books, three_day):
    answers = [
        typeset_plain(option["feedback"])
        for session in three_day.sessions
        for child in session.body
        if child.block_type == "knowledge_check"
        for option in child.value["options"]
    ]
    assert answers
    assert all(answer in books["trainer_book"].body_text() for answer in answers)
    assert not any(answer in books["workbook"].body_text() for answer in answers)


def test_session_plan_minutes_add_up_to_the_duration(books, three_day):
    book = books["trainer_book"]
    for session in three_day.sessions:
        start = book.page_of_bookmark(session.title)
        opening = " ".join(page.text() for page in book.pages[start - 1 : start + 1])
        total = re.search(r"Total (\d+) minutes: the whole session", opening)
        assert total, f"no plan total for {session.title}"
        assert int(total.group(1)) == session.plan_minutes() == session.duration


def test_each_session_in_the_trainer_book_has_its_plan_and_preparation(books, three_day):
    book = books["trainer_book"]
    for session in three_day.sessions:
        start = book.page_of_bookmark(session.title)
        opening = " ".join(page.text() for page in book.pages[start - 1 : start + 2])
        for heading in ("Session plan", "Learning outcomes", "Materials", "Room set-up"):
            assert heading in opening, f"{session.title}: no {heading}"
        assert "Safeguarding" in opening
        assert session.get_suggested_deliverer_display() in opening


@pytest.mark.parametrize("kind", [*BOOKS, "handout"])
def test_every_font_is_embedded(books, kind):
    fonts = {}
    for page in books[kind].reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts
    assert all("+Atkinson-Hyperlegible" in name for name in fonts), sorted(fonts)
    assert all({"/FontFile2", "/FontFile3"} & set(descriptor) for descriptor in fonts.values())


@pytest.mark.parametrize("kind", [*BOOKS, "handout"])
def test_pdf_is_tagged_with_language_title_and_author(books, three_day, kind):
    reader = books[kind].reader
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title.endswith(("Three-day programme", "Building Resilience"))
    assert reader.metadata.author == "Peer Support Training"


def test_large_print_text_is_never_under_16pt(books):
    sizes = [run.size for page in books["large_print_workbook"].pages for run in page.runs]
    assert len(sizes) > 1000
    assert min(sizes) >= 16 - 0.01


def test_the_standard_workbook_is_not_large_print(books):
    """The measurement above can fail: the standard edition has smaller text."""
    sizes = [run.size for page in books["workbook"].pages for run in page.runs]
    assert min(sizes) < 12


@pytest.mark.parametrize("kind", [*BOOKS, "handout"])
def test_every_page_after_the_cover_carries_the_edition_and_its_number(books, kind):
    book = books[kind]
    first = 0 if kind == "handout" else 1
    last = len(book.pages) - (1 if kind in ("workbook", "large_print_workbook") else 0)
    for page in book.pages[first:last]:  # the covers carry no page number
        footer = page.text("foot")
        assert EDITION_TEXT in footer, f"page {page.number}: {footer!r}"
        assert re.search(rf"(^|\s){page.number}(\s|$)", footer), f"page {page.number}: {footer!r}"


@pytest.mark.parametrize("kind", BOOKS)
def test_cover_shows_the_programme_and_the_edition(books, three_day, kind):
    cover = books[kind].pages[0].text()
    assert three_day.programme.title in cover
    assert "Edition 7 · 4 May 2026" in cover


def test_running_head_names_the_session(books, three_day):
    book = books["trainer_book"]
    for session in three_day.sessions:
        start = book.page_of_bookmark(session.title)
        assert book.pages[start - 1].text("head") == ""
        assert book.pages[start].text("head") == session.title


def test_workbook_gives_room_under_each_question_of_a_reflection_prompt(books):
    text = books["workbook"].body_text()
    questions = (
        "What happened? How did it make you feel? What did you learn today about listening? "
        "What one thing will you do differently when you talk with the people you help?"
    )
    assert f"{questions} Write under each question. {questions}" in text


def test_a_prompt_without_questions_gives_room_under_its_frameworks_headings():
    prompt = {"prompt": "Think about it.", "questions": [], "framework": "gibbs"}
    assert reflection_write_in(prompt) == REFLECTION_LAYOUTS["gibbs"]


def test_workbook_has_its_chapters_glossary_record_and_notes(books, three_day):
    book = books["workbook"]
    titles = [title for _, title, _ in book.outline()]
    for title in (
        "How to use this workbook",
        "About the peer support worker role",
        "What a buddy does and does not do",
        "Looking after yourself",
        "Glossary: words and what they mean",
        "Record of sessions attended",
        "Notes",
    ):
        assert title in titles
    record = book.pages[book.page_of_bookmark("Record of sessions attended") - 1].text()
    assert all(f"{n}. {s.title}" in record for n, s in enumerate(three_day.sessions, 1))


QUESTIONNAIRES = [
    "Questionnaire: Attitudes to care",
    "Questionnaire: Rosenberg Self-Esteem Scale",
    "Questionnaire: Session feedback",
    "Questionnaire: The help you get from a buddy",
]


def test_trainer_book_ends_with_supervision_guide_the_forms_and_the_questionnaires(books):
    titles = [title for _, title, _ in books["trainer_book"].outline()]
    expected = [
        "Supervision guide",
        "Attendance register",
        "Trainer sign-off record",
        *QUESTIONNAIRES,
    ]
    assert titles[-7:] == expected


def test_each_form_and_questionnaire_fits_on_one_page(books):
    book = books["trainer_book"]
    forms = ["Attendance register", "Trainer sign-off record"]
    starts = [book.page_of_bookmark(title) for title in forms + QUESTIONNAIRES]
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [1] * (len(starts) - 1)
    assert starts[-1] == len(book.pages)


def test_a_handout_is_no_longer_than_its_session_in_the_workbook(books, three_day):
    """The handouts of a programme once came to 81 pages against the workbook's 76 for the
    same sessions: each ended with its own notes section, which often took a page of its own.
    A handout is the session's workbook pages; the workbook keeps the notes pages."""
    outline = [(title, page) for level, title, page in books["workbook"].outline() if level == 2]
    starts = dict(outline)
    titles = [title for title, _ in outline]
    following = titles[titles.index("Building Resilience") + 1]
    in_the_workbook = starts[following] - starts["Building Resilience"]
    assert len(books["handout"].pages) <= in_the_workbook


def test_handout_is_the_workbook_pages_of_one_session(books):
    book = books["handout"]
    assert [title for _, title, _ in book.outline()] == ["Building Resilience"]
    assert book.pages[0].text().startswith("Handout · Three-day programme")
    assert "Session 6 · Day two" in book.pages[0].text()
