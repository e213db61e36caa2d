"""The one PDF pipeline: a Django template to HTML, then WeasyPrint to PDF.

Every printed document (the books, handouts, and later registers, certificates and reports)
goes through ``html_for`` and ``render_pdf``. WeasyPrint fetches stylesheets, fonts and images
only through ``PrintURLFetcher``: the site's static files and uploaded media, addressed under a
private origin that exists nowhere else (``PRINT_BASE_URL``). Nothing is read from the network
or from an arbitrary file, whatever a template or a piece of rich text asks for.
"""

import io
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join
from pikepdf import Array, Dictionary, Name, Pdf
from smartypants import Attr, smartypants
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import PrintingError

PRINT_ORIGIN = "https://print.invalid"
PRINT_BASE_URL = PRINT_ORIGIN + "/"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF (StructTreeRoot, MarkInfo) with PDF/UA metadata

logger = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """The URL fetcher was asked for something outside the site's static and media files."""


def _url_path(url: str) -> str:
    path = urlsplit(url).path
    return path if path.endswith("/") else path + "/"


def static_file(name: str) -> Path | None:
    """A static file by its name under STATIC_URL: the finders first, then STATIC_ROOT.

    STATIC_ROOT matters in production, where ``{% static %}`` gives hashed names that only
    ``collectstatic`` writes.
    """
    found = finders.find(name)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        candidate = Path(safe_join(settings.STATIC_ROOT, name))
        if candidate.is_file():
            return candidate
    return None


def media_file(name: str) -> Path | None:
    candidate = Path(safe_join(settings.MEDIA_ROOT, name))
    return candidate if candidate.is_file() else None


class PrintURLFetcher(URLFetcher):
    """Serve ``PRINT_ORIGIN/static/...`` and ``PRINT_ORIGIN/media/...`` from disk; refuse the rest.

    ``data:`` URLs are decoded as usual. Any other scheme (``file:``, ``http:``, ``ftp:`` ...)
    or any other host raises ``RefusedURL``. Built with ``fail_on_errors``, so a refused or
    missing resource stops the build instead of printing a book with a hole in it.
    """

    def __init__(self):
        super().__init__(fail_on_errors=True, allowed_protocols=("https", "data"))

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "https" or f"{parts.scheme}://{parts.netloc}" != PRINT_ORIGIN:
            raise RefusedURL(f"Printing may not fetch {url!r}: only the site's own files.")
        path = unquote(parts.path)
        static_prefix = _url_path(settings.STATIC_URL)
        media_prefix = _url_path(settings.MEDIA_URL)
        try:
            if path.startswith(static_prefix):
                found = static_file(path[len(static_prefix) :])
            elif path.startswith(media_prefix):
                found = media_file(path[len(media_prefix) :])
            else:
                raise RefusedURL(f"Printing may not fetch {url!r}: not a static or media file.")
        except SuspiciousFileOperation as error:
            raise RefusedURL(f"Printing may not fetch {url!r}: {error}") from error
        if found is None:
            raise FileNotFoundError(f"No such static or media file: {url!r}")
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, found.read_bytes(), headers={"Content-Type": content_type}, status=200
        )


# Curly quotes, apostrophes, "--" and "---" as en and em dashes, "..." as an ellipsis, as
# characters rather than entities; smartypants leaves tags, attributes, <style> and <pre> alone.
TYPOGRAPHY = Attr.q | Attr.D | Attr.e | Attr.w | Attr.u
_VERBATIM = re.compile(
    r"(<(?:style|script|pre|code)\b.*?</(?:style|script|pre|code)>)", re.S | re.I
)
_TEXT = re.compile(r">([^<]+)<")


def _text_quotes(match: re.Match) -> str:
    """Django's escaping writes an apostrophe in text as an entity, which smartypants would
    leave straight; a spaced hyphen is a dash."""
    text = match.group(1).replace("&#x27;", "'").replace("&#39;", "'").replace(" - ", " – ")
    return f">{text}<"


