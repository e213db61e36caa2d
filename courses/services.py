"""The readable session format (``curriculum/FORMAT.md``) as page fields, and the Curriculum page
with its review workflow. ``packages`` imports curriculum through these."""

import html
import uuid
from collections.abc import Callable

from wagtail.models import Page, Site, Workflow, WorkflowPage, WorkflowTask

from kernel.errors import DomainError
from kernel.roles import FACILITATOR, grant_curriculum_permissions

from .models import (
    CurriculumIndexPage,
    CurriculumReviewTask,
    HomePage,
)


class CurriculumError(DomainError):
    """The seeded curriculum cannot be loaded as it is written."""


def text_to_html(text: str) -> str:
    """Plain text with blank-line paragraphs and "- " bullets, as safe rich text HTML. A list
    may follow its lead-in line directly ("Points to draw out:" then "- ..." lines)."""
    parts = []

    def paragraph(lines: list[str]) -> None:
        if lines:
            parts.append(f"<p>{html.escape(' '.join(lines))}</p>")

    def bullets(items: list[str]) -> None:
        if items:
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")

    for chunk in text.strip().split("\n\n"):
        lines, items = [], []
        for line in (line.strip() for line in chunk.strip().splitlines()):
            if line.startswith("- "):
                paragraph(lines)
                lines = []
                items.append(line[2:].strip())
            elif line:
                bullets(items)
                items = []
                lines.append(line)
        paragraph(lines)
        bullets(items)
    return "".join(parts)


def source_html(value) -> str:
    """A rich text value of a source file: plain text (see ``text_to_html``) or, for text the
    plain form cannot hold, ``{html = "..."}``. The HTML is untrusted: ``packages`` reduces it
    to what the editor can write before it is stored."""
    if isinstance(value, dict):
        if set(value) != {"html"} or not isinstance(value["html"], str):
            raise CurriculumError("bad_rich_text", 'Rich text is plain text or {html = "..."}.')
        return value["html"]
    if not isinstance(value, str):
        raise CurriculumError("bad_rich_text", 'Rich text is plain text or {html = "..."}.')
    return text_to_html(value)


RICH_FIELDS = {"text", "instructions", "guidance", "guide", "story"}


def _stream(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _body_block(data: dict) -> dict:
    data = dict(data)
    block_type = data.pop("type")
    if block_type == "reflection_prompt" and "\n- " in f"\n{data['prompt'].strip()}":
        raise CurriculumError(
            "reflection_questions_in_prompt",
            f"The reflection prompt {data['prompt'][:40]!r}... lists its questions in the "
            "prompt: put them in `questions`, one to a line.",
        )
    if block_type == "table":
        rows = [data.pop("header"), *data.pop("rows")]
        data["table"] = {"data": rows, "first_row_is_table_header": True}
    if block_type == "knowledge_check":
        data["options"] = [
            {"text": o["text"], "right": o.get("right", False), "feedback": o["feedback"]}
            for o in data["options"]
        ]
    value = {name: source_html(v) if name in RICH_FIELDS else v for name, v in data.items()}
    return _stream(block_type, value)


def session_fields(data: dict) -> dict:
    """Map one session source file onto ``SessionPage`` fields."""
    return {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data["summary"],
        "duration": data["duration"],
        "module": data["module"],
        "suggested_deliverer": data["deliverer"],
        "learning_outcomes": [_stream("outcome", o) for o in data["learning_outcomes"]],
        "materials": [_stream("item", m) for m in data.get("materials", [])],
        "room_setup": data.get("room_setup", ""),
        "safeguarding": source_html(data.get("safeguarding", "")),
        "plan": [_stream("step", step) for step in data.get("plan", [])],
        "body": [_body_block(block) for block in data["body"]],
    }


def programme_days(data: dict, session_ref: Callable[[str], object]) -> list[dict]:
    """The days of a programme source as StreamField data; ``session_ref`` turns a session's
    slug into what the slot stores."""
    days = []
    for day in data["day"]:
        slots = [
            {
                "session": session_ref(slot["session"]),
                "start_time": slot.get("start"),
                "local_staff": slot.get("local_staff", False),
            }
            for slot in day["slots"]
        ]
        days.append(_stream("day", {"title": day["title"], "slots": slots}))
    return days


def ensure_home_and_curriculum() -> CurriculumIndexPage:
    """Home at the site root, with Home > Curriculum under it, its permissions and workflow."""
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Peer Support Training", slug="home-page"))
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        old_root = site.root_page if site.pk else None
        site.root_page = home
        site.site_name = "Peer Support Training"
        site.save()
        if old_root and old_root.pk != home.pk and not old_root.get_children().exists():
            old_root.delete()
    curriculum = CurriculumIndexPage.objects.first()
    if curriculum is None:
        curriculum = home.add_child(
            instance=CurriculumIndexPage(title="Curriculum", slug="curriculum")
        )
    grant_curriculum_permissions(curriculum)
    ensure_review_workflow(curriculum)
    return curriculum


def ensure_review_workflow(curriculum: CurriculumIndexPage) -> Workflow:
    from django.contrib.auth.models import Group

    workflow, _ = Workflow.objects.get_or_create(name="Curriculum review")
    task, created = CurriculumReviewTask.objects.get_or_create(name="Review by another facilitator")
    if created:
        task.groups.set([Group.objects.get(name=FACILITATOR)])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page=curriculum, defaults={"workflow": workflow})
    return workflow
