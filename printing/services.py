"""Printed editions: what a document's content fingerprint is, where its build stands, and
building it. The print page, the download views, ``manage.py build_books``, the background
tasks and the publish signals all go through these functions.

A document is a kind of ``printing.documents.DOCUMENT_KINDS`` for a programme, and for a
handout one session of it. Its editions are numbered in the order they were asked for. An
edition is built from the published content and the print templates; their fingerprint says
whether the current edition still matches them.
"""

import hashlib
import logging
import os
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from wagtail.models import Page

from courses.models import ProgrammePage, SessionPage
from courses.outline import outline, session_ids

from .errors import PrintingError
from .models import Edition

logger = logging.getLogger(__name__)

HANDOUT = "handout"
# A build that started this long ago and has not finished is taken to have died with its worker.
BUILD_TIMEOUT = timedelta(minutes=30)
WAITING = "Waiting for the background worker"
RENDERING = "Making the PDF"
SAVING = "Saving the file"


def _documents():
    """``printing.documents``, imported when first needed (it loads WeasyPrint)."""
    from . import documents

    return documents


def document_kinds() -> dict[str, str]:
    return dict(_documents().DOCUMENT_KINDS)


def book_kinds() -> list[str]:
    """Every kind but the handout: the documents made from a whole programme."""
    return [kind for kind in document_kinds() if kind != HANDOUT]


# --- Which documents exist --------------------------------------------------------------------


def programme_sessions(programme: ProgrammePage) -> list[SessionPage]:
    """The programme's live sessions in programme order, each once (the outline's)."""
    found = outline(programme).sessions
    return list({item.session.pk: item.session for item in found}.values())


def check_document(kind: str, programme: ProgrammePage, session: SessionPage | None = None):
    """Raise ``PrintingError`` unless (kind, programme, session) names a printable document."""
    kinds = document_kinds()
    if kind not in kinds:
        raise PrintingError(
            "unknown_document",
            f"There is no document called “{kind}”. Choose from: {', '.join(kinds)}.",
        )
    if kind == HANDOUT and session is None:
        raise PrintingError("session_needed", "A handout is made for one session: choose it.")
    if kind != HANDOUT and session is not None:
        raise PrintingError(
            "session_not_needed", f"The {kinds[kind].lower()} covers the whole programme."
        )
    if session is not None and session.pk not in session_ids(programme):
        raise PrintingError(
            "session_not_in_programme",
            f"“{session.title}” is not a session of “{programme.title}”.",
        )


# --- Fingerprints -----------------------------------------------------------------------------


def _revision_model(source):
    """The model whose table holds ``live_revision_id`` for a source, or None."""
    if isinstance(source, Page):
        return Page
    if getattr(source, "_meta", None) is not None and hasattr(source, "live_revision_id"):
        return type(source)
    return None


def published_revisions(sources) -> dict[tuple, int | None]:
    """The published revision of every page and draftable snippet among ``sources``, read
    from the database (an object in memory may be older), one query per model."""
    wanted: dict = defaultdict(set)
    for source in sources:
        model = _revision_model(source)
        if model is not None:
            wanted[model].add(source.pk)
    found = {}
    for model, ids in wanted.items():
        rows = model._base_manager.filter(pk__in=ids).values_list("pk", "live_revision_id")
        found.update({(model, pk): revision for pk, revision in rows})
    return found


def source_version(source, revisions: dict[tuple, int | None] | None = None) -> str:
    """What identifies the published state of one page or snippet that feeds a document.

    A page or draftable snippet is identified by its published revision; anything without
    revisions by a digest of its field values, so that any edit changes it.
    """
    meta = getattr(source, "_meta", None)
    if meta is None:
        return "value:" + hashlib.sha256(repr(source).encode()).hexdigest()
    label = f"{meta.label_lower}:{source.pk}"
    model = _revision_model(source)
    revision = getattr(source, "live_revision_id", None)
    if revisions is not None and model is not None:
        revision = revisions.get((model, source.pk), revision)
    if revision:
        return f"{label}:revision {revision}"
    values = "\n".join(
        f"{field.attname}={field.value_to_string(source)}" for field in meta.concrete_fields
    )
    return f"{label}:fields {hashlib.sha256(values.encode()).hexdigest()}"


