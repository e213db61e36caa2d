"""Running a build: claiming an edition, rendering and storing its PDF, and the lease that
hands a build to another worker when the one building it dies.

A worker that claims an edition takes a lease: it writes ``heartbeat_at`` every quarter of
``PRINT_BUILD_LEASE_SECONDS`` while it builds. A build whose heartbeat is older than the lease
has lost its worker (killed, shut down, out of memory): ``recover_abandoned_builds``, which
every print worker runs every few seconds and ``request_build`` runs for the document asked
for, puts it back in the queue for the next worker. Each claim counts an attempt; the claim's
attempt number is its token, so a worker that was only slow cannot overwrite a newer claim.
"""

import logging
import os
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.utils import timezone

from . import services
from .errors import PrintingError
from .models import Edition

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


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


def _ours(edition_id: int, attempt: int):
    return Edition.objects.filter(pk=edition_id, status=Edition.Status.BUILDING, attempts=attempt)


def set_progress(edition: Edition, text: str, attempt: int) -> None:
    edition.progress = text
    _ours(edition.pk, attempt).update(progress=text, heartbeat_at=timezone.now())


@contextmanager
def heartbeat(edition_id: int, attempt: int):
    """Keep the lease of a claimed build while the block runs, from a thread of its own."""
    stop = threading.Event()
    interval = services.build_lease().total_seconds() / 4

    def beat():
        try:
            while not stop.wait(interval):
                try:
                    _ours(edition_id, attempt).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Could not renew the lease of edition %s", edition_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{edition_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def claim(edition_id: int) -> int | None:
    """Take a building edition no worker has started; its attempt number, or None."""
    now = timezone.now()
    claimed = Edition.objects.filter(
        pk=edition_id, status=Edition.Status.BUILDING, started_at__isnull=True
    ).update(
        started_at=now,
        heartbeat_at=now,
        progress=services.RENDERING,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return Edition.objects.values_list("attempts", flat=True).get(pk=edition_id)


def build_edition(edition_id: int) -> Edition:
    """Make the PDF of a building edition and store it. A failure becomes the edition's status
    and plain reason; the previous edition stays the current one. Does nothing to an edition
    that another worker has started or that is not building."""
    attempt = claim(edition_id)
    edition = Edition.objects.select_related("programme", "session").get(pk=edition_id)
    if attempt is None:
        return edition
    logger.info("Building %s (attempt %s)", edition, attempt)
    path = None
    try:
        with heartbeat(edition_id, attempt):
            pdf = services.documents_module().render_document(
                edition.kind, edition.programme, session=edition.session, edition=edition
            )
        if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
            raise PrintingError("not_a_pdf", "The PDF maker returned something that is not a PDF.")
        set_progress(edition, services.SAVING, attempt)
        name = f"editions/{edition.pk}-{edition.download_name}"
        path = Path(settings.MEDIA_ROOT) / name
        write_atomically(path, pdf)
        built_at = timezone.now()
        stored = _ours(edition_id, attempt).update(
            file=name,
            size=len(pdf),
            status=Edition.Status.READY,
            progress="",
            error="",
            built_at=built_at,
            task_id="",
        )
        if not stored:
            raise PrintingError("taken_over", "Another worker took this build over.")
        edition.refresh_from_db()
        logger.info("Built %s in %.1f s", edition, services.build_duration(edition))
    except Exception as error:
        if path is not None:
            path.unlink(missing_ok=True)
        edition.refresh_from_db()
        if edition.status != Edition.Status.BUILDING or edition.attempts != attempt:
            logger.warning("Dropped a build of %s another worker took over", edition)
            return edition
        logger.exception("Building %s failed", edition)
        edition.file.name = ""
        services.mark_failed(edition, plain_reason(error))
    return edition


def wait_for_build(edition: Edition, poll_seconds: float = 1.0) -> Edition:
    """Wait until an edition that another process is building is ready or failed, taking it
    over if its worker dies."""
    while True:
        edition.refresh_from_db()
        if edition.status != Edition.Status.BUILDING:
            return edition
        if services.is_stalled(edition):
            services.mark_failed(edition, services.stalled_reason(edition))
            return edition
        if services.lease_expired(edition) and recover(edition, enqueue=False):
            return build_edition(edition.pk)
        time.sleep(poll_seconds)


# --- Workers that die -------------------------------------------------------------------------


def enqueue_build(edition: Edition) -> None:
    """Put a building edition in the background worker's queue."""
    from .tasks import build_edition_task

    result = build_edition_task.enqueue(edition.pk)
    Edition.objects.filter(pk=edition.pk, status=Edition.Status.BUILDING).update(
        task_id=str(result.id)
    )


def _fail_lost_task(task_id: str) -> None:
    """Mark the queue's row of a build whose worker died as failed, so it stops saying
    "running"."""
    try:
        key = uuid.UUID(task_id)
    except ValueError:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=key, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="printing.builds.WorkerLost",
        traceback="The worker running this build stopped; the build went back in the queue.",
    )


def recover(edition: Edition, *, enqueue: bool = True) -> bool:
    """Take back a build whose worker has gone: queue it again, or after ``MAX_ATTEMPTS``
    mark it failed. True when this call put it back (another may have done so first)."""
    if edition.attempts >= MAX_ATTEMPTS:
        _fail_lost_task(edition.task_id)
        services.mark_failed(
            edition,
            f"The build stopped {edition.attempts} times before it finished: the background "
            "worker may be running out of memory. Build it again, or ask for help.",
        )
        return False
    taken = Edition.objects.filter(
        pk=edition.pk,
        status=Edition.Status.BUILDING,
        attempts=edition.attempts,
        started_at=edition.started_at,
    ).update(started_at=None, heartbeat_at=None, progress=services.RESTARTING)
    if not taken:
        return False
    logger.warning("The worker building %s stopped; building it again", edition)
    _fail_lost_task(edition.task_id)
    if enqueue:
        enqueue_build(edition)
    return True


def abandoned_builds():
    cutoff = timezone.now() - services.build_lease()
    return Edition.objects.filter(status=Edition.Status.BUILDING, started_at__isnull=False).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def recover_abandoned_builds() -> list[Edition]:
    """Queue again every build whose worker stopped; the editions put back."""
    return [edition for edition in abandoned_builds() if recover(edition)]


def watch_for_abandoned_builds(stop: threading.Event) -> None:
    """What each print worker runs beside its queue: recover abandoned builds every quarter
    lease until ``stop`` is set."""
    interval = services.build_lease().total_seconds() / 4
    while not stop.wait(interval):
        try:
            close_old_connections()
            recover_abandoned_builds()
        except DatabaseError:
            logger.exception("Could not look for abandoned builds")
    connection.close()
