"""Markdown written by trainees and staff, turned into HTML that is safe to show anywhere: on
screen, in the editor's live preview and in PDFs.

The parser is markdown-it-py (CommonMark), whose time grows in step with the length of the text
even on crafted input (thousands of unclosed "[a](", deep nesting): Python-Markdown took seconds
on a few kilobytes of "[". Nesting stops at 20 levels of quotes and lists. Whatever a writer
types that looks like HTML is shown as the text they typed: raw HTML is switched off, so
"<script>" is printed, never run. Images are switched off too: an image would make the reader's
browser (or the PDF builder) fetch something from elsewhere. Then, as a second wall, nh3
(Ammonia) keeps only a short allow-list of tags: text formatting, lists, quotes, code and links,
and links only to full http, https or mailto addresses (a relative address, "//host/..."
included, loses its href).

Every box that is rendered as Markdown takes at most ``MARKDOWN_LIMIT`` characters: the forms
and services refuse longer text with a message, and the preview says so instead of rendering.
"""

from functools import cache

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_inline import image
from markdown_it.rules_inline.state_inline import StateInline

MARKDOWN_LIMIT = 10_000  # about 1,700 words in one box

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote",
    "code", "pre", "h3", "h4", "hr", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# Markdown headings come out one level below the page's own (an entry sits under an h2).
HEADING_SHIFT = {"h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4"}


def _image_as_typed(state: StateInline, silent: bool) -> bool:
    """An image is shown as the text that was typed, so nothing is fetched and nothing is lost."""
    start, first_new = state.pos, len(state.tokens)
    if not image(state, silent):
        return False
    if not silent:
        del state.tokens[first_new:]
        state.push("text", "", 0).content = state.src[start : state.pos]
    return True


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    md.inline.ruler.at("image", _image_as_typed)
    return md


def too_long_message(text: str, what: str = "this part") -> str:
    """What to tell a writer whose text is over the limit, or "" when it is not."""
    over = len(text) - MARKDOWN_LIMIT
    if over <= 0:
        return ""
    return (
        f"Make {what} shorter: it has {len(text):,} characters and can have up to "
        f"{MARKDOWN_LIMIT:,}. Take out {over:,} characters, or write the rest in another entry."
    )


def validate_markdown_length(text: str) -> None:
    """A form field validator: the text fits in a Markdown box."""
    if message := too_long_message(text):
        raise ValidationError(message, code="too_long")


def markdown_to_html(text: str) -> SafeString:
    """Render a writer's Markdown to sanitised HTML. Also the editor's preview function
    (``MARKDOWNX_MARKDOWNIFY_FUNCTION``)."""
    html = _markdown().render(text or "")
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
