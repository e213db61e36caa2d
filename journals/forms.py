"""The journal editor's forms. The section boxes depend on the framework chosen: one Markdown
box (with its live preview) per section."""

from django import forms
from django.utils import timezone
from markdownx.widgets import MarkdownxWidget

from courses.models import SessionPage
from kernel.converters import IdMultipleChoiceField
from kernel.people import person_name

from .models import QUESTIONS_LIMIT, Framework, framework_sections, frameworks_for
from .rendering import validate_markdown_length
from .services import PROMPT_LIMIT

SECTION_PREFIX = "section-"


class SectionWidget(MarkdownxWidget):
    """markdownx's textarea alone: the editor template places the label, hint and preview."""

    template_name = "django/forms/widgets/textarea.html"


def section_field_name(key: str) -> str:
    return f"{SECTION_PREFIX}{key}"


def clean_questions(questions) -> list[str]:
    """A reflection prompt's questions as sent in an address or a form: text only, trimmed,
    no empty ones, no more than an entry keeps."""
    kept = [" ".join(str(question).split())[:PROMPT_LIMIT] for question in questions]
    return [question for question in kept if question][:QUESTIONS_LIMIT]


class EntryForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        required=False,
        error_messages={"max_length": "Keep the title under 200 characters"},
    )
    written_on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    framework = forms.ChoiceField(
        choices=Framework.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a way to write your reflection"},
    )
    session = forms.ModelChoiceField(
        queryset=SessionPage.objects.live().order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label="No session",
        label="Session it is about (optional)",
    )
    prompt = forms.CharField(required=False, widget=forms.HiddenInput)
    sections_framework = forms.ChoiceField(choices=Framework.choices, widget=forms.HiddenInput)

    def __init__(self, *args, sections_framework: str, questions=(), draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.questions = clean_questions(questions)
        self.fields["framework"].choices = frameworks_for(self.questions)
        self.fields["sections_framework"].choices = frameworks_for(self.questions)
        if sections_framework == Framework.QUESTIONS and not self.questions:
            sections_framework = Framework.FREE
        self.sections_framework = sections_framework
        self.fields["sections_framework"].initial = sections_framework
        self.fields["written_on"].initial = timezone.localdate
        for key, heading, question in self.section_list():
            self.fields[section_field_name(key)] = forms.CharField(
                label=heading,
                help_text=question,
                required=False,
                strip=False,  # leading spaces matter in Markdown (an indented block)
                validators=[validate_markdown_length],
                widget=SectionWidget(
                    attrs={
                        "class": "govuk-textarea app-editor__box govuk-js-character-count",
                        "rows": 7,
                        "aria-describedby": f"id_{section_field_name(key)}-hint "
                        f"id_{section_field_name(key)}-info",
                    }
                ),
            )

    def section_list(self) -> list[tuple[str, str, str]]:
        return framework_sections(self.sections_framework, self.questions)

    def clean_prompt(self) -> str:
        return self.cleaned_data["prompt"].strip()[:PROMPT_LIMIT]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title and not self.draft:
            raise forms.ValidationError("Enter a title")
        return title

    def section_fields(self):
        """(bound field) for each section box, in the framework's order."""
        return [self[section_field_name(key)] for key, _, _ in self.section_list()]

    def sections(self) -> dict:
        return {
            key: self.cleaned_data.get(section_field_name(key), "")
            for key, _, _ in self.section_list()
        }

    def typed_sections(self) -> dict:
        """The section text as sent, valid or not (for carrying over to another framework)."""
        return {
            key: self.data.get(section_field_name(key), "") for key, _, _ in self.section_list()
        }

    def errors_for_summary(self) -> list[tuple[str, str]]:
        ids = {"framework": "id_framework_0"}
        return [
            (ids.get(name, f"id_{name}"), message)
            for name, messages in self.errors.items()
            for message in messages
        ]


class TypedUpForm(EntryForm):
    """Staff typing up a reflection from a paper workbook, with the trainee's consent."""

    consent = forms.BooleanField(
        required=False,
        label="The trainee agreed to this being typed up and shared with the supervisors "
        "chosen below",
    )
    supervisors = IdMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Share with",
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = supervisors
        self.fields["supervisors"].label_from_instance = person_name

    def clean_consent(self) -> bool:
        if not self.cleaned_data["consent"]:
            raise forms.ValidationError(
                "Tick the box to say the trainee agreed to this being typed up and shared"
            )
        return True
