"""Rich text from the CMS, reduced to what its editor can write, at the one place every piece
of rich text is rendered: Wagtail's ``wagtailcore/shared/richtext.html`` template, overridden
in ``templates/``, which both the ``|richtext`` filter and a ``RichText`` value render through.

Wagtail does not sanitise stored rich text: the editor (Draftail) only writes what its features
allow, but text that reached the database another way (the curriculum loader, an import, an
old revision, a stolen facilitator account posting by hand) renders as it was stored, script
included. Here nh3 keeps only the elements of the editor's features (Wagtail's own conversion
rules for them, plus paragraphs and line breaks), links only with an ``href`` to a page of the
site or an http, https, mailto or tel address, and nothing that could fetch from elsewhere.
"""

import re
from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import features as feature_registry

from .blocks import TEXT_FEATURES

LINK_SCHEMES = {"http", "https", "mailto", "tel"}
ALWAYS = {"p", "br"}  # what Draftail writes for paragraphs and soft line breaks


@cache
def allowed_tags() -> frozenset[str]:
    """The elements the editor's features can write, by Wagtail's own conversion rules."""
    tags = set(ALWAYS)
    for feature in TEXT_FEATURES:
        rule = feature_registry.get_converter_rule("contentstate", feature) or {}
        tags |= {re.match(r"[a-z0-9]+", selector)[0] for selector in rule["from_database_format"]}
    return frozenset(tags)


def _link_href_only(element: str, attribute: str, value: str) -> str | None:
    """Only a link's href is kept (nh3 would keep ``title`` and ``lang`` anywhere), and a
    scheme-less href only when it stays on this site ("/page", "#part"): "//host/x" and
    "\\host" would lead elsewhere with no scheme for nh3 to check."""
    if (element, attribute) != ("a", "href"):
        return None
    if value.lstrip().startswith(("//", "\\", "/\\")):
        return None
    return value


def clean_rich_text(html: str) -> SafeString:
    """Front-end rich text HTML with everything its editor could not have written removed."""
    return mark_safe(  # noqa: S308  sanitised by nh3
        nh3.clean(
            str(html),
            tags=set(allowed_tags()),
            attributes={"a": {"href"}},
            url_schemes=LINK_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
            attribute_filter=_link_href_only,
        )
    )
