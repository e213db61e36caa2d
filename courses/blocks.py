"""StreamField blocks for sessions and programmes.

Every session block says where it appears: on the projector (slides), in the Peer Support
Workbook and trainee reading page (workbook), and in the Trainer Resource Book and trainer
reading page (trainer). A block's ``Meta.trainer_only`` names the fields that only trainers
see; ``courses.rendering`` removes them before any trainee or audience template gets the value.
"""

from django import forms
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

SLIDES, WORKBOOK, TRAINER = "slides", "workbook", "trainer"
RENDERINGS = [
    (SLIDES, "Slides"),
    (WORKBOOK, "Workbook and trainee page"),
    (TRAINER, "Trainer book and trainer page"),
]
EVERYWHERE = [SLIDES, WORKBOOK, TRAINER]
FRAMEWORKS = [
    ("gibbs", "Gibbs' reflective cycle"),
    ("what_so_what", "What? So what? Now what?"),
    ("free", "Free writing"),
]
TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class AppearsInBlock(blocks.MultipleChoiceBlock):
    def __init__(self, default=EVERYWHERE, **kwargs):
        super().__init__(
            choices=RENDERINGS,
            default=default,
            widget=forms.CheckboxSelectMultiple,
            help_text="Where this block appears.",
            **kwargs,
        )


class CurriculumBlock(blocks.StructBlock):
    """Base for session content blocks: adds ``appears_in`` and the trainer-only field list."""

    appears_in = AppearsInBlock()

    class Meta:
        trainer_only = ()


class SectionBlock(CurriculumBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=TEXT_FEATURES)
    slide_points = blocks.ListBlock(
        blocks.CharBlock(max_length=80),
        help_text="Short lines for the projector. The full text is in the workbook.",
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/section.html"
        description = "A titled piece of teaching content, with short points for its slide."


class KeyPointsBlock(CurriculumBlock):
    points = blocks.ListBlock(blocks.CharBlock(max_length=200))

    class Meta:
        icon = "list-ul"
        template = "blocks/key_points.html"
        description = "The few things every trainee should remember."


# Drawings printed with an activity for trainees to write or draw on: (label, static file,
# what it shows). Drawn in the print stylesheet's line colour, as vectors.
DRAWINGS = {
    "person_outline": (
        "Outline of a person",
        "printing/person-outline.svg",
        "The outline of a person standing, arms by their sides, with space all round to "
        "write or draw on",
    ),
}


class ActivityBlock(CurriculumBlock):
    title = blocks.CharBlock(max_length=120)
    minutes = blocks.IntegerBlock(min_value=1, max_value=240)
    instructions = blocks.RichTextBlock(features=TEXT_FEATURES)
    guidance = blocks.RichTextBlock(
        features=TEXT_FEATURES, help_text="Trainer only: how to run it and what to look for."
    )
    write_in_lines = blocks.IntegerBlock(
        min_value=0, max_value=30, default=6, help_text="Ruled lines in the workbook."
    )
    drawing = blocks.ChoiceBlock(
        choices=[(key, label) for key, (label, _, _) in DRAWINGS.items()],
        required=False,
        help_text="A drawing printed with the activity in the workbook, to write or draw on.",
    )

    class Meta:
        icon = "group"
        template = "blocks/activity.html"
        description = "Something trainees do, with trainer guidance."
        trainer_only = ("guidance", "minutes")


class DiscussionBlock(CurriculumBlock):
    question = blocks.CharBlock(max_length=300)
    prompts = blocks.ListBlock(blocks.CharBlock(max_length=200), required=False)
    guide = blocks.RichTextBlock(
        features=TEXT_FEATURES, help_text="Trainer only: points to draw out."
    )

    class Meta:
        icon = "comment"
        template = "blocks/discussion.html"
        description = "A question for the group to talk about."
        trainer_only = ("guide",)


class CaseStudyBlock(CurriculumBlock):
    title = blocks.CharBlock(max_length=120)
    story = blocks.RichTextBlock(features=TEXT_FEATURES, help_text="Anonymous: no real names.")
    questions = blocks.ListBlock(blocks.CharBlock(max_length=300))
    guide = blocks.RichTextBlock(
        features=TEXT_FEATURES, help_text="Trainer only: discussion guide."
    )

    class Meta:
        icon = "user"
        template = "blocks/case_study.html"
        description = "A prison situation to think through, with a discussion guide."
        trainer_only = ("guide",)


class KnowledgeCheckBlock(CurriculumBlock):
    question = blocks.CharBlock(max_length=300)
    options = blocks.ListBlock(blocks.CharBlock(max_length=200), required=False)
    answer = blocks.TextBlock(help_text="Trainer only: the answer and why.")

    class Meta:
        icon = "help"
        template = "blocks/knowledge_check.html"
        description = "A question that checks learning; the answer is for trainers only."
        trainer_only = ("answer",)


class ReflectionPromptBlock(CurriculumBlock):
    prompt = blocks.CharBlock(max_length=300)
    framework = blocks.ChoiceBlock(choices=FRAMEWORKS, default="gibbs")

    class Meta:
        icon = "edit"
        template = "blocks/reflection_prompt.html"
        description = "A prompt for the reflective journal, with a framework."


class TrainerNoteBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/trainer_note.html"
        description = "A note for trainers only: never in the workbook or on the projector."
        renderings = (TRAINER,)


class ImageBlock(CurriculumBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="What the picture shows, for screen readers."
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "A picture with its caption."


class CurriculumTableBlock(CurriculumBlock):
    caption = blocks.CharBlock(max_length=200)
    table = TableBlock()

    class Meta:
        icon = "table"
        template = "blocks/table.html"
        description = "A small table with a caption."


class SessionBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
    key_points = KeyPointsBlock()
    activity = ActivityBlock()
    discussion = DiscussionBlock()
    case_study = CaseStudyBlock()
    knowledge_check = KnowledgeCheckBlock()
    reflection_prompt = ReflectionPromptBlock()
    trainer_note = TrainerNoteBlock()
    image = ImageBlock()
    table = CurriculumTableBlock()


class PlanStepBlock(blocks.StructBlock):
    activity = blocks.CharBlock(max_length=120)
    minutes = blocks.IntegerBlock(min_value=1, max_value=240)
    method = blocks.CharBlock(max_length=120)
    materials = blocks.CharBlock(max_length=200, required=False)
    lead = blocks.CharBlock(max_length=80)

    class Meta:
        icon = "time"
        description = "One step of the session plan (trainer only)."


class SlotBlock(blocks.StructBlock):
    session = blocks.PageChooserBlock(page_type="courses.SessionPage")
    start_time = blocks.TimeBlock(required=False)
    local_staff = blocks.BooleanBlock(required=False, label="Suggested for local staff to deliver")

    class Meta:
        icon = "time"
        description = "A session placed in a day of the programme."


class DayBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=60, help_text="For example: Day one")
    slots = blocks.ListBlock(SlotBlock())

    class Meta:
        icon = "date"
        template = "blocks/day.html"
        description = "A training day and its sessions in order."