def typeset(html: str) -> str:
    """Typographic quotes, apostrophes, dashes and ellipses in the text of a printed page
    (``render_pdf(typographic=True)``)."""
    parts = _VERBATIM.split(html)
    for index in range(0, len(parts), 2):
        parts[index] = _TEXT.sub(_text_quotes, parts[index])
    return smartypants("".join(parts), TYPOGRAPHY)


def typeset_plain(text: str) -> str:
    """The same for a line of plain text (the PDF's title and subject)."""
    return smartypants(text.replace(" - ", " – "), TYPOGRAPHY) if text else text


def html_for(template_name: str, context: dict) -> str:
    """Render a print template (no request: print templates need none)."""
    return render_to_string(template_name, context)


def render_pdf(
    html: str,
    *,
    base_url: str,
    title: str,
    author: str,
    subject: str = "",
    language: str = "en-GB",
    typographic: bool = False,
    inspect=None,
) -> bytes:
    """Lay out ``html`` with WeasyPrint and return a tagged PDF (PDF/UA-1) as bytes.

    ``base_url`` resolves relative URLs in the HTML; pass ``PRINT_BASE_URL`` so that
    ``/static/...`` and ``/media/...`` reach ``PrintURLFetcher``. ``title``, ``author``,
    ``subject`` and ``language`` become the PDF's metadata and ``/Lang``, whatever the HTML
    says. ``typographic`` sets the text with curly quotes and dashes (``typeset``): for the
    curriculum's printed documents, never for what a person wrote (a journal, a report's
    free text), which prints exactly as typed. Raises ``PrintingError`` if a resource is
    refused or missing. ``inspect``, if given, is called with WeasyPrint's laid-out document
    before it is written (the tests read where each box fell).
    """
    if typographic:
        html, title, subject = typeset(html), typeset_plain(title), typeset_plain(subject)
    try:
        document = HTML(string=html, base_url=base_url, url_fetcher=PrintURLFetcher()).render(
            pdf_variant=PDF_VARIANT
        )
    except FatalURLFetchingError as error:  # a BaseException: keep it out of task runners
        cause = error.__cause__ or error
        raise PrintingError("resource", f"{title}: {cause}") from cause
    if inspect is not None:
        inspect(document)
    document.metadata.title = title
    document.metadata.authors = [author]
    document.metadata.description = subject or None
    document.metadata.lang = language
    document.metadata.generator = settings.WAGTAIL_SITE_NAME
    return with_header_scopes(document.write_pdf(pdf_variant=PDF_VARIANT))


def _scope(header, row) -> Name:
    """A header cell in a table's head heads its column; the first cell of a body row whose
    other cells are data heads its row."""
    section = row.get("/P")
    if section is not None and section.get("/S") == Name.THead:
        return Name.Column
    cells = [kid for kid in row.get("/K", []) if isinstance(kid, Dictionary)]
    if cells and cells[0].objgen == header.objgen:
        if any(cell.get("/S") == Name.TD for cell in cells[1:]):
            return Name.Row
    return Name.Column


def with_header_scopes(pdf: bytes) -> bytes:
    """Give every table header cell (/TH) of a tagged PDF a /Scope, which WeasyPrint leaves
    out, so that a screen reader can tie each header to its cells (PDF/UA-1, 7.5)."""
    with Pdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return pdf
        changed = False
        stack = [root]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            if isinstance(kids, Dictionary):
                kids = [kids]
            for kid in kids if isinstance(kids, (Array, list)) else []:
                if isinstance(kid, Dictionary) and kid.get("/Type") != Name.OBJR:
                    stack.append(kid)
            if element.get("/S") != Name.TH:
                continue
            attributes = element.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = Dictionary(O=Name.Table)
                element.A = attributes
            attributes.Scope = _scope(element, element.P)
            changed = True
        if not changed:
            return pdf
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
