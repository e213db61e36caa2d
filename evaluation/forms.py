"""Forms of the evaluation app: the questionnaire editor in the CMS, the answers to a
questionnaire (on screen or keyed in from paper) and who a paper form was from."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms.models import WagtailAdminModelForm

from cohorts.models import Delivery, Establishment, Membership
from kernel import clock
from kernel.converters import IdChoiceField

from .models import Item, Questionnaire, TimePoint

MIN_CHOICES, MAX_CHOICES = 2, 7


class QuestionnaireForm(WagtailAdminModelForm):
    """The CMS form of a questionnaire: time points as checkboxes, the answer labels one a
    line, and checks that a scale can be scored."""

    time_points = forms.MultipleChoiceField(
        choices=TimePoint.choices,
        widget=forms.CheckboxSelectMultiple,
        label="When it is given",
        error_messages={"required": "Choose at least one time when it is given."},
    )
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 7}),
        required=False,
        label="Answer labels",
        help_text="One a line, from the lowest score to the highest, e.g. Strongly disagree, "
        "Disagree, Agree, Strongly agree. 2 to 7 labels. Rating questions are answered with "
        "these.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.initial.get("choices"), list):
            self.initial["choices"] = "\n".join(self.initial["choices"])

    def clean_time_points(self) -> list[str]:
        chosen = self.cleaned_data["time_points"]
        return [value for value in TimePoint.values if value in chosen]

    def clean_choices(self) -> list[str]:
        labels = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        return [label for label in labels if label]

    def clean(self):
        cleaned = super().clean()
        items = self._items()
        ratings = [i for i in items if i.get("kind") == Item.Kind.RATING]
        labels = cleaned.get("choices")
        if labels is not None and (ratings or labels):
            if not MIN_CHOICES <= len(labels) <= MAX_CHOICES:
                self.add_error(
                    "choices",
                    f"Give {MIN_CHOICES} to {MAX_CHOICES} answer labels, one a line "
                    f"(there are {len(labels)}).",
                )
            elif len(set(labels)) != len(labels):
                self.add_error("choices", "Give each answer label once.")
        if cleaned.get("scale_name") and not [i for i in ratings if i.get("in_score")]:
            self.add_error(
                "scale_name",
                "A scale needs at least one rating question that counts towards the score. "
                "Add one, or leave the score's name empty.",
            )
        return cleaned

    def _items(self) -> list[dict]:
        """The questions as they will be saved (the ones not removed)."""
        formset = self.formsets.get("items") if hasattr(self, "formsets") else None
        if formset is None or not formset.is_valid():
            return [
                {"kind": item.kind, "in_score": item.in_score}
                for item in (self.instance.items.all() if self.instance.pk else [])
            ]
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def item_field_name(item: Item) -> str:
    return f"item-{item.pk}"


class AnswersForm(forms.Form):
    """The questions of one questionnaire: a choice for each rating question (all required),
    writing for each free-text question (optional)."""

    def __init__(self, questionnaire: Questionnaire, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.items = list(questionnaire.items.all())
        choices = [(str(n), label) for n, label in enumerate(questionnaire.choices)]
        for number, item in enumerate(self.items, 1):
            if item.kind == Item.Kind.RATING:
                field = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": f"Choose an answer for question {number}",
                        "invalid_choice": f"Choose one of the answers for question {number}",
                    },
                )
            else:
                field = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
            field.label = item.text
            field.number = number
            field.item = item
            self.fields[item_field_name(item)] = field

    def answers(self) -> dict[int, int | str]:
        return {item.pk: self.cleaned_data[item_field_name(item)] for item in self.items}

    def questions(self) -> list[dict]:
        """Each question as the templates show it: number, text, input ids and names, the
        answer labels with the one chosen, any error."""
        questions = []
        for item in self.items:
            bound = self[item_field_name(item)]
            value = bound.value()
            question = {
                "number": bound.field.number,
                "text": item.text,
                "kind": item.kind,
                "name": bound.html_name,
                "id": bound.auto_id,
                "error": bound.errors[0] if bound.errors else "",
            }
            if item.kind == Item.Kind.RATING:
                chosen = "" if value is None else str(value)
                question["choices"] = [
                    {"value": str(n), "label": label, "checked": str(n) == chosen}
                    for n, label in enumerate(self.questionnaire.choices)
                ]
                question["first_id"] = f"{bound.auto_id}-0"
            else:
                question["value"] = value or ""
                question["first_id"] = bound.auto_id
            questions.append(question)
        return questions

    def error_list(self) -> list[tuple[str, str]]:
        """(input id, message) for the error summary, in question order."""
        return [(q["first_id"], q["error"]) for q in self.questions() if q["error"]]


class MembershipChoiceField(IdChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        return membership.trainee.display_name


class DeliveryChoiceField(IdChoiceField):
    def label_from_instance(self, delivery: Delivery) -> str:
        return f"{delivery.session.title}, {delivery.starts_at:%a %-d %b %Y, %H:%M}"


class PaperDetailsForm(forms.Form):
    """Whose paper form it is (a trainee in a cohort, or for the form of people receiving
    support only the prison), when it was given and the date written on it."""

    membership = MembershipChoiceField(
        queryset=Membership.objects.none(),
        label="Trainee",
        empty_label="Choose a trainee",
        error_messages={"required": "Choose the trainee whose form it is"},
    )
    establishment = IdChoiceField(
        queryset=Establishment.objects.none(),
        label="Prison",
        empty_label=None,
        error_messages={"required": "Choose the prison the form came from"},
    )
    time_point = forms.ChoiceField(
        label="When it was given",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the form was given"},
    )
    delivery = DeliveryChoiceField(
        queryset=Delivery.objects.none(),
        label="Session",
        required=False,
        empty_label="Choose the session",
    )
    completed_on = forms.DateField(
        label="Date on the form",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date on the form",
            "invalid": "Enter the date on the form as a real date",
        },
    )

    def __init__(
        self, questionnaire: Questionnaire, memberships, establishments, deliveries, *args, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.anonymous = questionnaire.audience == Questionnaire.Audience.SUPPORTED
        if self.anonymous:
            del self.fields["membership"]
            self.fields["establishment"].queryset = establishments
        else:
            del self.fields["establishment"]
            self.fields["membership"].queryset = memberships
        self.fields["time_point"].choices = [
            (value, TimePoint(value).label) for value in questionnaire.time_points
        ]
        if len(questionnaire.time_points) == 1:
            self.fields["time_point"].initial = questionnaire.time_points[0]
            self.fields["time_point"].widget = forms.HiddenInput()
        if TimePoint.AFTER_SESSION in questionnaire.time_points and not self.anonymous:
            self.fields["delivery"].queryset = deliveries
        else:
            del self.fields["delivery"]
        self.fields["completed_on"].initial = clock.today()

    def grouped(self, name: str) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """The choices of the trainee or session select, grouped by cohort, for <optgroup>s:
        (cohort name, [(value, label, selected)])."""
        field = self.fields[name]
        chosen = str(self[name].value() or "")
        groups: list[tuple[str, list]] = []
        for record in field.queryset:
            if not groups or groups[-1][0] != record.cohort.name:
                groups.append((record.cohort.name, []))
            value = str(record.pk)
            groups[-1][1].append((value, field.label_from_instance(record), value == chosen))
        return groups

    def clean_completed_on(self) -> date:
        day = self.cleaned_data["completed_on"]
        if day > clock.today():
            raise ValidationError("The date on the form cannot be in the future")
        return day

    def clean(self):
        cleaned = super().clean()
        if "delivery" not in self.fields:
            return cleaned
        delivery, membership = cleaned.get("delivery"), cleaned.get("membership")
        if cleaned.get("time_point") == TimePoint.AFTER_SESSION:
            if delivery is None:
                self.add_error("delivery", "Choose the session the feedback is about")
            elif membership is not None and delivery.cohort_id != membership.cohort_id:
                self.add_error("delivery", "Choose a session of the trainee's cohort")
        elif delivery is not None:
            cleaned["delivery"] = None
        return cleaned


PAPER_FORM_CSS = "printing/questionnaire-form.css"
WRITE_LINES = 5  # ruled lines under a free-text question on paper
# The time points as ticked at the top of a paper form: short, so they fit on one line.
PAPER_TIME_POINTS = {
    TimePoint.BEFORE: "Before the programme",
    TimePoint.END: "At the end",
    TimePoint.FOLLOW_UP: "3 months after",
    TimePoint.AFTER_SESSION: "After a session",
}


@dataclass(frozen=True)
class PaperForm:
    """A questionnaire laid out for paper: its questions numbered as on screen, in runs of
    rating questions (one grid each) and free-text questions (lines to write on)."""

    questionnaire: Questionnaire
    runs: tuple[tuple[str, tuple[tuple[int, Item], ...]], ...]
    time_points: tuple[tuple[str, str], ...]
    write_lines: range = range(WRITE_LINES)

    @property
    def anonymous(self) -> bool:
        return self.questionnaire.audience == Questionnaire.Audience.SUPPORTED

    @property
    def asks_session(self) -> bool:
        return TimePoint.AFTER_SESSION in self.questionnaire.time_points


def paper_form(questionnaire: Questionnaire) -> PaperForm:
    runs: list[tuple[str, list]] = []
    for number, item in enumerate(questionnaire.items.all(), 1):
        if not runs or runs[-1][0] != item.kind:
            runs.append((item.kind, []))
        runs[-1][1].append((number, item))
    return PaperForm(
        questionnaire=questionnaire,
        runs=tuple((kind, tuple(items)) for kind, items in runs),
        time_points=tuple(
            (value, PAPER_TIME_POINTS[value])
            for value in TimePoint.values
            if value in questionnaire.time_points
        ),
    )
