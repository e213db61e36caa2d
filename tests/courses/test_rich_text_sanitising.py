"""Rich text stored in the CMS is reduced to what its editor can write whenever it is rendered:
the whole hostile corpus, stored as raw rich text or passed through the curriculum loader's
``text_to_html``, comes out with only the editor's elements, links only to the site or to
http, https, mailto or tel addresses, and never a handler or anything that fetches."""

from urllib.parse import urlsplit

import pytest
from django.template import Context, Template
from wagtail.rich_text import RichText

from courses.rich_text import LINK_SCHEMES, allowed_tags
from courses.services import text_to_html
from tests.journals.hostile_inputs import HOSTILE
from tests.journals.test_sanitising import Elements, fold

FILTER = Template("{% load wagtailcore_tags %}{{ value|richtext }}")
by_input = pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])


def renderings(source: str) -> list[Elements]:
    """The two ways a template shows rich text: a block's RichText value, and the filter on
    a stored string."""
    return [
        Elements(str(RichText(source))),
        Elements(FILTER.render(Context({"value": source}))),
    ]


def assert_harmless(found: Elements):
    for tag, attrs in found.tags:
        assert tag in allowed_tags(), tag
        assert set(attrs) <= ({"href", "rel"} if tag == "a" else set()), (tag, attrs)
        if "href" in attrs:
            href = attrs["href"]
            parts = urlsplit(href)
            on_site = not parts.scheme and not parts.netloc and href.startswith(("/", "#"))
            assert parts.scheme in LINK_SCHEMES or on_site, href


def test_the_allow_list_is_the_editors():
    assert allowed_tags() == {"p", "br", "b", "strong", "i", "em", "ol", "ul", "li", "a"}


@by_input
def test_hostile_rich_text_is_reduced_to_the_editors_elements(db, hostile):
    for found in renderings(hostile.text):
        assert_harmless(found)


@by_input
def test_the_loaders_plain_text_shows_what_was_typed(db, hostile):
    html = text_to_html(hostile.text)
    for found in renderings(html):
        assert_harmless(found)
        for line in hostile.text.splitlines():
            assert fold(line.strip().removeprefix("- ")) in found.visible_text()


def test_what_the_editor_writes_is_kept(db):
    source = (
        "<p>Ask <b>first</b>, then <i>help</i>.<br/>Always.</p><ul><li>one</li></ul>"
        '<ol><li>two</li></ol><p><a href="https://www.gov.uk/">GOV.UK</a></p>'
    )
    found = renderings(source)[0]
    assert [tag for tag, _ in found.tags] == ["p", "b", "i", "br", "ul", "li", "ol", "li", "p", "a"]
    assert found.visible_text() == "Ask first, then help.Always.onetwoGOV.UK"


def test_script_and_handlers_in_stored_rich_text_never_reach_the_page(db):
    html = str(RichText('<p onclick="alert(1)">Hi<script>alert(2)</script></p><img src=x>'))
    assert html == "<p>Hi</p>"
