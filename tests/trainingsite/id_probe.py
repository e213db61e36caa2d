"""What the no-500 id test sends: every URL pattern of the site (the Wagtail admin's included)
with impossible ids, and every id-bearing field of the site's forms and query strings."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Oversized (past 64 bits), negative, non-numeric, non-ASCII digits, and one that could exist.
HOSTILE_IDS = ["9" * 30, "9223372036854775808", "-1", "abc", "١٢"]
ID_NAME = re.compile(r"(^|_)(pk|id|pks|ids)$")
ID_IN_NAME = re.compile(r"(?<=-)[0-9]+(?=-|$)")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def regex_to_route(regex: str) -> str | None:
    """A regex pattern as a route with <name> holes, or None when it is not that simple."""
    out, index = [], 0
    regex = regex.lstrip("^").removesuffix("$").removesuffix("\\Z")
    while index < len(regex):
        if regex.startswith("(?P<", index):
            end = regex.index(">", index)
            name = regex[index + 4 : end]
            depth, index = 1, end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[index], 0)
                index += 1
            out.append(f"<re:{name}>")
            continue
        if regex.startswith("(\\d+)", index):
            out.append(f"<int:arg{len(out)}>")
            index += 5
            continue
        if regex.startswith("(.*)", index):
            out.append(f"<re:arg{len(out)}>")
            index += 4
            continue
        char = regex[index]
        if char == "\\" and index + 1 < len(regex):
            out.append(regex[index + 1])
            index += 2
            continue
        if char in "()[]*+?|{}":
            if regex[index : index + 2] == "/?":
                index += 2
                out.append("/")
                continue
            return None
        out.append(char)
        index += 1
    return "".join(out)


@dataclass(frozen=True)
class Route:
    route: str  # with <converter:name> holes
    name: str

    @property
    def parameters(self) -> list[tuple[str, str]]:
        return [(m["converter"] or "str", m["name"]) for m in PARAMETER.finditer(self.route)]

    def id_parameters(self) -> list[str]:
        return [
            name
            for converter, name in self.parameters
            if converter in ("int", "id") or ID_NAME.search(name)
        ]

    def url(self, **values: str) -> str:
        def fill(match):
            return values.get(match["name"], "1" if match["converter"] in ("int", "id") else "x")

        return "/" + PARAMETER.sub(fill, self.route)


def routes(resolver=None, prefix: str = "") -> tuple[list[Route], list[str]]:
    """(every route of the site, the patterns too irregular to fill in)."""
    resolver = resolver or get_resolver()
    found, skipped = [], []
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece = str(pattern._route)
        elif isinstance(pattern, RegexPattern):
            piece = regex_to_route(pattern._regex)
            if piece is None:
                skipped.append(prefix + pattern._regex)
                continue
        else:
            skipped.append(prefix + str(pattern))
            continue
        if isinstance(entry, URLResolver):
            more, more_skipped = routes(entry, prefix + piece)
            found += more
            skipped += more_skipped
        elif isinstance(entry, URLPattern):
            found.append(Route(prefix + piece, entry.name or entry.lookup_str))
    return found, skipped


@dataclass(frozen=True)
class Field:
    form: str  # the page and form it came from
    method: str
    action: str
    data: tuple[tuple[str, str], ...]  # what the form would send as it stands
    name: str  # the id-bearing field
    in_name: bool = False  # the id is part of the field's name ("mark-<trainee id>")


class Forms(HTMLParser):
    """The forms of a page: their method, action and fields, and which fields carry ids (a
    select, radio or checkbox whose values are numbers, or a hidden or text input holding
    one, or named like an id)."""

    def __init__(self, page: str, html: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or self.page,
                "data": [],
                "ids": set(),
                "index": len(self.forms),
            }
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        name = attrs.get("name")
        if tag == "select":
            self.select = name
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if value.isdigit():
                self.current["ids"].add(self.select)
            if "selected" in attrs:
                self.current["data"].append((self.select, value))
        elif tag in ("input", "textarea", "button") and name:
            kind = attrs.get("type", "text").lower()
            value = attrs.get("value", "")
            if kind in ("submit", "button") or tag == "button":
                return
            if value.isdigit() or ID_NAME.search(name) or name.endswith(("trainee", "cohort")):
                self.current["ids"].add(name)
            if kind not in ("radio", "checkbox") or "checked" in attrs:
                self.current["data"].append((name, value))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None

    def fields(self) -> list[Field]:
        return [
            Field(
                f"{self.page} form {form['index']}",
                form["method"],
                form["action"],
                tuple(form["data"]),
                name,
            )
            for form in self.forms
            for name in sorted(form["ids"])
            if name != "csrfmiddlewaretoken"
        ] + [
            Field(
                f"{self.page} form {form['index']}",
                form["method"],
                form["action"],
                tuple(form["data"]),
                name,
                in_name=True,
            )
            for form in self.forms
            for name in sorted({name for name, _ in form["data"] if ID_IN_NAME.search(name)})
        ]


def query_fields(page: str, html: str) -> list[Field]:
    """Links of a page whose query string carries a number: each such parameter is a field."""
    found = []
    for href in re.findall(r'href="([^"]+\?[^"]+)"', html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.netloc:
            continue
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        for name, value in pairs:
            if value.isdigit():
                found.append(Field(f"{page} link", "get", parts.path or page, tuple(pairs), name))
    return found


def replaced(field: Field, value: str) -> dict[str, list[str]]:
    """The form's data with ``value`` as the id: the field's value, or the number in its name
    (every field of that row is renamed, as a hand-made request would)."""
    data: dict[str, list[str]] = {}
    row = ID_IN_NAME.search(field.name)[0] if field.in_name else None
    for name, sent in field.data:
        if field.in_name and ID_IN_NAME.search(name) and ID_IN_NAME.search(name)[0] == row:
            name = ID_IN_NAME.sub(value, name, count=1)
        elif name == field.name:
            continue
        data.setdefault(name, []).append(sent)
    if not field.in_name:
        data[field.name] = [value]
    return data


def with_query(path: str, data: dict[str, list[str]]) -> str:
    return f"{path}?{urlencode(data, doseq=True)}"
