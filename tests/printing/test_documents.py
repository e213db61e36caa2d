"""The registry of printed documents that the print page, background builds and CLI use."""

import pytest

from courses.models import ProgrammePage, SessionPage
from pdf.rendering import PrintingError
from printing import documents
from tests.factories import sessions_of
from trainer_resources.models import TrainerChapter
from workbook_content.models import WorkbookChapter


@pytest.fixture
def programme(db):
    return ProgrammePage.objects.live().get(slug="three-day-programme")


def test_the_kinds_of_document():
    assert documents.DOCUMENT_KINDS == {
        "workbook": "Peer Support Workbook",
        "large_print_workbook": "Peer Support Workbook (large print)",
        "trainer_book": "Trainer Resource Book",
        "workbook_booklet": "Peer Support Workbook (A5 booklet)",
        "trainer_book_booklet": "Trainer Resource Book (A5 booklet)",
        "forms": "Forms to photocopy",
        "large_print_forms": "Forms to photocopy (large print)",
        "handout": "Session handout",
    }


def test_titles_name_the_book_and_the_programme_or_session(programme):
    session = SessionPage.objects.get(slug="hand-hygiene")
    assert documents.document_title("workbook", programme) == (
        "Peer Support Workbook: Three-day programme"
    )
    assert documents.document_title("trainer_book", programme).startswith("Trainer Resource")
    assert documents.document_title("handout", programme, session) == "Handout: Hand Hygiene"


def test_a_books_sources_are_its_programme_sessions_and_live_chapters(programme):
    workbook = documents.document_sources("workbook", programme)
    assert workbook[0] == programme
    sessions = sessions_of(programme)
    first_chapter = 1 + len(sessions)
    assert workbook[1:first_chapter] == sessions
    assert workbook[first_chapter:] == WorkbookChapter.in_book_order()
    assert len(workbook[first_chapter:]) == 6  # with the back cover
    trainer = documents.document_sources("trainer_book", programme)
    assert trainer[first_chapter : first_chapter + 5] == TrainerChapter.in_book_order()
    questionnaires = documents.book_questionnaires()
    assert trainer[first_chapter + 5 :] == [s for q in questionnaires for s in [q, *q.items.all()]]
    assert documents.document_sources("large_print_workbook", programme) == workbook


def test_a_handouts_sources_are_its_session_and_programme(programme):
    session = SessionPage.objects.get(slug="hand-hygiene")
    assert documents.document_sources("handout", programme, session) == [session, programme]


def test_an_unpublished_chapter_is_left_out_of_the_book(programme):
    glossary = WorkbookChapter.objects.get(key="glossary")
    glossary.unpublish()
    sources = documents.document_sources("workbook", programme)
    assert glossary not in sources
    assert "glossary" not in documents.document_context("workbook", programme)["chapters"]


def test_a_draft_of_a_chapter_is_not_printed_until_it_is_published(programme):
    chapter = WorkbookChapter.objects.get(key="role")
    chapter.title = "A draft title"
    revision = chapter.save_revision()
    html = documents.document_html("workbook", programme)
    assert "A draft title" not in html
    revision.publish()
    assert "A draft title" in documents.document_html("workbook", programme)


@pytest.mark.parametrize(
    "kind, session, code",
    [("poster", None, "unknown_kind"), ("handout", None, "no_session")],
)
def test_a_document_that_makes_no_sense_is_refused(programme, kind, session, code):
    with pytest.raises(PrintingError) as error:
        documents.render_document(kind, programme, session)
    assert error.value.code == code


def test_every_template_file_exists_and_includes_the_stylesheets_and_fonts():
    names = {path.name for path in documents.TEMPLATE_FILES}
    assert all(path.is_file() for path in documents.TEMPLATE_FILES)
    assert {"workbook.html", "trainer_book.html", "handout.html", "print.css"} <= names
    assert {"large-print.css", "atkinson-hyperlegible-latin-400-normal.woff2"} <= names
    assert not names & {"session_preview.html", "chapter_preview.html"}


def test_the_footer_names_the_edition_or_says_it_has_none(programme):
    import datetime
    from types import SimpleNamespace

    edition = SimpleNamespace(number=2, date=datetime.date(2026, 1, 9))
    line = documents.edition_line("workbook", programme, None, edition)
    assert line == "Peer Support Workbook · Three-day programme · Edition 2, 9 January 2026"
    assert "Unnumbered copy printed" in documents.edition_line("workbook", programme, None, None)


def test_trainer_only_fields_never_reach_the_workbook_context(programme):
    context = documents.document_context("workbook", programme)
    for item in context["sessions"]:
        for part in item.parts:
            assert not {"guidance", "guide", "minutes"} & set(part.value)
            for option in part.value.get("options", []):
                assert set(option) == {"text"}
            assert part.block_type != "trainer_note"
