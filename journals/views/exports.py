"""An author's journal as PDF or Markdown files, and a subject access export.

"My journal" is the signed-in author's own entries only (``access.entries_by``). The subject
access export is everything kept about one trainee, for that trainee: it names them, so only
the administrator (a superuser) makes it, and every export is in the audit log.
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers

from audit.models import AuditEvent
from audit.services import NotTheirs, record
from cohorts.access import staff_establishments
from cohorts.models import Trainee
from kernel import clock
from pdf.responses import pdf_response

from .. import services
from ..access import SUBJECT_ACCESS, entries_by, journal_keepers_only


def zip_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


@journal_keepers_only
def journal_pdf(request):
    """The author's journal, ready to print: each entry on its own page, oldest first."""
    today = clock.today()
    context = {
        "stylesheets": ["printing/journal.css"],
        "kind": "journal",
        "author_name": services.author_display_name(request.user),
        "exported_on": today,
        "entries": services.entries_for_export(entries_by(request.user)),
    }
    return pdf_response(
        request,
        "printing/journal.html",
        context,
        title="My reflective journal",
        filename=f"my-journal-{today.isoformat()}.pdf",
    )


@journal_keepers_only
def journal_markdown(request):
    """The author's journal as a zip of Markdown files, one an entry, as they wrote them."""
    today = clock.today()
    entries = services.entries_for_export(entries_by(request.user))
    content = services.zip_of(services.journal_markdown_files(entries))
    record(request, AuditEvent.Action.EXPORT, what="own journal as Markdown")
    return zip_response(content, f"my-journal-{today.isoformat()}.zip")


@permission_required(SUBJECT_ACCESS, raise_exception=True)
def subject_access_export(request, trainee_pk: int):
    """Everything kept about one trainee (record, journal, attendance, supervision)."""
    trainee = get_object_or_404(Trainee.objects.select_related("establishment"), pk=trainee_pk)
    if (
        not request.user.is_superuser
        and not staff_establishments(request.user).filter(pk=trainee.establishment_id).exists()
    ):
        raise NotTheirs(f"trainee {trainee.pk}")
    today = clock.today()
    content = services.zip_of(services.subject_access_files(trainee, today))
    what = f"subject access export for trainee {trainee.pk}"
    record(request, AuditEvent.Action.EXPORT, what=what)
    return zip_response(content, f"subject-access-trainee-{trainee.pk}-{today.isoformat()}.zip")
