"""The readable package format (``courses/curriculum/FORMAT.md``) and the content it stands for.

Every item of a package, and every local page, chapter or questionnaire, is turned into the
same plain form: its field values as JSON data, StreamField blocks without their ids, rich text
reduced by the editor's allow-list, pictures named by their file, sessions by their slug. Two
items are the same when their plain forms are; the fingerprint of an item is a digest of it.
"""

import datetime
import difflib
import hashlib
import html
import json
import re
from collections.abc import Callable
from typing import Any

import tomli_w
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock

from courses.blocks import EVERYWHERE
from courses.rich_text import clean_rich_text
from courses.services import programme_days, session_fields, text_to_html

from .errors import PackageError

Choose = Callable[[blocks.Block, Any], Any]

SESSION_STREAMS = ("learning_outcomes", "materials", "plan", "body")
SESSION_FIELDS = ("title", "slug", "summary", "duration", "module", "suggested_deliverer")
PROGRAMME_FIELDS = ("title", "slug", "purpose", "format", "refresher_months")
QUESTIONNAIRE_FIELDS = (
    "slug",
    "title",
    "introduction",
    "audience",
    "time_points",
    "choices",
    "lowest_score",
    "scale_name",
    "higher_is_better",
)
ITEM_FIELDS = ("text", "kind", "reverse_scored", "in_score")


def clean(value) -> str:
    return str(clean_rich_text(value or ""))


def _list_items(value) -> list:
    items = []
    for item in value or []:
        if (
            isinstance(item, dict)
            and item.get("type") == "item"
            and set(item)
            <= {
                "type",
                "value",
                "id",
            }
        ):
            item = item.get("value")
        items.append(item)
    return items


def normalise(block: blocks.Block, value, rich=clean, choose: Choose | None = None):
    """``value`` (StreamField JSON data) in its plain form: no block ids, every struct field
    present, rich text passed through ``rich``, chooser values through ``choose``."""
    if isinstance(block, blocks.StreamBlock):
        found = []
        for child in value or []:
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is None:
                raise PackageError(
                    "invalid_item", f"There is no block called {child.get('type')!r}."
                )
            found.append(
                {
                    "type": child["type"],
                    "value": normalise(child_block, child.get("value"), rich, choose),
                }
            )
        return found
    if isinstance(block, blocks.ListBlock):
        return [normalise(block.child_block, item, rich, choose) for item in _list_items(value)]
    if isinstance(block, blocks.StructBlock):
        value = value or {}
        unknown = set(value) - set(block.child_blocks)
        if unknown:
            raise PackageError("invalid_item", f"Unknown field {sorted(unknown)[0]!r}.")
        return {
            name: normalise(
                child,
                value[name] if name in value else child.get_prep_value(child.get_default()),
                rich,
                choose,
            )
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.RichTextBlock):
        return rich(value)
    if isinstance(block, TableBlock):
        value = value or {}
        return {
            "data": [
                [("" if cell is None else str(cell)) for cell in row]
                for row in value.get("data") or []
            ],
            "first_row_is_table_header": bool(value.get("first_row_is_table_header")),
        }
    if isinstance(block, blocks.ChooserBlock):
        return choose(block, value) if choose else value
    if isinstance(block, blocks.TimeBlock):
        time = value if isinstance(value, datetime.time) else block.to_python(value)
        return time.isoformat(timespec="minutes") if time else None
    if isinstance(block, blocks.BooleanBlock):
        return bool(value)
    return "" if value is None else value


