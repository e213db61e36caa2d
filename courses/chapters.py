"""Book chapters edited in the CMS, shared by ``workbook_content`` and ``trainer_resources``.

A chapter is a Wagtail snippet with drafts, revisions and the "Curriculum review" workflow,
like a session page: its database row holds the published text, drafts live in revisions,
and the books print only live chapters. Each chapter has a fixed ``key`` that says where it
goes in its book; the seed files in ``<app>/chapters/*.toml`` create the chapters that are
missing and never overwrite one edited in the CMS.
"""

import tomllib
import uuid
from pathlib import Path

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from wagtail import blocks
from wagtail.models import (
    DraftStateMixin,
    PreviewableMixin,
    RevisionMixin,
    Workflow,
    WorkflowContentType,
    WorkflowMixin,
)

from . import book_previews
from .services import source_html

REVIEW_WORKFLOW = "Curriculum review"

_CHAPTER_MODELS: dict[str, type] = {}


def register_chapters(audience: str, model: type) -> None:
    """Say which chapter model holds the chapters only ``audience``'s book carries. The chapter
    apps call it when they load, so the outline finds their chapters without importing them."""
    _CHAPTER_MODELS[audience] = model


def chapter_model(audience: str) -> type | None:
    return _CHAPTER_MODELS.get(audience)


class BookChapter(WorkflowMixin, DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    """A chapter of one of the books. Subclasses add ``key`` (with choices) and ``body``."""

    title = models.CharField(max_length=120)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="%(class)s",
        for_concrete_model=False,
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def position(self) -> int:
        return [key for key, _ in self._meta.get_field("key").choices].index(self.key)

    @classmethod
    def in_book_order(cls, queryset=None) -> list:
        """The live chapters, in the order of ``key`` choices."""
        chapters = (queryset if queryset is not None else cls.objects.filter(live=True)).all()
        return sorted(chapters, key=lambda chapter: chapter.position)

    def get_preview_template(self, request, mode_name):
        return "printing/chapter_preview.html"

    def get_preview_context(self, request, mode_name):
        return book_previews.context("chapter", self, request)


def _seed_value(block, value):
    """Seed values are plain text; rich text blocks get paragraphs and bullets as HTML."""
    if isinstance(block, blocks.RichTextBlock):
        return source_html(value)
    if isinstance(block, blocks.StructBlock):
        return {name: _seed_value(block.child_blocks[name], item) for name, item in value.items()}
    if isinstance(block, blocks.ListBlock):
        return [_seed_value(block.child_block, item) for item in value]
    return value


def seed_body(stream_block, items: list[dict]) -> list[dict]:
    """Seed-file blocks (``{type = "...", value = ...}``) as StreamField data."""
    return [
        {
            "type": item["type"],
            "value": _seed_value(stream_block.child_blocks[item["type"]], item["value"]),
            "id": str(uuid.uuid4()),
        }
        for item in items
    ]


@transaction.atomic
def load_chapters(model, directory: Path) -> list[str]:
    """Create and publish each chapter of ``directory`` whose key is missing; return their titles.

    Idempotent: a chapter that exists (edited in the CMS or not) is kept as it is.
    """
    created = []
    existing = set(model.objects.values_list("key", flat=True))
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as source:
            data = tomllib.load(source)
        if data["key"] in existing:
            continue
        chapter = model(
            key=data["key"],
            title=data["title"],
            body=seed_body(model._meta.get_field("body").stream_block, data["body"]),
        )
        chapter.full_clean()
        chapter.save()
        chapter.save_revision().publish()
        created.append(chapter.title)
    review = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if review:
        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(model),
            defaults={"workflow": review},
        )
    return created
