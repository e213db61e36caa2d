"""Hostile CMS content in print: the handout of a session whose fields hold the hostile corpus
(tests/courses/hostile_session.py) is built by the real PDF pipeline and carries what was
typed into plain fields as text; raw HTML stored in rich text is reduced to the editor's
elements before WeasyPrint sees it, so nothing is fetched and nothing is drawn but text."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluation.models import Questionnaire
from printing.documents import document_html, render_document
from tests.browser.test_hostile_journal import pdf_text, squeeze
from tests.courses.hostile_session import TITLE, plant
from tests.journals.hostile_inputs import PDF_SAMPLES
from tests.journals.test_sanitising import Elements


@pytest.fixture
def session(db):
    return plant()


def test_the_handout_prints_hostile_fields_as_text(session):
    pdf = render_document("handout", None, session)
    printed = squeeze(pdf_text(pdf))
    assert squeeze(TITLE) in printed
    assert squeeze("<script>window.__pwned = 1</script>") in printed
    reader = PdfReader(BytesIO(pdf))
    images = [name for page in reader.pages for name in page.images]
    assert images == []


def test_the_print_html_holds_no_element_the_editor_cannot_write(session):
    html = document_html("handout", None, session)
    body = Elements(html[html.index("<body") :])
    forbidden = {"script", "img", "iframe", "svg", "object", "embed", "style", "form", "base"}
    assert not {tag for tag, _ in body.tags} & forbidden
    assert not [(tag, name) for tag, attrs in body.tags for name in attrs if name.startswith("on")]
    assert "<script>window.__pwned = 1</script>" in body.visible_text()


def test_a_questionnaires_paper_form_prints_hostile_items_as_text(client_for):
    questionnaire = Questionnaire.objects.get(slug="attitudes-to-care")
    questionnaire.title = "<svg onload=alert(1)> Attitudes"
    questionnaire.save()
    items = list(questionnaire.items.all())
    for item, sample in zip(items, PDF_SAMPLES, strict=False):
        item.text = sample
        item.save()
    response = client_for("trainer").get(
        reverse("evaluation:paper_form", args=[questionnaire.slug])
    )
    assert response["Content-Type"] == "application/pdf"
    printed = squeeze(pdf_text(response.content))
    for sample in (*PDF_SAMPLES, questionnaire.title):
        assert squeeze(sample) in printed, sample