def fingerprint(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def stream_block(model, name: str) -> blocks.StreamBlock:
    return model._meta.get_field(name).stream_block


# --- Rich text in the readable format ----------------------------------------------------------

_PARAGRAPH = re.compile(r"<p>([^<]*)</p>")
_LIST = re.compile(r"<ul>((?:<li>[^<]*</li>)+)</ul>")


def html_source(value: str):
    """Rich text as the readable format writes it: plain paragraphs and "- " bullets when that
    gives back the same text, else ``{html = "..."}``."""
    value = clean(value)
    chunks, rest = [], value
    while rest:
        if match := _PARAGRAPH.match(rest):
            chunks.append(html.unescape(match[1]))
        elif match := _LIST.match(rest):
            items = re.findall(r"<li>([^<]*)</li>", match[1])
            chunks.append("\n".join(f"- {html.unescape(item)}" for item in items))
        else:
            return {"html": value}
        rest = rest[match.end() :]
    text = "\n\n".join(chunks)
    return text if clean(text_to_html(text)) == value else {"html": value}


# --- Sessions ------------------------------------------------------------------------------------


def session_from_source(data: dict, session_model) -> dict:
    """A session source file as plain fields."""
    fields = session_fields(data)
    return plain_session(fields, session_model)


def plain_session(fields: dict, session_model, choose: Choose | None = None) -> dict:
    plain = {name: fields[name] for name in SESSION_FIELDS}
    plain["room_setup"] = fields.get("room_setup") or ""
    plain["safeguarding"] = clean(fields.get("safeguarding"))
    for name in SESSION_STREAMS:
        plain[name] = normalise(stream_block(session_model, name), fields.get(name), choose=choose)
    return plain


def session_source(plain: dict) -> dict:
    """Plain session fields as a session source file (the inverse of ``session_from_source``)."""
    source = {
        "slug": plain["slug"],
        "title": plain["title"],
        "module": plain["module"],
        "duration": plain["duration"],
        "deliverer": plain["suggested_deliverer"],
        "summary": plain["summary"],
        "learning_outcomes": [item["value"] for item in plain["learning_outcomes"]],
        "materials": [item["value"] for item in plain["materials"]],
        "room_setup": plain["room_setup"],
        "safeguarding": html_source(plain["safeguarding"]),
        "plan": [_without_empty(step["value"]) for step in plain["plan"]],
        "body": [_body_source(block) for block in plain["body"]],
    }
    return {name: value for name, value in source.items() if value not in ("", [])}


def _without_empty(value: dict) -> dict:
    return {name: item for name, item in value.items() if item not in ("", None)}


def _body_source(block: dict) -> dict:
    value = dict(block["value"])
    if value.get("appears_in") == EVERYWHERE or (
        "appears_in" in value and sorted(value["appears_in"]) == sorted(EVERYWHERE)
    ):
        del value["appears_in"]
    if block["type"] == "table":
        rows = value.pop("table")["data"]
        value["header"], value["rows"] = (rows[0], rows[1:]) if rows else ([], [])
    if block["type"] == "knowledge_check":
        value["options"] = [
            {name: item for name, item in option.items() if item is not False}
            for option in value["options"]
        ]
    for name, item in value.items():
        if isinstance(item, str) and item.startswith("<"):
            value[name] = html_source(item)
    if block["type"] in ("activity",) and not value.get("drawing"):
        value.pop("drawing", None)
    return {"type": block["type"], **value}


# --- Programmes ----------------------------------------------------------------------------------


def programme_from_source(data: dict, programme_model) -> dict:
    fields = {name: data.get(name) for name in PROGRAMME_FIELDS}
    fields["refresher_months"] = data.get("refresher_months", 12)
    fields["days"] = programme_days(data, lambda slug: slug)
    return plain_programme(fields, programme_model)


def plain_programme(fields: dict, programme_model, choose: Choose | None = None) -> dict:
    plain = {name: fields[name] for name in PROGRAMME_FIELDS}
    plain["days"] = normalise(stream_block(programme_model, "days"), fields["days"], choose=choose)
    return plain


def programme_source(plain: dict) -> dict:
    source = {
        name: plain[name] for name in ("slug", "title", "format", "purpose", "refresher_months")
    }
    source["day"] = [
        {
            "title": day["value"]["title"],
            "slots": [
                {
                    "session": slot["session"],
                    **({"start": slot["start_time"]} if slot["start_time"] else {}),
                    **({"local_staff": True} if slot["local_staff"] else {}),
                }
                for slot in day["value"]["slots"]
            ],
        }
        for day in plain["days"]
    ]
    return source


def slot_sessions(plain: dict) -> list[str]:
    return [slot["session"] for day in plain["days"] for slot in day["value"]["slots"]]


# --- Book chapters -------------------------------------------------------------------------------


def chapter_from_source(data: dict, chapter_model) -> dict:
    from courses.chapters import seed_body

    body_block = stream_block(chapter_model, "body")
    fields = {
        "key": data["key"],
        "title": data["title"],
        "body": seed_body(body_block, data["body"]),
    }
    return plain_chapter(fields, chapter_model)


def plain_chapter(fields: dict, chapter_model) -> dict:
    body = normalise(stream_block(chapter_model, "body"), fields["body"])
    return {"key": fields["key"], "title": fields["title"], "body": body}


def chapter_source(plain: dict, chapter_model) -> dict:
    body_block = stream_block(chapter_model, "body")
    body = [
        {
            "type": block["type"],
            "value": normalise(body_block.child_blocks[block["type"]], block["value"], html_source),
        }
        for block in plain["body"]
    ]
    return {"key": plain["key"], "title": plain["title"], "body": body}


# --- Questionnaires ------------------------------------------------------------------------------


def questionnaire_from_source(data: dict) -> dict:
    plain = {name: data[name] for name in ("slug", "title")}
    defaults = {
        "introduction": "",
        "audience": "trainee",
        "time_points": [],
        "choices": [],
        "lowest_score": 0,
        "scale_name": "",
        "higher_is_better": True,
    }
    plain.update({name: data.get(name, default) for name, default in defaults.items()})
    plain["items"] = [
        {
            "text": item["text"],
            "kind": item.get("kind", "rating"),
            "reverse_scored": bool(item.get("reverse_scored", False)),
            "in_score": bool(item.get("in_score", True)),
        }
        for item in data.get("items", [])
    ]
    return plain


def plain_questionnaire(questionnaire) -> dict:
    plain = {name: getattr(questionnaire, name) for name in QUESTIONNAIRE_FIELDS}
    plain["items"] = [
        {name: getattr(item, name) for name in ITEM_FIELDS}
        for item in questionnaire.items.order_by("sort_order", "pk")
    ]
    return plain


# --- Writing -------------------------------------------------------------------------------------


def to_toml(source: dict) -> str:
    return tomli_w.dumps(source, multiline_strings=True)


def difference(local: str, package: str, name: str) -> str:
    """What the package would change in an item, as a unified diff of the readable format."""
    return "".join(
        difflib.unified_diff(
            local.splitlines(keepends=True),
            package.splitlines(keepends=True),
            fromfile=f"{name} (this install)",
            tofile=f"{name} (package)",
        )
    )