def template_file_path(name) -> Path | None:
    """A file of ``TEMPLATE_FILES``: a path (absolute, or from the project folder), a
    template name or a static file name."""
    path = Path(name)
    if not path.is_absolute():
        path = Path(settings.BASE_DIR) / path
    if path.is_file():
        return path
    try:
        origin = get_template(str(name)).origin.name
    except TemplateDoesNotExist:
        origin = None
    if origin and Path(origin).is_file():
        return Path(origin)
    found = finders.find(str(name))
    return Path(found) if found else None


@lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# The print page's own templates and script sit next to the book templates; they change no PDF.
PRINT_PAGE_FILES = {
    "print_page.html",
    "print_documents.html",
    "print_document_head.html",
    "print_document_row.html",
    "print_page.js",
}


def template_files_digest() -> str:
    """One digest of the contents of every template and stylesheet the documents use."""
    digest = hashlib.sha256()
    for name in _documents().TEMPLATE_FILES:
        if Path(name).name in PRINT_PAGE_FILES:
            continue
        path = template_file_path(name)
        if path is None:
            digest.update(f"{name}: missing\n".encode())
            continue
        stat = path.stat()
        file_digest = _file_digest(str(path), stat.st_mtime_ns, stat.st_size)
        digest.update(f"{name}: {file_digest}\n".encode())
    return digest.hexdigest()


