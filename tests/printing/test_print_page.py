"""The print page: who may open it, what it says about each document, "Build now"."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from printing import services
from printing.models import Edition
from tests.factories import make_programme, make_session
from tests.helpers import page_text

FAKE_PDF = b"%PDF-1.7\n% a stand-in file: these tests are about access, not the PDF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme_and_session(db):
    session = make_session(blocks=1)
    return make_programme([session], days=1), session


def ready_edition(kind, programme, session=None, number=1, fingerprint=None) -> Edition:
    """An up-to-date edition with a small stand-in file, made without building a PDF."""
    edition = Edition.objects.create(
        programme=programme,
        kind=kind,
        session=session,
        number=number,
        fingerprint=fingerprint or services.fingerprint(kind, programme, session),
        status="ready",
        size=len(FAKE_PDF),
        started_at=timezone.now() - timedelta(seconds=10),
        built_at=timezone.now(),
    )
    edition.file.save(f"{edition.pk}-{edition.download_name}", ContentFile(FAKE_PDF), save=True)
    return edition


# --- Who may do what --------------------------------------------------------------------------

ALLOWED = {"facilitator", "reviewer", "education"}
DENIED = {"trainer", "trainee", "evaluator"}


def printing_urls(programme, session, edition) -> dict[str, tuple[str, dict | None]]:
    """Every printing URL: (path, POST data or None for a GET)."""
    build = {"programme": programme.pk, "kind": "workbook"}
    return {
        "print page": ("/print/", None),
        "states": (f"/print/states/?programme={programme.pk}", None),
        "build now": ("/print/build/", build),
        "current workbook": (f"/print/{programme.slug}/workbook/download/", None),
        "current handout": (f"/print/{programme.slug}/handout/{session.slug}/download/", None),
        "one edition": (f"/print/editions/{edition.pk}/download/", None),
    }


URL_NAMES = [
    "print page",
    "states",
    "build now",
    "current workbook",
    "current handout",
    "one edition",
]
EXPECTED_FOR_ALLOWED = {"build now": 302}


@pytest.mark.parametrize("role", sorted(ALLOWED | DENIED))
@pytest.mark.parametrize("name", URL_NAMES)
def test_each_role_gets_the_expected_answer_from_each_printing_url(
    client_for, programme_and_session, role, name
):
    programme, session = programme_and_session
    edition = ready_edition("workbook", programme)
    ready_edition("handout", programme, session)
    path, data = printing_urls(programme, session, edition)[name]
    client = client_for(role)
    response = client.post(path, data) if data is not None else client.get(path)
    if role in DENIED:
        assert response.status_code == 403
    else:
        assert response.status_code == EXPECTED_FOR_ALLOWED.get(name, 200)
    if response.streaming:
        assert b"".join(response.streaming_content) == FAKE_PDF
    assert Edition.objects.count() == 2  # nothing was built, by anyone


@pytest.mark.parametrize("name", URL_NAMES)
def test_every_printing_url_needs_a_login(client, programme_and_session, name):
    programme, session = programme_and_session
    edition = ready_edition("workbook", programme)
    path, data = printing_urls(programme, session, edition)[name]
    response = client.post(path, data) if data is not None else client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_build_now_needs_the_csrf_token(users, programme_and_session):
    programme, _ = programme_and_session
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["education"])
    response = client.post("/print/build/", {"programme": programme.pk, "kind": "workbook"})
    assert response.status_code == 403
    assert not Edition.objects.exists()


def test_build_now_is_a_post(client_for, programme_and_session):
    programme, _ = programme_and_session
    response = client_for("education").get(f"/print/build/?programme={programme.pk}&kind=workbook")
    assert response.status_code == 405


@pytest.mark.parametrize("role", sorted(ALLOWED | DENIED))
def test_the_print_link_is_in_the_navigation_of_those_who_may_print(client_for, role):
    html = client_for(role).get("/").content.decode()
    assert ('href="/print/"' in html) == (role in ALLOWED)


# --- What the page says -----------------------------------------------------------------------


def row_text(response, row_id: str) -> str:
    from bs4 import BeautifulSoup

    from tests.helpers import fold

    row = BeautifulSoup(response.content, "html.parser").find(id=row_id)
    assert row is not None, f"no row {row_id}"
    return fold(row.get_text(" "))


def test_the_page_shows_each_document_with_its_state(client_for, programme_and_session):
    programme, session = programme_and_session
    ready_edition("workbook", programme)  # up to date
    ready_edition("trainer_book", programme, fingerprint="older content")  # stale
    ready_edition("large_print_workbook", programme)
    Edition.objects.create(
        programme=programme,
        kind="large_print_workbook",
        number=2,
        fingerprint="newer content",
        status="failed",
        error="The PDF could not be made: No such static or media file: 'cover.png'",
    )
    Edition.objects.create(
        programme=programme,
        kind="handout",
        session=session,
        number=1,
        fingerprint="handout content",
        progress=services.RENDERING,
        started_at=timezone.now(),
    )

    response = client_for("education").get("/print/")
    assert response.status_code == 200
    prefix = f"document-{programme.pk}-"

    workbook = row_text(response, prefix + "workbook")
    assert "Peer Support Workbook" in workbook
    assert "Up to date" in workbook
    assert "Download Peer Support Workbook, edition 1" in workbook
    assert "Build now" not in workbook

    trainer_book = row_text(response, prefix + "trainer_book")
    assert "Out of date" in trainer_book
    assert "Build now" in trainer_book
    assert "Download" in trainer_book

    large_print = row_text(response, prefix + "large_print_workbook")
    assert "Failed" in large_print
    assert "No such static or media file: 'cover.png'" in large_print
    assert "Edition 1 can still be downloaded" in large_print
    assert "Build now" in large_print

    handout = row_text(response, f"{prefix}handout-{session.pk}")
    assert session.title in handout
    assert "Building" in handout
    assert "Making the PDF" in handout
    assert "Build now" not in handout


def test_a_document_never_built_offers_build_now(client_for, programme_and_session):
    programme, _ = programme_and_session
    response = client_for("facilitator").get("/print/")
    workbook = row_text(response, f"document-{programme.pk}-workbook")
    assert "Not built yet" in workbook
    assert "None yet" in workbook
    assert "Build now" in workbook


def test_past_editions_stay_listed_with_their_number_and_date(client_for, programme_and_session):
    programme, _ = programme_and_session
    old = ready_edition("workbook", programme, number=1, fingerprint="older content")
    Edition.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    ready_edition("workbook", programme, number=2)
    response = client_for("education").get("/print/")
    text = page_text(response)
    old.refresh_from_db()
    old_date = timezone.localtime(old.created_at).strftime("%-d %B %Y")
    assert f"Peer Support Workbook 1 {old_date}" in text
    assert "Download edition 1 of the Peer Support Workbook" in text
    assert "Download edition 2 of the Peer Support Workbook" in text
    old_response = client_for("education").get(f"/print/editions/{old.pk}/download/")
    assert old_response["Content-Disposition"].endswith('-workbook-edition-1.pdf"')
    assert b"".join(old_response.streaming_content) == FAKE_PDF


def test_the_page_has_tables_with_captions_and_loads_no_inline_script(
    client_for, programme_and_session
):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client_for("education").get("/print/").content, "html.parser")
    tables = soup.find_all("table")
    assert tables
    assert all(table.caption and table.caption.get_text(strip=True) for table in tables)
    assert all(script.get("src") for script in soup.find_all("script"))


def test_build_now_builds_in_the_background_and_says_so(client_for, programme_and_session):
    programme, _ = programme_and_session
    client = client_for("education")
    response = client.post(
        "/print/build/", {"programme": programme.pk, "kind": "workbook"}, follow=True
    )
    edition = Edition.objects.get(programme=programme)
    assert response.redirect_chain[-1][0] == f"/print/#document-{programme.pk}-workbook"
    # The test settings run background tasks at once, so the build is done here.
    assert (edition.number, edition.status, edition.requested_by.username) == (
        1,
        "ready",
        "education",
    )
    assert f"{edition.title}: edition 1 is ready." in page_text(response)


def test_build_now_refuses_a_document_that_does_not_exist(client_for, programme_and_session):
    programme, _ = programme_and_session
    response = client_for("education").post(
        "/print/build/", {"programme": programme.pk, "kind": "poster"}, follow=True
    )
    assert "There is no document called “poster”" in page_text(response)
    assert not Edition.objects.exists()


def test_the_states_view_renders_only_the_programmes_asked_for(client_for, programme_and_session):
    programme, _ = programme_and_session
    other = make_programme([make_session()], days=1)
    response = client_for("education").get(f"/print/states/?programme={programme.pk}")
    html = response.content.decode()
    assert f'id="programme-{programme.pk}"' in html
    assert f'id="programme-{other.pk}"' not in html
    assert "<html" not in html
