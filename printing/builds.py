"""Running a build: claiming an edition (or a cohort's pack), rendering and storing its file,
and the lease that hands a build to another worker when the one building it dies.

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
from .models import Build, CohortPack, Edition

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


def _ours(model: type[Build], pk: int, attempt: int):
    return model.objects.filter(pk=pk, status=Build.Status.BUILDING, attempts=attempt)


def set_progress(record: Build, text: str, attempt: int) -> None:
    record.progress = text
    _ours(type(record), record.pk, attempt).update(progress=text, heartbeat_at=timezone.now())


@contextmanager
def heartbeat(model: type[Build], pk: int, attempt: int):
    """Keep the lease of a claimed build while the block runs, from a thread of its own."""
    stop = threading.Event()
    interval = services.build_lease().total_seconds() / 4

    def beat():
        try:
            while not stop.wait(interval):
                try:
                    _ours(model, pk, attempt).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Could not renew the lease of %s %s", model.__name__, pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def claim(model: type[Build], pk: int) -> int | None:
    """Take a building edition or pack no worker has started; its attempt number, or None."""
    now = timezone.now()
    claimed = model.objects.filter(
        pk=pk, status=Build.Status.BUILDING, started_at__isnull=True
    ).update(
        started_at=now,
        heartbeat_at=now,
        progress=services.RENDERING,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return model.objects.values_list("attempts", flat=True).get(pk=pk)


def _edition_file(edition: Edition, progress) -> tuple[str, bytes]:
    pdf = services.documents_module().render_document(
        edition.kind, edition.programme, session=edition.session, edition=edition
    )
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        raise PrintingError("not_a_pdf", "The PDF maker returned something that is not a PDF.")
    return f"editions/{edition.pk}-{edition.download_name}", pdf


def build_edition(edition_id: int) -> Edition:
    """Make the PDF of a building edition and store it. A failure becomes the edition's status
    and plain reason; the previous edition stays the current one. Does nothing to an edition
    that another worker has started or that is not building."""
    editions = Edition.objects.select_related("programme", "session")
    return run_build(editions, edition_id, _edition_file)


def run_build(records, pk: int, make, after=None):
    """Claim a building record (an edition, a pack) of ``records``, ``make(record, progress)``
    its file (a name under MEDIA_ROOT and the bytes; ``progress(text)`` says what it is doing),
    store it and mark it ready, then call ``after(record)``; or record why it failed."""
    model = records.model
    attempt = claim(model, pk)
    record = records.get(pk=pk)
    if attempt is None:
        return record
    logger.info("Building %s (attempt %s)", record, attempt)
    path = None
    try:
        with heartbeat(model, pk, attempt):
            name, data = make(record, lambda text: set_progress(record, text, attempt))
        set_progress(record, services.SAVING, attempt)
        path = Path(settings.MEDIA_ROOT) / name
        write_atomically(path, data)
        built_at = timezone.now()
        stored = _ours(model, pk, attempt).update(
            file=name,
            size=len(data),
            status=Edition.Status.READY,
            progress="",
            error="",
            built_at=built_at,
            task_id="",
        )
        if not stored:
            raise PrintingError("taken_over", "Another worker took this build over.")
        record.refresh_from_db()
        logger.info("Built %s in %.1f s", record, services.build_duration(record))
    except Exception as error:
        if path is not None:
            path.unlink(missing_ok=True)
        record.refresh_from_db()
        if record.status != Build.Status.BUILDING or record.attempts != attempt:
            logger.warning("Dropped a build of %s another worker took over", record)
            return record
        logger.exception("Building %s failed", record)
        record.file.name = ""
        services.mark_failed(record, plain_reason(error))
        return record
    if after is not None:
        after(record)
    return record


def wait_for_build(record: Build, build=build_edition, poll_seconds: float = 1.0) -> Build:
    """Wait until an edition (or, with ``build=packs.build_pack``, a pack) that another process
    is building is ready or failed, taking it over if its worker dies."""
    while True:
        record.refresh_from_db()
        if record.status != Build.Status.BUILDING:
            return record
        if services.is_stalled(record):
            services.mark_failed(record, services.stalled_reason(record))
            return record
        if services.lease_expired(record) and recover(record, enqueue=False):
            return build(record.pk)
        time.sleep(poll_seconds)


# --- Workers that die -------------------------------------------------------------------------


def enqueue_build(record: Build) -> None:
    """Put a building edition or pack in the background worker's queue."""
    from .tasks import build_edition_task, build_pack_task

    task = build_pack_task if isinstance(record, CohortPack) else build_edition_task
    result = task.enqueue(record.pk)
    type(record).objects.filter(pk=record.pk, status=Build.Status.BUILDING).update(
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


def recover(edition: Build, *, enqueue: bool = True) -> bool:
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
    taken = (
        type(edition)
        .objects.filter(
            pk=edition.pk,
            status=Build.Status.BUILDING,
            attempts=edition.attempts,
            started_at=edition.started_at,
        )
        .update(started_at=None, heartbeat_at=None, progress=services.RESTARTING)
    )
    if not taken:
        return False
    logger.warning("The worker building %s stopped; building it again", edition)
    _fail_lost_task(edition.task_id)
    if enqueue:
        enqueue_build(edition)
    return True


def abandoned_builds(model: type[Build] = Edition):
    cutoff = timezone.now() - services.build_lease()
    return model.objects.filter(status=Build.Status.BUILDING, started_at__isnull=False).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def recover_abandoned_builds() -> list[Build]:
    """Queue again every build (editions and packs) whose worker stopped; those put back."""
    return [
        record
        for model in (Edition, CohortPack)
        for record in abandoned_builds(model)
        if recover(record)
    ]


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