def fingerprint(kind: str, programme: ProgrammePage, session: SessionPage | None = None) -> str:
    """SHA-256 of everything an edition of this document is made from: which document it is,
    the published revisions of its pages and snippets, and its templates and stylesheets."""
    check_document(kind, programme, session)
    sources = [programme, *_documents().document_sources(kind, programme, session)]
    revisions = published_revisions(sources)
    digest = hashlib.sha256()
    digest.update(f"{kind}|{programme.pk}|{session.pk if session else ''}\n".encode())
    for source in sources:
        digest.update(f"{source_version(source, revisions)}\n".encode())
    digest.update(f"templates {template_files_digest()}\n".encode())
    digest.update(f"weasyprint {_weasyprint_version()}\n".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


# --- States -----------------------------------------------------------------------------------

UP_TO_DATE = "up_to_date"
BUILDING = "building"
STALE = "stale"
FAILED = "failed"
NEVER_BUILT = "never_built"

STATE_LABELS = {
    UP_TO_DATE: "Up to date",
    BUILDING: "Building",
    STALE: "Out of date",
    FAILED: "Failed",
    NEVER_BUILT: "Not built yet",
}


@dataclass(frozen=True)
class EditionState:
    """Where one document stands, for the print page."""

    state: str
    current: Edition | None  # the newest ready edition: what a download gets
    latest: Edition | None  # the newest edition of any status
    fingerprint: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def up_to_date(self) -> bool:
        return self.state == UP_TO_DATE

    @property
    def building(self) -> Edition | None:
        return self.latest if self.state == BUILDING else None

    @property
    def reason(self) -> str:
        """Why the last build failed, in plain words."""
        if self.state != FAILED or self.latest is None:
            return ""
        if self.latest.status == Edition.Status.BUILDING:
            return stalled_reason(self.latest)
        return self.latest.error or "The build stopped with no reason given."

    @property
    def progress(self) -> str:
        """What a build is doing, with a rough share done when an earlier build says how long
        this document takes."""
        edition = self.building
        if edition is None:
            return ""
        text = edition.progress or WAITING
        expected = build_duration(self.current)
        if edition.started_at and expected:
            elapsed = (timezone.now() - edition.started_at).total_seconds()
            share = min(95, int(100 * elapsed / max(expected, 1)))
            text += f", about {share}% done"
        return text


def stalled_reason(edition: Edition) -> str:
    minutes = int(BUILD_TIMEOUT.total_seconds() // 60)
    if edition.started_at is None:
        return (
            f"The build waited more than {minutes} minutes for the background worker, which "
            "may not be running (`make run` starts it). Build it again."
        )
    return (
        f"The build started more than {minutes} minutes ago and never finished: the background "
        "worker may have stopped. Build it again."
    )


def build_duration(edition: Edition | None) -> float | None:
    """Seconds an edition took to build, when it says."""
    if edition is None or not (edition.started_at and edition.built_at):
        return None
    return (edition.built_at - edition.started_at).total_seconds()


def is_stalled(edition: Edition, now: datetime | None = None) -> bool:
    """A build that has waited for a worker, or run, longer than ``BUILD_TIMEOUT``."""
    now = now or timezone.now()
    since = edition.started_at or edition.created_at
    return edition.status == Edition.Status.BUILDING and now - since > BUILD_TIMEOUT


def document_editions(kind: str, programme: ProgrammePage, session: SessionPage | None = None):
    return Edition.objects.filter(programme=programme, kind=kind, session=session).order_by(
        "-number"
    )


def current_edition(
    kind: str, programme: ProgrammePage, session: SessionPage | None = None
) -> Edition | None:
    """The newest ready edition of a document: what a download serves."""
    return (
        document_editions(kind, programme, session)
        .filter(status=Edition.Status.READY)
        .exclude(file="")
        .first()
    )


def edition_state(
    kind: str,
    programme: ProgrammePage,
    session: SessionPage | None = None,
    *,
    editions: list[Edition] | None = None,
) -> EditionState:
    """Up to date, building (with progress), stale, failed (with the reason) or never built.

    ``editions``, the document's editions newest first, saves a query when the caller has
    them already.
    """
    now_fingerprint = fingerprint(kind, programme, session)
    if editions is None:
        editions = list(document_editions(kind, programme, session))
    latest = editions[0] if editions else None
    current = next((e for e in editions if e.status == Edition.Status.READY and e.file), None)
    building = next((e for e in editions if e.status == Edition.Status.BUILDING), None)
    if building is not None and not is_stalled(building):
        state, latest = BUILDING, building
    elif latest is not None and latest.status != Edition.Status.READY:
        state = FAILED  # failed, or a build that stalled
    elif current is not None and current.fingerprint == now_fingerprint:
        state = UP_TO_DATE
    elif current is not None:
        state = STALE
    else:
        state = NEVER_BUILT
    return EditionState(state=state, current=current, latest=latest, fingerprint=now_fingerprint)


# --- Builds -----------------------------------------------------------------------------------


def prepare_edition(
    kind: str,
    programme: ProgrammePage,
    session: SessionPage | None = None,
    *,
    requested_by=None,
) -> tuple[Edition, bool]:
    """The edition that matches the published content: the current one when it is up to date,
    one already building from the same content, or else a new building edition (``True``).
    Nothing is built here."""
    now_fingerprint = fingerprint(kind, programme, session)
    for _ in range(3):
        try:
            with transaction.atomic():
                editions = document_editions(kind, programme, session)
                for stalled in [e for e in editions.filter(status="building") if is_stalled(e)]:
                    mark_failed(stalled, stalled_reason(stalled))
                current = editions.filter(status=Edition.Status.READY).exclude(file="").first()
                if current is not None and current.fingerprint == now_fingerprint:
                    return current, False
                building = editions.filter(
                    status=Edition.Status.BUILDING, fingerprint=now_fingerprint
                ).first()
                if building is not None:
                    return building, False
                number = (editions.aggregate(Max("number"))["number__max"] or 0) + 1
                edition = Edition.objects.create(
                    programme=programme,
                    kind=kind,
                    session=session,
                    number=number,
                    fingerprint=now_fingerprint,
                    progress=WAITING,
                    requested_by=requested_by,
                )
                return edition, True
        except IntegrityError:
            continue  # someone asked for the same edition at the same moment: look again
    raise PrintingError("busy", "Someone else is asking for this document now. Try again.")


def request_build(
    kind: str,
    programme: ProgrammePage,
    session: SessionPage | None = None,
    *,
    requested_by=None,
) -> Edition:
    """Ask the background worker for a new edition, unless the current one is up to date or one
    from the same content is already building. Returns the edition that will be downloaded."""
    from .tasks import build_edition_task

    edition, created = prepare_edition(kind, programme, session, requested_by=requested_by)
    if created:
        build_edition_task.enqueue(edition.pk)
        edition.refresh_from_db()
    return edition


def editions_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "editions"


def write_atomically(path: Path, data: bytes, mode: int = 0o640) -> None:
    """Write a file under a temporary name in the same folder, then rename it into place: the
    final name never holds a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def plain_reason(error: BaseException) -> str:
    """A failure as one plain sentence for the print page; the traceback goes to the log."""
    if isinstance(error, PrintingError):
        return error.message
    if hasattr(error, "code") and str(error).strip():  # the PDF pipeline's own, plain errors
        return f"The PDF could not be made: {str(error).strip()[:400]}"
    if isinstance(error, TemplateDoesNotExist):
        return f"A print template is missing: {error}."
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    detail = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return f"The PDF could not be made ({detail[:400]})."


def mark_failed(edition: Edition, reason: str) -> None:
    edition.status = Edition.Status.FAILED
    edition.error = reason
    edition.progress = ""
    edition.built_at = timezone.now()
    edition.save(update_fields=["status", "error", "progress", "built_at"])


def set_progress(edition: Edition, text: str) -> None:
    edition.progress = text
    Edition.objects.filter(pk=edition.pk).update(progress=text)


def build_edition(edition_id: int) -> Edition:
    """Make the PDF of a building edition and store it. A failure becomes the edition's status
    and plain reason; the previous edition stays the current one. Does nothing to an edition
    that another worker has started or that is not building."""
    started = timezone.now()
    claimed = Edition.objects.filter(
        pk=edition_id, status=Edition.Status.BUILDING, started_at__isnull=True
    ).update(started_at=started, progress=RENDERING)
    edition = Edition.objects.select_related("programme", "session").get(pk=edition_id)
    if not claimed:
        return edition
    path = None
    try:
        pdf = _documents().render_document(
            edition.kind, edition.programme, session=edition.session, edition=edition
        )
        if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
            raise PrintingError("not_a_pdf", "The PDF maker returned something that is not a PDF.")
        set_progress(edition, SAVING)
        name = f"editions/{edition.pk}-{edition.download_name}"
        path = Path(settings.MEDIA_ROOT) / name
        write_atomically(path, pdf)
        edition.file.name = name
        edition.size = len(pdf)
        edition.status = Edition.Status.READY
        edition.progress = ""
        edition.error = ""
        edition.built_at = timezone.now()
        edition.save(update_fields=["file", "size", "status", "progress", "error", "built_at"])
        logger.info("Built %s in %.1f s", edition, build_duration(edition))
    except Exception as error:
        logger.exception("Building %s failed", edition)
        if path is not None:
            path.unlink(missing_ok=True)
        edition.file.name = ""
        mark_failed(edition, plain_reason(error))
    return edition


def wait_for_build(edition: Edition, poll_seconds: float = 1.0) -> Edition:
    """Wait until an edition that another process is building is ready or failed."""
    while True:
        edition.refresh_from_db()
        if edition.status != Edition.Status.BUILDING:
            return edition
        if is_stalled(edition):
            mark_failed(edition, stalled_reason(edition))
            return edition
        time.sleep(poll_seconds)


# --- After publishing -------------------------------------------------------------------------


def built_documents(programmes) -> list[tuple[str, ProgrammePage, SessionPage | None]]:
    """Every document of these programmes that has had an edition, in print-page order."""
    found = []
    rows = (
        Edition.objects.filter(programme__in=programmes)
        .order_by()
        .values_list("programme_id", "kind", "session_id")
        .distinct()
    )
    keys = set(rows)
    sessions = SessionPage.objects.live().in_bulk({s for _, _, s in keys if s})
    for programme in programmes:
        for kind, session_id in sorted({(k, s) for p, k, s in keys if p == programme.pk}, key=str):
            session = sessions.get(session_id) if session_id else None
            if session_id and session is None:
                continue  # the session is no longer published
            found.append((kind, programme, session))
    return found


def refresh_editions(programme_ids: list[int] | None = None) -> list[Edition]:
    """Request a new edition of every document of these programmes (all when ``None``) that
    has been built before and no longer matches the published content."""
    programmes = ProgrammePage.objects.live().order_by("path")
    if programme_ids is not None:
        programmes = programmes.filter(pk__in=programme_ids)
    requested = []
    for kind, programme, session in built_documents(list(programmes)):
        try:
            state = edition_state(kind, programme, session)
        except PrintingError:
            continue  # the session has left the programme
        if state.state in (STALE, FAILED):
            requested.append(request_build(kind, programme, session))
    return requested
