"""Built editions: cached by content fingerprint, rebuilt after a publish, kept when a build
fails. Every build here is a real one (WeasyPrint) run at once by the test task backend."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from printing import builds, documents, fingerprints, services
from printing.models import Edition
from tests.factories import make_programme, make_session, section
from tests.helpers import fold


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def small_programme():
    session = make_session(blocks=1)
    return make_programme([session], days=1), session


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    content = b"".join(response.streaming_content)  # the test client closes it at the end
    return response, content


def pdf_text(content: bytes) -> str:
    return fold(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def edition_number(response) -> int:
    return int(re.search(r"edition-(\d+)\.pdf", response["Content-Disposition"])[1])


def publish_new_text(session, text: str, capture_callbacks):
    new = section(99)
    new["value"]["text"] = f"<p>{text}</p>"
    session.body = [*session.body.raw_data, new]
    with capture_callbacks(execute=True):
        session.save_revision().publish()


def workbook_url(programme) -> str:
    return f"/print/{programme.slug}/workbook/download/"


def test_publishing_a_session_gives_the_next_download_its_text_and_a_new_edition(
    client_for, django_capture_on_commit_callbacks
):
    programme, session = small_programme()
    services.request_build("workbook", programme)
    client = client_for("education")
    response, before = download(client, workbook_url(programme))
    assert edition_number(response) == 1
    assert "Kindness is a skill you practise" not in pdf_text(before)

    publish_new_text(
        session, "Kindness is a skill you practise.", django_capture_on_commit_callbacks
    )

    response, after = download(client, workbook_url(programme))
    assert edition_number(response) == 2
    assert "Kindness is a skill you practise." in pdf_text(after)
    assert services.edition_state("workbook", programme).state == services.UP_TO_DATE


def test_an_unchanged_programme_downloads_the_cached_edition(
    client_for, django_capture_on_commit_callbacks, monkeypatch
):
    changed, changed_session = small_programme()
    unchanged, _ = small_programme()
    services.request_build("workbook", changed)
    cached = services.request_build("workbook", unchanged)
    file_path = cached.file.path
    with open(file_path, "rb") as file:
        cached_bytes = file.read()

    publish_new_text(
        changed_session, "Only this programme changes.", django_capture_on_commit_callbacks
    )

    builds = []
    real_render = documents.render_document
    monkeypatch.setattr(
        documents, "render_document", lambda *a, **k: builds.append(a) or real_render(*a, **k)
    )
    assert services.request_build("workbook", unchanged) == cached
    response, content = download(client_for("education"), workbook_url(unchanged))
    assert builds == []
    assert Edition.objects.filter(programme=unchanged).get() == cached
    assert edition_number(response) == cached.number == 1
    assert content == cached_bytes
    assert Edition.objects.filter(programme=changed, status="ready").count() == 2


def test_asking_twice_for_the_same_content_builds_once():
    programme, _ = small_programme()
    building, created = services.prepare_edition("workbook", programme)
    assert created
    assert services.request_build("workbook", programme) == building  # already building
    builds.build_edition(building.pk)
    assert services.request_build("workbook", programme) == building  # up to date
    assert Edition.objects.filter(programme=programme).count() == 1


def test_each_document_numbers_its_own_editions():
    programme, session = small_programme()
    for kind in ("workbook", "trainer_book"):
        first, _ = services.prepare_edition(kind, programme)
        builds.build_edition(first.pk)
    Edition.objects.filter(programme=programme).update(fingerprint="older content")
    second, created = services.prepare_edition("workbook", programme)
    handout, _ = services.prepare_edition("handout", programme, session)
    assert created
    assert second.number == 2
    assert handout.number == 1
    assert services.prepare_edition("trainer_book", programme)[0].number == 2


def test_a_failed_build_keeps_the_previous_edition_and_says_why(
    client_for, media_root, monkeypatch
):
    programme, session = small_programme()
    first = services.request_build("workbook", programme)
    assert first.status == "ready"

    def broken(*args, **kwargs):
        raise documents.PrintingError("resource", "No such static or media file: 'cover.png'")

    monkeypatch.setattr(documents, "render_document", broken)
    Edition.objects.filter(pk=first.pk).update(fingerprint="older content")
    failed = services.request_build("workbook", programme)

    assert failed.status == "failed"
    assert failed.number == 2
    assert "No such static or media file: 'cover.png'" in failed.error
    assert not failed.file
    assert services.current_edition("workbook", programme) == first
    response, _ = download(client_for("education"), workbook_url(programme))
    assert edition_number(response) == 1
    assert sorted(p.name for p in (media_root / "editions").iterdir()) == [
        first.file.name.split("/")[-1]
    ]
    state = services.edition_state("workbook", programme)
    assert (state.state, state.current) == (services.FAILED, first)
    assert "cover.png" in state.reason


def test_a_build_that_fails_while_saving_leaves_no_half_written_file(media_root, monkeypatch):
    programme, _ = small_programme()

    def disk_full(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(builds.os, "replace", disk_full)
    edition = services.request_build("workbook", programme)
    assert edition.status == "failed"
    assert "No space left on device" in edition.error
    assert list((media_root / "editions").iterdir()) == []
    assert services.current_edition("workbook", programme) is None


def test_a_build_that_stalled_is_shown_failed_and_built_again():
    programme, _ = small_programme()
    stalled, _ = services.prepare_edition("workbook", programme)
    Edition.objects.filter(pk=stalled.pk).update(
        started_at=timezone.now() - services.BUILD_TIMEOUT - timedelta(minutes=1)
    )
    state = services.edition_state("workbook", programme)
    assert state.state == services.FAILED
    assert "never finished" in state.reason

    rebuilt = services.request_build("workbook", programme)
    assert (rebuilt.number, rebuilt.status) == (2, "ready")
    stalled.refresh_from_db()
    assert stalled.status == "failed"


def test_a_build_no_worker_picked_up_is_shown_failed_after_a_while():
    programme, _ = small_programme()
    waiting, _ = services.prepare_edition("workbook", programme)
    assert services.edition_state("workbook", programme).progress == services.WAITING
    Edition.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - services.BUILD_TIMEOUT - timedelta(minutes=1)
    )
    state = services.edition_state("workbook", programme)
    assert state.state == services.FAILED
    assert "may not be running" in state.reason


def test_the_fingerprint_follows_published_content_and_templates(monkeypatch, tmp_path):
    programme, session = small_programme()
    before = services.fingerprint("workbook", programme)
    assert services.fingerprint("workbook", programme) == before

    session.save_revision()  # a draft changes nothing printed
    assert services.fingerprint("workbook", programme) == before

    session.save_revision().publish()
    published = services.fingerprint("workbook", programme)
    assert published != before

    template = tmp_path / "cover.html"
    template.write_text("<h1>one</h1>")
    monkeypatch.setattr(documents, "TEMPLATE_FILES", [*documents.TEMPLATE_FILES, template])
    with_template = services.fingerprint("workbook", programme)
    template.write_text("<h1>two</h1>")
    assert services.fingerprint("workbook", programme) not in (published, with_template)


def test_the_print_page_templates_are_not_part_of_the_fingerprint(monkeypatch, tmp_path):
    print_page = tmp_path / "print_page.html"
    print_page.write_text("<h1>Print the books</h1>")
    monkeypatch.setattr(documents, "TEMPLATE_FILES", [*documents.TEMPLATE_FILES, print_page])
    before = fingerprints.template_files_digest()
    print_page.write_text("<h1>Print the books, now with more</h1>")
    assert fingerprints.template_files_digest() == before


def test_a_handout_belongs_to_a_session_of_its_programme():
    programme, session = small_programme()
    other = make_session()
    with pytest.raises(services.PrintingError) as error:
        services.request_build("handout", programme, other)
    assert error.value.code == "session_not_in_programme"
    with pytest.raises(services.PrintingError) as error:
        services.request_build("handout", programme)
    assert error.value.code == "session_needed"
    with pytest.raises(services.PrintingError) as error:
        services.request_build("poster", programme)
    assert error.value.code == "unknown_document"


def test_a_download_is_an_audited_attachment_that_is_never_cached(client_for):
    programme, session = small_programme()
    edition = services.request_build("handout", programme, session)
    response, content = download(
        client_for("education"), f"/print/{programme.slug}/handout/{session.slug}/download/"
    )
    assert content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{programme.slug}-handout-{session.slug}-edition-1.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="download")
    assert event.username == "education"
    assert event.what == f"{edition.title}, edition 1"
    assert edition.title == f"Session handout: {programme.title}, {session.title}"


def test_edition_files_are_never_served_from_the_media_folder(client_for):
    programme, _ = small_programme()
    edition = services.request_build("workbook", programme)
    client = client_for("education")
    assert client.get(f"/media/{edition.file.name}").status_code == 404
    assert client.get(f"/media/images/../{edition.file.name}").status_code == 404


def test_publishing_a_workbook_chapter_rebuilds_the_workbook_but_not_the_trainer_book(
    django_capture_on_commit_callbacks,
):
    from workbook_content.models import WorkbookChapter

    programme, _ = small_programme()
    workbook = services.request_build("workbook", programme)
    trainer_book = services.request_build("trainer_book", programme)
    chapter = WorkbookChapter.objects.get(key="glossary")
    with django_capture_on_commit_callbacks(execute=True):
        chapter.save_revision().publish()

    new_workbook = services.current_edition("workbook", programme)
    assert (new_workbook.number, workbook.number) == (2, 1)
    assert services.current_edition("trainer_book", programme) == trainer_book


def test_a_build_whose_worker_went_silent_is_built_again_and_given_up_after_three_tries():
    programme, _ = small_programme()
    lost, _ = services.prepare_edition("workbook", programme)
    silent = timezone.now() - services.build_lease() - timedelta(seconds=1)
    Edition.objects.filter(pk=lost.pk).update(started_at=silent, heartbeat_at=silent, attempts=1)
    state = services.edition_state("workbook", programme)
    assert (state.state, state.progress) == (services.BUILDING, services.RESTARTING)

    rebuilt = services.request_build("workbook", programme)
    assert (rebuilt.pk, rebuilt.status, rebuilt.attempts) == (lost.pk, "ready", 2)

    programme.title = "Changed"
    programme.save_revision().publish()
    again, _ = services.prepare_edition("workbook", programme)
    Edition.objects.filter(pk=again.pk).update(started_at=silent, heartbeat_at=silent, attempts=3)
    assert builds.recover_abandoned_builds() == []
    again.refresh_from_db()
    assert again.status == "failed"
    assert "stopped 3 times" in again.error
    assert services.current_edition("workbook", programme) == rebuilt
