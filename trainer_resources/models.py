from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.blocks import StreamBlock
from wagtail.fields import StreamField

from courses import chapter_blocks as blocks
from courses.chapters import BookChapter


class TrainerBodyBlock(StreamBlock):
    heading = blocks.HeadingBlock()
    text = blocks.TextBlock()
    key_points = blocks.KeyPointsBlock()
    fill_in = blocks.FillInBlock()
    write_in = blocks.WriteInBlock()
    stages = blocks.StagesBlock()
    framework = blocks.FrameworkBlock()
    attendance_register = blocks.AttendanceRegisterBlock()
    feedback_form = blocks.FeedbackFormBlock()
    sign_off_record = blocks.SignOffRecordBlock()


class TrainerChapter(BookChapter):
    """A trainer-only chapter or printable form of the Trainer Resource Book."""

    KEYS = [
        ("train_the_trainers", "Train the trainers (before the sessions)"),
        ("supervision_guide", "Supervision guide (after the sessions)"),
        ("attendance_register", "Form: attendance register"),
        ("session_feedback", "Form: session feedback"),
        ("trainer_sign_off", "Form: trainer sign-off record"),
    ]
    FORMS = ("attendance_register", "session_feedback", "trainer_sign_off")
    key = models.CharField(
        max_length=40, choices=KEYS, unique=True, help_text="Where the chapter goes in the book."
    )
    body = StreamField(TrainerBodyBlock(), use_json_field=True)

    panels = [FieldPanel("key"), FieldPanel("title"), FieldPanel("body")]

    class Meta:
        verbose_name = "trainer book chapter"

    @property
    def is_form(self) -> bool:
        return self.key in self.FORMS
