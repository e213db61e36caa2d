"""StreamField blocks for sessions and programmes.

Every session block says where it appears: on the projector (slides), in the Peer Support
Workbook and trainee reading page (workbook), and in the Trainer Resource Book and trainer
reading page (trainer). A block's ``Meta.trainer_only`` names the fields that only trainers
see; ``courses.rendering`` removes them before any trainee or audience template gets the value.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
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


class LineBlock(blocks.CharBlock):
    """A one-line box that screen readers name by its label. Wagtail shows no label on the
    items of a list or of a stream of single boxes (learning outcomes), so axe-core finds them
    nameless; the label is given to the box itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_the_box()

    def set_name(self, name):
        super().set_name(name)
        self.name_the_box()

    def name_the_box(self):
        if self.label:
            self.field.widget.attrs["aria-label"] = str(self.label)


class LabelledRichTextBlock(blocks.RichTextBlock):
    """Rich text whose editor screen readers name by the block's label: Wagtail's Draftail
    editor takes an ``ariaLabel`` option but is not tied to the label shown above it."""

    @cached_property
    def field(self):
        field = super().field
        field.widget.options["ariaLabel"] = str(self.label)
        return field


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
    text = LabelledRichTextBlock(features=TEXT_FEATURES)
    slide_points = blocks.ListBlock(
        LineBlock(max_length=80, label="Slide point"),
        help_text="Short lines for the projector. The full text is in the workbook.",
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/section.html"
        label_format = "Section: {heading}"
        description = "A titled piece of teaching content, with short points for its slide."


class KeyPointsBlock(CurriculumBlock):
    points = blocks.ListBlock(LineBlock(max_length=200, label="Key point"))

    class Meta:
        icon = "list-ul"
        template = "blocks/key_points.html"
        label_format = "Key points: {points}"
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
    instructions = LabelledRichTextBlock(features=TEXT_FEATURES)
    guidance = LabelledRichTextBlock(
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
        label_format = "Activity: {title}"
        description = "Something trainees do, with trainer guidance."
        trainer_only = ("guidance", "minutes")


class DiscussionBlock(CurriculumBlock):
    question = blocks.CharBlock(max_length=300)
    prompts = blocks.ListBlock(LineBlock(max_length=200, label="Prompt"), required=False)
    guide = LabelledRichTextBlock(
        features=TEXT_FEATURES, help_text="Trainer only: points to draw out."
    )

    class Meta:
        icon = "comment"
        template = "blocks/discussion.html"
        label_format = "Discussion: {question}"
        description = "A question for the group to talk about."
        trainer_only = ("guide",)


class CaseStudyBlock(CurriculumBlock):
    title = blocks.CharBlock(max_length=120)
    story = LabelledRichTextBlock(features=TEXT_FEATURES, help_text="Anonymous: no real names.")
    questions = blocks.ListBlock(LineBlock(max_length=300, label="Question"))
    guide = LabelledRichTextBlock(
        features=TEXT_FEATURES, help_text="Trainer only: discussion guide."
    )

    class Meta:
        icon = "user"
        template = "blocks/case_study.html"
        label_format = "Case study: {title}"
        description = "A prison situation to think through, with a discussion guide."
        trainer_only = ("guide",)


class CheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    right = blocks.BooleanBlock(required=False, label="This option is right")
    feedback = blocks.TextBlock(
        help_text="For the learner who chooses this option: why it is right or not. "
        "Short sentences, everyday words."
    )

    class Meta:
        icon = "tick"
        label_format = "{text}"


class KnowledgeCheckBlock(CurriculumBlock):
    """A question with options, which are right, and feedback for every option.

    ``Meta.answers`` names the option fields that give the answer away: the reading page,
    the workbook and the audience slides never carry them; the projector marks the right
    options only when the trainer presses A.
    """

    question = blocks.CharBlock(max_length=300)
    options = blocks.ListBlock(CheckOptionBlock(), min_num=2, max_num=6)
    guidance = LabelledRichTextBlock(
        features=TEXT_FEATURES,
        required=False,
        help_text="Trainer only: how to run this check in the room and what to do "
        "if people choose a wrong option.",
    )

    class Meta:
        icon = "help"
        template = "blocks/knowledge_check.html"
        description = "A question with options and feedback on each; which are right is hidden."
        label_format = "Knowledge check: {question}"
        trainer_only = ("guidance",)
        answers = ("right", "feedback")

    def clean(self, value):
        value = super().clean(value)
        if not any(option["right"] for option in value["options"]):
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError("Mark at least one option as right.")}
            )
        return value


class ReflectionPromptBlock(CurriculumBlock):
    prompt = blocks.CharBlock(
        max_length=300, help_text="What to think about, in a sentence or two."
    )
    questions = blocks.ListBlock(
        LineBlock(max_length=200, label="Question"),
        required=False,
        help_text="The questions to answer, one to a box. A journal entry started from this "
        "prompt has them as its headings.",
    )
    framework = blocks.ChoiceBlock(choices=FRAMEWORKS, default="gibbs")

    class Meta:
        icon = "edit"
        template = "blocks/reflection_prompt.html"
        label_format = "Reflect: {prompt}"
        description = "A prompt for the reflective journal, with a framework."


class TrainerNoteBlock(blocks.StructBlock):
    text = LabelledRichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/trainer_note.html"
        label_format = "Trainer note: {text}"
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
        label_format = "Image: {alt_text}"
        description = "A picture with its caption."


class CurriculumTableBlock(CurriculumBlock):
    caption = blocks.CharBlock(max_length=200)
    table = TableBlock()

    class Meta:
        icon = "table"
        template = "blocks/table.html"
        label_format = "Table: {caption}"
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
        label_format = "{minutes} min: {activity}"


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
        description = "A training day and its sessions in order."
