"""Small personal documents made on request (a paper register, a certificate): one page or
two, laid out in well under a second, so they are built in the request rather than queued like
the books. They name people, so every download is audited and never cached."""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from audit.models import AuditEvent
from audit.services import record

from .rendering import PRINT_BASE_URL, html_for, render_pdf


def pdf_response(
    request,
    template_name: str,
    context: dict,
    *,
    title: str,
    filename: str,
    typographic: bool = False,
):
    """Render ``template_name`` (a print template extending ``printing/base.html``) to a PDF
    shown in the browser, ready to print, and log the download as a personal document.
    ``typographic`` is for curriculum text (a paper questionnaire), as ``render_pdf`` says."""
    html = html_for(template_name, {"title": title, **context})
    pdf = render_pdf(
        html,
        base_url=PRINT_BASE_URL,
        title=title,
        author="Peer Support Training",
        typographic=typographic,
    )
    record(request, AuditEvent.Action.DOWNLOAD, what=title)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    add_never_cache_headers(response)
    return response
