"""The one PDF pipeline: WeasyPrint may fetch only the site's own static and media files."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from pdf.rendering import (
    PRINT_BASE_URL,
    PrintingError,
    PrintURLFetcher,
    RefusedURL,
    html_for,
    render_pdf,
)

STYLESHEET = PRINT_BASE_URL + "static/printing/print.css"


def fetch(url: str):
    return PrintURLFetcher().fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/static_build/fonts/atkinson-hyperlegible-latin-400-normal.woff2",
        "http://print.invalid/static/printing/print.css",
        "https://example.com/static/printing/print.css",
        "https://print.invalid.example.com/static/printing/print.css",
        "https://print.invalid:8443/static/printing/print.css",
        "ftp://print.invalid/static/printing/print.css",
        "https://print.invalid/admin/",
        "https://print.invalid/static/../../../etc/passwd",
        "https://print.invalid/media/../trainingsite/settings/base.py",
    ],
)
def test_the_fetcher_refuses_anything_but_the_sites_own_files(url):
    with pytest.raises(RefusedURL):
        fetch(url)


def test_the_fetcher_serves_static_files_fonts_and_data_urls():
    assert b"@page" in fetch(STYLESHEET).read()
    font = fetch(PRINT_BASE_URL + "static/fonts/atkinson-hyperlegible-latin-400-normal.woff2")
    assert font.read(4) == b"wOF2"
    assert fetch("data:text/plain,hello").read() == b"hello"


def test_the_fetcher_serves_media_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "pic.png").write_bytes(b"\x89PNG picture")
    response = fetch(PRINT_BASE_URL + "media/images/pic.png")
    assert response.read() == b"\x89PNG picture"
    assert response.content_type == "image/png"


def test_a_missing_static_file_is_an_error_not_a_refusal():
    with pytest.raises(FileNotFoundError):
        fetch(PRINT_BASE_URL + "static/printing/no-such-file.css")


@pytest.mark.parametrize(
    "src", ["file:///etc/hostname", "https://example.com/logo.png", "/static/no-such.png"]
)
def test_a_document_asking_for_a_refused_or_missing_file_is_not_built(src):
    html = f'<html><body><p>Text</p><img src="{src}" alt=""></body></html>'
    with pytest.raises(PrintingError) as error:
        render_pdf(html, base_url=PRINT_BASE_URL, title="T", author="A")
    assert error.value.code == "resource"


def test_render_pdf_sets_title_author_subject_language_and_tags():
    html = f'<html><head><link rel="stylesheet" href="{STYLESHEET}"></head><body><h1>Hi</h1>'
    pdf = render_pdf(
        html,
        base_url=PRINT_BASE_URL,
        title="A title",
        author="An author",
        subject="A subject",
        language="cy-GB",
    )
    reader = PdfReader(BytesIO(pdf))
    assert (reader.metadata.title, reader.metadata.author) == ("A title", "An author")
    assert reader.metadata.subject == "A subject"
    assert reader.trailer["/Root"]["/Lang"] == "cy-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_print_templates_render_without_a_request():
    html = html_for("printing/includes/lines.html", {"lines": range(3)})
    assert html.count('class="line"') == 3


@pytest.mark.django_db
def test_an_uploaded_image_prints_from_the_media_folder_with_its_caption(settings, tmp_path):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from printing.documents import render_document
    from tests.factories import make_session

    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Hand rub", file=get_test_image_file())
    session = make_session(blocks=1)
    session.body.append(
        (
            "image",
            {
                "image": image,
                "alt_text": "Hands rubbing gel",
                "caption": "Rub until your hands are dry.",
                "appears_in": ["workbook", "trainer"],
            },
        )
    )
    session.save_revision().publish()
    reader = PdfReader(BytesIO(render_document("handout", None, session)))
    page = reader.pages[0]
    assert "Rub until your hands are dry." in page.extract_text()
    images = [x for x in page["/Resources"]["/XObject"].values() if x["/Subtype"] == "/Image"]
    assert images
