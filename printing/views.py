"""The print page, "Build now", and downloads of built editions.

Only Facilitators and the Education department (permission ``printing.print_books``) reach
any of these. Nothing here builds a PDF: builds are background tasks.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEvent
from audit.services import record
from courses.models import ProgrammePage, SessionPage
from kernel.converters import parse_id

from . import services
from .models import Edition

PERMISSION = "printing.print_books"


def may_print(user) -> bool:
    """``printing.print_books``, the user's own or a group's, read in one query where
    ``has_perm`` reads every permission the user has in two: a download reads no more of who
    is asking than it must."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_perm_cache", None)
    if known is not None:
        return PERMISSION in known
    app_label, codename = PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return permission.filter(Q(user=user) | Q(group__user=user)).exists()


def print_permission_required(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may_print(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


TAG_CLASSES = {
    services.UP_TO_DATE: "govuk-tag--green",
    services.BUILDING: "govuk-tag--blue",
    services.STALE: "govuk-tag--yellow",
    services.FAILED: "govuk-tag--red",
    services.NEVER_BUILT: "govuk-tag--grey",
}


@dataclass
class DocumentRow:
    kind: str
    label: str
    programme: ProgrammePage
    session: SessionPage | None
    state: services.EditionState

    @property
    def row_id(self) -> str:
        suffix = f"-{self.session.pk}" if self.session else ""
        return f"document-{self.programme.pk}-{self.kind}{suffix}"

    @property
    def name(self) -> str:
        return self.session.title if self.session else self.label

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.state.state]

    @property
    def download_url(self) -> str:
        if self.session:
            return reverse("print_download_handout", args=[self.programme.slug, self.session.slug])
        return reverse("print_download", args=[self.programme.slug, self.kind])

    @property
    def version(self) -> str:
        """Changes whenever the row would show something else."""
        state = self.state
        latest = state.latest
        parts = [state.state, state.current.pk if state.current else "", state.progress]
        parts += [latest.pk, latest.status] if latest else []
        return "|".join(str(part) for part in parts)


@dataclass
class ProgrammeDocuments:
    programme: ProgrammePage
    books: list[DocumentRow]
    handouts: list[DocumentRow]
    past_editions: list[Edition]

    @property
    def building(self) -> bool:
        return any(row.state.state == services.BUILDING for row in self.books + self.handouts)

    @property
    def version(self) -> str:
        rows = "/".join(row.version for row in self.books + self.handouts)
        return f"{rows}/{len(self.past_editions)}"


def programme_documents(programme: ProgrammePage) -> ProgrammeDocuments:
    editions: dict[tuple, list[Edition]] = {}
    for edition in (
        Edition.objects.filter(programme=programme)
        .select_related("programme", "session")
        .order_by("-number", "-pk")
    ):
        editions.setdefault((edition.kind, edition.session_id), []).append(edition)
    kinds = services.document_kinds()

    def row(kind: str, session: SessionPage | None = None) -> DocumentRow:
        state = services.edition_state(
            kind,
            programme,
            session,
            editions=editions.get((kind, session.pk if session else None), []),
        )
        return DocumentRow(kind, kinds[kind], programme, session, state)

    books = [row(kind) for kind in services.book_kinds()]
    handouts = (
        [row(services.HANDOUT, session) for session in services.programme_sessions(programme)]
        if services.HANDOUT in kinds
        else []
    )
    past = sorted(
        (edition for group in editions.values() for edition in group),
        key=lambda edition: edition.created_at,
        reverse=True,
    )
    return ProgrammeDocuments(programme, books, handouts, past)


def print_context(programmes) -> dict:
    return {"programmes": [programme_documents(programme) for programme in programmes]}


@require_GET
@print_permission_required
def print_page(request):
    """Every programme with its documents, their states, downloads and past editions."""
    programmes = ProgrammePage.objects.live().order_by("path")
    return TemplateResponse(request, "printing/print_page.html", print_context(programmes))


@require_GET
@print_permission_required
def print_states(request):
    """The documents part of the print page, for ``print_page.js`` to refresh the states of the
    programmes named in ``?programme=`` without reloading the page."""
    programmes = ProgrammePage.objects.live().order_by("path")
    wanted = [pk for pk in map(parse_id, request.GET.getlist("programme")) if pk]
    if wanted:
        programmes = programmes.filter(pk__in=wanted)
    return TemplateResponse(request, "printing/print_documents.html", print_context(programmes))


@require_POST
@print_permission_required
def build(request):
    """The "Build now" button: ask the background worker for a new edition of a document."""
    programme = get_object_or_404(ProgrammePage.objects.live(), pk=_number(request, "programme"))
    session = None
    if request.POST.get("session"):
        session = get_object_or_404(SessionPage.objects.live(), pk=_number(request, "session"))
    kind = request.POST.get("kind", "")
    try:
        edition = services.request_build(kind, programme, session, requested_by=request.user)
    except services.PrintingError as error:
        messages.error(request, error.message)
        return redirect("print_page")
    if edition.status == Edition.Status.READY:
        messages.success(request, f"{edition.title}: edition {edition.number} is ready.")
    elif edition.status == Edition.Status.FAILED:
        messages.error(request, f"{edition.title}: edition {edition.number} failed.")
    else:
        messages.success(request, f"{edition.title}: edition {edition.number} is being built.")
    return redirect(f"{reverse('print_page')}#{_anchor(programme, kind, session)}")


def _number(request, name: str) -> int:
    if (pk := parse_id(request.POST.get(name))) is None:
        raise Http404
    return pk


def _anchor(programme, kind, session) -> str:
    return f"document-{programme.pk}-{kind}" + (f"-{session.pk}" if session else "")


@require_GET
@print_permission_required
def download_current(request, programme: str, kind: str, session: str | None = None):
    """The current edition of a document, at an address that stays the same between editions."""
    return serve_download(request, services.current_download(kind, programme, session))


@require_GET
@print_permission_required
def download_edition(request, pk: int):
    """One edition, current or past."""
    return serve_download(request, services.edition_download(pk))


def serve_download(request, download: services.Download | None) -> FileResponse:
    """Once access is checked: the audit row, then the open file handed to the WSGI server,
    which sends it as it sends a static file (gunicorn's ``sendfile``)."""
    if download is None:
        raise Http404("No edition of this document has been built yet.")
    try:
        file = open(download.path, "rb")  # noqa: SIM115 (the response closes it)
    except FileNotFoundError as error:
        raise Http404("The file of this edition is missing.") from error
    record(request, AuditEvent.Action.DOWNLOAD, what=download.what)
    response = FileResponse(
        file, as_attachment=True, filename=download.file_name, content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    return response
