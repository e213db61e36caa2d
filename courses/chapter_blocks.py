"""StreamField blocks for the book chapters written in the CMS.

Used by ``workbook_content.WorkbookChapter`` (workbook-only chapters) and
``trainer_resources.TrainerChapter`` (trainer-only chapters and printable forms). Each block
renders for print with its own template in ``templates/printing/blocks/``; a form's template
reads the programme's sessions (``sessions`` in the book's context) to lay out its grid.
"""

from wagtail import blocks

from courses.blocks import TEXT_FEATURES


class HeadingBlock(blocks.CharBlock):
    def __init__(self, **kwargs):
        super().__init__(max_length=120, **kwargs)

    class Meta:
        icon = "title"
        template = "printing/blocks/heading.html"
        description = "A heading inside the chapter."


class TextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "printing/blocks/text.html"
        description = "Paragraphs and lists."


class KeyPointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default="Key points")
    points = blocks.ListBlock(blocks.CharBlock(max_length=200))

    class Meta:
        icon = "list-ul"
        template = "printing/blocks/key_points.html"
        description = "A box of the few things to remember."


class DoesAndDoesNotBlock(blocks.StructBlock):
    does_heading = blocks.CharBlock(max_length=80, default="A buddy does")
    does = blocks.ListBlock(blocks.CharBlock(max_length=200))
    does_not_heading = blocks.CharBlock(max_length=80, default="A buddy does not")
    does_not = blocks.ListBlock(blocks.CharBlock(max_length=200))

    class Meta:
        icon = "tasks"
        template = "printing/blocks/does_and_does_not.html"
        description = "Two lists side by side: what the role is, and what it is not."


class FillInBlock(blocks.StructBlock):
    intro = blocks.CharBlock(max_length=250, required=False)
    labels = blocks.ListBlock(
        blocks.CharBlock(max_length=120), help_text="Each label gets a line to write on."
    )

    class Meta:
        icon = "form"
        template = "printing/blocks/fill_in.html"
        description = "Labelled lines to fill in, such as 'My supervisor is'."


class WriteInBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300)
    lines = blocks.IntegerBlock(min_value=1, max_value=30, default=6)

    class Meta:
        icon = "edit"
        template = "printing/blocks/write_in.html"
        description = "A question with ruled lines to write the answer on."


class TermBlock(blocks.StructBlock):
    term = blocks.CharBlock(max_length=80)
    meaning = blocks.CharBlock(max_length=400)


class GlossaryBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(TermBlock(), **kwargs)

    class Meta:
        icon = "list-ol"
        template = "printing/blocks/glossary.html"
        description = "Words and what they mean, printed in A to Z order."


class StageBlock(blocks.StructBlock):
    stage = blocks.CharBlock(max_length=80)
    what_happens = blocks.TextBlock()
    evidence = blocks.TextBlock(help_text="What shows the stage is done.")
    signed_by = blocks.CharBlock(max_length=120)


class StagesBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(StageBlock(), **kwargs)

    class Meta:
        icon = "list-ol"
        template = "printing/blocks/stages.html"
        description = "The train-the-trainers stages as a table."


class FrameworkStageBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    questions = blocks.ListBlock(blocks.CharBlock(max_length=250))


class FrameworkBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=120)
    intro = blocks.RichTextBlock(features=TEXT_FEATURES)
    stages = blocks.ListBlock(FrameworkStageBlock())

    class Meta:
        icon = "rotate"
        template = "printing/blocks/framework.html"
        description = "A reflective framework: its stages and the questions for each."


class CodeBlock(blocks.StructBlock):
    code = blocks.CharBlock(max_length=3)
    meaning = blocks.CharBlock(max_length=120)


class AttendanceRegisterBlock(blocks.StructBlock):
    instructions = blocks.RichTextBlock(features=TEXT_FEATURES)
    codes = blocks.ListBlock(CodeBlock())
    absence_reasons = blocks.ListBlock(blocks.CharBlock(max_length=60))
    rows = blocks.IntegerBlock(min_value=4, max_value=20, default=12)

    class Meta:
        icon = "table"
        template = "printing/blocks/attendance_register.html"
        description = "A blank register: one row per trainee, one column per session."


class FeedbackFormBlock(blocks.StructBlock):
    intro = blocks.RichTextBlock(features=TEXT_FEATURES)
    scale = blocks.ListBlock(blocks.CharBlock(max_length=30), help_text="Tick-box answers.")
    rating_questions = blocks.ListBlock(blocks.CharBlock(max_length=200))
    open_questions = blocks.ListBlock(blocks.CharBlock(max_length=200))
    lines = blocks.IntegerBlock(min_value=1, max_value=10, default=3)

    class Meta:
        icon = "comment"
        template = "printing/blocks/feedback_form.html"
        description = "A one-page feedback form for trainees to fill in after a session."


class SignOffRecordBlock(blocks.StructBlock):
    instructions = blocks.RichTextBlock(features=TEXT_FEATURES)
    stages = blocks.ListBlock(blocks.CharBlock(max_length=60))
    notes_lines = blocks.IntegerBlock(min_value=0, max_value=20, default=6)

    class Meta:
        icon = "tick-inverse"
        template = "printing/blocks/sign_off_record.html"
        description = "One local trainer's record: each session against each stage."
