"""Editors preview a session as workbook and trainer book pages (HTML, the print stylesheet)."""

import pytest
from django.core.exceptions import PermissionDenied

from courses.models import SessionPage
from tests.helpers import page_text, trainer_only_sentences
from workbook_content.models import WorkbookChapter


def preview(page, mode, user, rf):
    request = rf.get("/")
    request.user = user
    return page.serve_preview(request, mode).render()


def test_workbook_page_preview_shows_unsaved_changes_and_no_trainer_text(rf, users):
    page = SessionPage.objects.live().get(slug="building-resilience")
    page.title = "A title not saved yet"
    response = preview(page, "workbook", users["facilitator"], rf)
    text = page_text(response)
    assert "A title not saved yet" in text
    assert "Peer Support Workbook pages of this session" in text
    assert "printing/print.css" in response.content.decode()
    assert 'class="line"' in response.content.decode()
    assert [s for s in trainer_only_sentences(page) if s in text] == []


def test_trainer_book_page_preview_carries_the_plan_and_every_trainer_sentence(rf, users):
    page = SessionPage.objects.live().get(slug="building-resilience")
    text = page_text(preview(page, "trainer_book", users["facilitator"], rf))
    assert "Session plan" in text and "Total 90 minutes: the whole session" in text
    assert [s for s in trainer_only_sentences(page) if s not in text] == []


def test_trainer_book_page_preview_needs_the_trainer_material_permission(rf, users):
    page = SessionPage.objects.live().get(slug="building-resilience")
    with pytest.raises(PermissionDenied):
        preview(page, "trainer_book", users["trainee"], rf)


def test_a_chapter_previews_as_its_book_page(rf, users):
    chapter = WorkbookChapter.objects.get(key="boundaries")
    request = rf.get("/")
    request.user = users["facilitator"]
    html = chapter.serve_preview(request, "").render().content.decode()
    assert "What a buddy does and does not do" in html
    assert "does__column--no" in html
