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
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from courses.models import ProgrammePage, SessionPage
from courses.outline import outline, session_ids

from . import fingerprints
from .errors import PrintingError
from .models import Edition, edition_file_name, edition_title

logger = logging.getLogger(__name__)

HANDOUT = "handout"
# A build that started this long ago and has not finished is taken to have died with its worker.
BUILD_TIMEOUT = timedelta(minutes=30)
WAITING = "Waiting for the background worker"
RENDERING = "Making the PDF"
SAVING = "Saving the file"
RESTARTING = "Waiting for another worker: the one building it stopped"


def documents_module():
    """``printing.documents``, imported when first needed (it loads WeasyPrint)."""
    from . import documents

    return documents


def document_kinds() -> dict[str, str]:
    return dict(documents_module().DOCUMENT_KINDS)


def default_books() -> list[str]:
    """What ``build_books`` makes when no document is named: the three books."""
    return list(documents_module().DEFAULT_BOOKS)


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


def fingerprint(kind: str, programme: ProgrammePage, session: SessionPage | None = None) -> str:
    """SHA-256 of everything an edition of this document is made from: which document it is,
    the published revisions of its pages and snippets, and its templates and stylesheets."""
    check_document(kind, programme, session)
    sources = [programme, *documents_module().document_sources(kind, programme, session)]
    revisions = fingerprints.published_revisions(sources)
    digest = hashlib.sha256()
    digest.update(f"{kind}|{programme.pk}|{session.pk if session else ''}\n".encode())
    for source in sources:
        digest.update(f"{fingerprints.source_version(source, revisions)}\n".encode())
    digest.update(f"templates {fingerprints.template_files_digest()}\n".encode())
    digest.update(f"weasyprint {fingerprints.weasyprint_version()}\n".encode())
    return digest.hexdigest()


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
        if lease_expired(edition):
            return RESTARTING
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


def build_lease() -> timedelta:
    return timedelta(seconds=settings.PRINT_BUILD_LEASE_SECONDS)


def lease_expired(edition: Edition, now: datetime | None = None) -> bool:
    """A started build whose worker has not said it is alive within the lease: it died."""
    if edition.status != Edition.Status.BUILDING or edition.started_at is None:
        return False
    now = now or timezone.now()
    return now - (edition.heartbeat_at or edition.started_at) > build_lease()


def is_stalled(edition: Edition, now: datetime | None = None) -> bool:
    """A build that no worker has moved on for ``BUILD_TIMEOUT``: none is running."""
    now = now or timezone.now()
    since = edition.heartbeat_at or edition.started_at or edition.created_at
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


@dataclass(frozen=True)
class Download:
    """What a download needs of a ready edition, read in one query without its pages."""

    path: Path
    file_name: str
    what: str


_DOWNLOAD_FIELDS = (
    "number",
    "kind",
    "file",
    "programme__title",
    "programme__slug",
    "session__title",
    "session__slug",
)


def _download(row: dict | None) -> Download | None:
    if row is None:
        return None
    title = edition_title(row["kind"], row["programme__title"], row["session__title"])
    return Download(
        path=Path(settings.MEDIA_ROOT) / row["file"],
        file_name=edition_file_name(
            row["kind"], row["programme__slug"], row["session__slug"], row["number"]
        ),
        what=f"{title}, edition {row['number']}",
    )


def _ready_editions():
    return Edition.objects.filter(status=Edition.Status.READY).exclude(file="")


def edition_download(pk: int) -> Download | None:
    """One ready edition, current or past, for a download."""
    return _download(_ready_editions().filter(pk=pk).values(*_DOWNLOAD_FIELDS).first())


def current_download(
    kind: str, programme_slug: str, session_slug: str | None = None
) -> Download | None:
    """What a download of a document's address serves, in one query: the newest ready edition
    of a live programme (and live session)."""
    editions = _ready_editions().filter(
        kind=kind, programme__slug=programme_slug, programme__live=True
    )
    if session_slug is None:
        editions = editions.filter(session__isnull=True)
    else:
        editions = editions.filter(session__slug=session_slug, session__live=True)
    return _download(editions.order_by("-number").values(*_DOWNLOAD_FIELDS).first())


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
                if current is not None and not file_present(current):
                    mark_failed(current, MISSING_FILE)
                    current = None
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
    from . import builds

    edition, created = prepare_edition(kind, programme, session, requested_by=requested_by)
    if created:
        builds.enqueue_build(edition)
    elif lease_expired(edition):
        builds.recover(edition)
    if edition.status == Edition.Status.BUILDING:
        edition.refresh_from_db()
    return edition


MISSING_FILE = "Its file was missing from the server (moved or deleted), so it was built again."


def file_present(edition: Edition) -> bool:
    return bool(edition.file) and Path(edition.file.path).is_file()


def editions_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "editions"


def mark_failed(edition: Edition, reason: str) -> None:
    edition.status = Edition.Status.FAILED
    edition.error = reason
    edition.progress = ""
    edition.built_at = timezone.now()
    edition.save(update_fields=["status", "error", "progress", "built_at"])


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
