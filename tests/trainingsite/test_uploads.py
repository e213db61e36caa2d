"""Uploads: only pictures are served from the media folder; documents from a short list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    return tmp_path


def test_a_picture_is_served_with_its_type_and_nosniff(client_for, media):
    (media / "images" / "hands.png").write_bytes(PNG)
    response = client_for("trainee").get("/media/images/hands.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["page.html", "script.js", "drawing.svg", "notes.txt"])
def test_no_html_script_or_svg_is_served_from_the_media_folder(client_for, media, name):
    (media / "images" / name).write_text("<script>alert(1)</script>")
    assert client_for("trainee").get(f"/media/images/{name}").status_code == 404


def test_documents_are_not_served_straight_from_the_media_folder(client_for, media):
    (media / "documents").mkdir()
    (media / "documents" / "plan.pdf").write_bytes(b"%PDF-1.4")
    assert client_for("facilitator").get("/media/documents/plan.pdf").status_code == 404


@pytest.mark.parametrize(
    ("name", "allowed"), [("plan.pdf", True), ("page.html", False), ("run.exe", False)]
)
def test_documents_are_accepted_from_a_short_list_of_types(db, media, name, allowed):
    form_class = get_document_form(get_document_model())
    upload = SimpleUploadedFile(name, b"%PDF-1.4 content")
    root = Collection.get_first_root_node()
    form = form_class({"title": "A document", "collection": root.pk}, {"file": upload})
    assert form.is_valid() is allowed


def test_svg_pictures_are_refused(db, media):
    form_class = get_image_form(get_image_model())
    svg = SimpleUploadedFile(
        "drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    )
    form = form_class({"title": "A drawing"}, {"file": svg})
    assert not form.is_valid()
