"""Every hostile input, rendered by the journal's one Markdown renderer, comes out as harmless
HTML that still shows the reader what the writer typed. The editor's live preview gives the
same HTML, and only to someone signed in."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from journals.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_SCHEMES, markdown_to_html
from tests.journals.hostile_inputs import HOSTILE

NEVER = {"img", "script", "style", "svg", "iframe", "object", "embed", "form", "base", "meta"}
PREVIEW = "/markdownx/markdownify/"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text a reader sees."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def visible_text(self) -> str:
        return fold("".join(self.text))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def rendered(text: str) -> Elements:
    return Elements(str(markdown_to_html(text)))


by_input = pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])


def test_the_corpus_holds_over_a_hundred_distinct_inputs():
    assert len(HOSTILE) >= 120
    assert len({h.text for h in HOSTILE}) == len(HOSTILE)
    assert len({h.id for h in HOSTILE}) == len(HOSTILE)


@by_input
def test_only_allowed_tags_come_out(hostile):
    tags = {tag for tag, _ in rendered(hostile.text).tags}
    assert tags <= ALLOWED_TAGS
    assert not tags & NEVER


@by_input
def test_only_links_carry_attributes_and_never_a_handler(hostile):
    for tag, attrs in rendered(hostile.text).tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())


@by_input
def test_links_go_only_to_http_https_or_mailto(hostile):
    hrefs = [attrs["href"] for tag, attrs in rendered(hostile.text).tags if "href" in attrs]
    for href in hrefs:
        assert href == href.strip()
        assert urlsplit(href).scheme in LINK_SCHEMES, href
        assert not re.search(r"[\x00-\x1f]", href), href  # browsers drop tabs, newlines


@by_input
def test_the_reader_sees_what_the_writer_typed(hostile):
    text = rendered(hostile.text).visible_text()
    for words in hostile.shows:
        assert fold(words) in text


def test_raw_html_is_printed_as_text_not_dropped():
    text = rendered("<script>window.__pwned = 1</script> and <img src=x onerror=alert(1)>")
    assert (
        text.visible_text()
        == "<script>window.__pwned = 1</script> and <img src=x onerror=alert(1)>"
    )
    assert [tag for tag, _ in text.tags] == ["p"]


def test_safe_links_and_formatting_still_work():
    found = rendered('**Bold**, _soft_ and [the guide](https://ok.example/guide "Guide").')
    assert (
        "a",
        {
            "href": "https://ok.example/guide",
            "title": "Guide",
            "rel": "noopener noreferrer nofollow",
        },
    ) in found.tags
    assert {"strong", "em"} <= {tag for tag, _ in found.tags}


def test_the_editor_preview_gives_the_same_sanitised_html(client_for):
    client = client_for("trainee")
    for hostile in HOSTILE:
        response = client.post(PREVIEW, {"content": hostile.text})
        assert response.status_code == 200, hostile.id
        assert response.content.decode() == str(markdown_to_html(hostile.text)), hostile.id


def test_the_editor_preview_needs_a_login(client, db):
    """403, not a redirect: the preview box must never fill with the login page."""
    response = client.post(PREVIEW, {"content": "<script>alert(1)</script> **secret words**"})
    assert response.status_code == 403
    assert b"secret words" not in response.content
    assert b"<strong>" not in response.content
