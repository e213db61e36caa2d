"""Markdown written by trainees and staff, turned into HTML that is safe to show anywhere: on
screen, in the editor's live preview and in PDFs.

Whatever a writer types that looks like HTML is shown as the text they typed: Markdown's raw
HTML is switched off, so "<script>" is printed, never run. Images are switched off too: an image
would make the reader's browser (or the PDF builder) fetch something from elsewhere. Then, as a
second wall, nh3 (Ammonia) keeps only a short allow-list of tags: text formatting, lists, quotes,
code and links, and links only to full http, https or mailto addresses (a relative address,
"//host/..." included, loses its href).
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote",
    "code", "pre", "h3", "h4", "hr", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# Markdown headings come out one level below the page's own (an entry sits under an h2).
HEADING_SHIFT = {"h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4"}


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.deregister("image_link")
    md.inlinePatterns.deregister("image_reference")
    md.inlinePatterns.deregister("short_image_ref")
    return md


def markdown_to_html(text: str) -> SafeString:
    """Render a writer's Markdown to sanitised HTML. Also the editor's preview function
    (``MARKDOWNX_MARKDOWNIFY_FUNCTION``)."""
    html = _markdown().convert(text or "")
    for tag, shifted in HEADING_SHIFT.items():
        html = html.replace(f"<{tag}>", f"<{shifted}>").replace(f"</{tag}>", f"</{shifted}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        url_relative="deny",  # "/x", "//host/x" and look-alike schemes have no scheme to check
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308  sanitised by nh3 just above
