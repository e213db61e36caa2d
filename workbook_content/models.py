from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.blocks import StreamBlock
from wagtail.fields import StreamField

from courses import chapter_blocks as blocks
from courses.chapters import BookChapter


class WorkbookBodyBlock(StreamBlock):
    heading = blocks.HeadingBlock()
    text = blocks.TextBlock()
    key_points = blocks.KeyPointsBlock()
    does_and_does_not = blocks.DoesAndDoesNotBlock()
    fill_in = blocks.FillInBlock()
    write_in = blocks.WriteInBlock()
    glossary = blocks.GlossaryBlock()


class WorkbookChapter(BookChapter):
    """A workbook-only chapter of the Peer Support Workbook (never in the trainer book)."""

    KEYS = [
        ("how_to_use", "How to use this workbook (before the sessions)"),
        ("role", "About the peer support worker role"),
        ("boundaries", "What a buddy does and does not do"),
        ("looking_after_yourself", "Looking after yourself"),
        ("glossary", "Glossary"),
        ("back_cover", "Back cover: where to get help"),
    ]
    key = models.CharField(
        max_length=40, choices=KEYS, unique=True, help_text="Where the chapter goes in the book."
    )
    body = StreamField(WorkbookBodyBlock(), use_json_field=True)

    panels = [FieldPanel("key"), FieldPanel("title"), FieldPanel("body")]

    class Meta:
        verbose_name = "workbook chapter"
