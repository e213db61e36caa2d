"""The forms of the staff screens that start and change cohorts. They only collect facts:
the rules are in ``cohorts/services``."""

from datetime import datetime

from django import forms
from django.utils import timezone

from courses.models import ProgrammePage, SessionPage
from courses.outline import session_ids
from kernel.converters import IdChoiceField, IdMultipleChoiceField
from kernel.people import person_name

from . import services
from .models import Delivery, Membership, Trainee

NEW_TRAINEE_ROWS = 6
WEEKDAY_CHOICES = list(enumerate(services.planning.WEEKDAYS))
NEW_STATUS_CHOICES = [
    (Trainee.RoleStatus.ASPIRING, "Aspiring"),
    (Trainee.RoleStatus.ACTIVE, "Active"),
]


# Dates and times are typed as text, the same on every browser and language: a browser's own
# date picker orders day and month by its locale, which a keyboard user cannot see coming.
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
DATE_HINT = "For example, 15/3/2027."
TIME_HINT = "For example, 09:30 or 13:45."


class DateInput(forms.DateInput):
    def __init__(self, **kwargs):
        attrs = {"class": "govuk-input--width-10", "autocomplete": "off"}
        super().__init__(format="%d/%m/%Y", attrs=attrs, **kwargs)


class TimeInput(forms.TimeInput):
    def __init__(self, **kwargs):
        attrs = {"class": "govuk-input--width-5", "autocomplete": "off"}
        super().__init__(format="%H:%M", attrs=attrs, **kwargs)


def date_field(label: str, required: str, **options) -> forms.DateField:
    return forms.DateField(
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        label=label,
        help_text=options.pop("help_text", DATE_HINT),
        error_messages={"required": required, "invalid": "Give a real date, like 15/3/2027."},
        **options,
    )


def time_field(label: str, required: str, **options) -> forms.TimeField:
    return forms.TimeField(
        widget=TimeInput(),
        input_formats=TIME_FORMATS,
        label=label,
        help_text=TIME_HINT,
        error_messages={"required": required, "invalid": "Give a time, like 13:45."},
        **options,
    )


def trainee_label(trainee: Trainee) -> str:
    return f"{trainee.display_name} ({trainee.get_role_status_display().lower()})"


class StaffChoices:
    """Staff of the prison, named as people are named everywhere."""

    @staticmethod
    def set(field, establishment):
        field.queryset = services.cohort_staff(establishment).order_by("first_name", "last_name")
        field.label_from_instance = person_name


class NewTraineesMixin:
    """Up to six people added there and then: a name, a prison number if known, and whether
    they are aspiring or already active."""

    def add_new_trainee_fields(self):
        for n in range(NEW_TRAINEE_ROWS):
            self.fields[f"new_name_{n}"] = forms.CharField(
                required=False, max_length=80, label=f"Name of new trainee {n + 1}"
            )
            self.fields[f"new_number_{n}"] = forms.CharField(
                required=False, max_length=20, label=f"Prison number of new trainee {n + 1}"
            )
            self.fields[f"new_status_{n}"] = forms.ChoiceField(
                choices=NEW_STATUS_CHOICES,
                initial=Trainee.RoleStatus.ASPIRING,
                required=False,
                label=f"Role of new trainee {n + 1}",
            )
            self.fields[f"new_large_print_{n}"] = forms.BooleanField(
                required=False, label=f"New trainee {n + 1} needs large print"
            )

    def new_trainee_rows(self):
        return [
            (
                n,
                self[f"new_name_{n}"],
                self[f"new_number_{n}"],
                self[f"new_status_{n}"],
                self[f"new_large_print_{n}"],
            )
            for n in range(NEW_TRAINEE_ROWS)
        ]

    def new_trainees(self) -> list[services.NewTrainee]:
        people = []
        for n in range(NEW_TRAINEE_ROWS):
            name = self.cleaned_data.get(f"new_name_{n}", "").strip()
            number = self.cleaned_data.get(f"new_number_{n}", "").strip()
            if name or number:
                status = self.cleaned_data.get(f"new_status_{n}") or Trainee.RoleStatus.ASPIRING
                large_print = bool(self.cleaned_data.get(f"new_large_print_{n}"))
                people.append(services.NewTrainee(name, number, status, large_print))
        return people

    def clean_new_rows(self):
        for n in range(NEW_TRAINEE_ROWS):
            if self.cleaned_data.get(f"new_number_{n}") and not self.cleaned_data.get(
                f"new_name_{n}"
            ):
                self.add_error(f"new_name_{n}", "Give the new trainee's name, not only a number.")


class StartCohortForm(NewTraineesMixin, forms.Form):
    programme = IdChoiceField(
        queryset=ProgrammePage.objects.none(),
        empty_label="Choose a programme",
        error_messages={"required": "Choose the programme."},
    )
    name = forms.CharField(
        max_length=120,
        help_text='For example: "Cycle 3, spring".',
        error_messages={"required": "Give the cohort a name."},
    )
    lead_trainer = IdChoiceField(
        queryset=None,
        empty_label="Choose the lead trainer",
        error_messages={"required": "Choose the lead trainer."},
    )
    co_trainers = IdMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Co-trainers"
    )
    trainees = IdMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Peer workers of this prison",
    )

    def __init__(self, establishment, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = ProgrammePage.objects.live().order_by("path")
        StaffChoices.set(self.fields["lead_trainer"], establishment)
        StaffChoices.set(self.fields["co_trainers"], establishment)
        self.fields["trainees"].queryset = services.joinable_trainees(establishment)
        self.fields["trainees"].label_from_instance = trainee_label
        self.add_new_trainee_fields()

    def clean(self):
        super().clean()
        self.clean_new_rows()


class ScheduleForm(forms.Form):
    first_date = date_field("First possible date", "Give the first date.")
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Days of the week the regime allows",
        initial=[0, 1, 2, 3],
        error_messages={"required": "Choose at least one day of the week."},
    )
    morning_start = time_field(
        "Morning sessions start at", "Give the morning start time.", initial="09:00"
    )
    afternoon_start = time_field(
        "Afternoon sessions start at", "Give the afternoon start time.", initial="13:30"
    )
    room = forms.CharField(max_length=120, required=False, label="Room")
    closed_dates = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Dates the prison is closed to training",
        help_text="One a line, like 15/3/2027. No session is put on them.",
    )

    def clean_closed_dates(self) -> frozenset:
        days, bad = set(), []
        for line in self.cleaned_data["closed_dates"].replace(",", "\n").splitlines():
            text = line.strip()
            if not text:
                continue
            for pattern in DATE_FORMATS:
                try:
                    days.add(datetime.strptime(text, pattern).date())  # noqa: DTZ007
                    break
                except ValueError:
                    continue
            else:
                bad.append(text)
        if bad:
            raise forms.ValidationError(f"These are not dates: {', '.join(bad[:3])}.")
        return frozenset(days)

    def regime(self) -> services.Regime:
        data = self.cleaned_data
        return services.Regime(
            first_date=data["first_date"],
            weekdays=frozenset(data["weekdays"]),
            morning_start=data["morning_start"],
            afternoon_start=data["afternoon_start"],
            room=data["room"],
            closed_dates=data["closed_dates"],
        )


def aware(day, at):
    return timezone.make_aware(datetime.combine(day, at))


class MoveForm(forms.Form):
    date = date_field("New date", "Give the new date.")
    time = time_field("Start time", "Give the start time.")
    room = forms.CharField(max_length=120, required=False, label="Room")

    def starts_at(self):
        return aware(self.cleaned_data["date"], self.cleaned_data["time"])


class CancelForm(forms.Form):
    because = forms.ChoiceField(
        choices=Delivery.CancelledBecause.choices,
        widget=forms.RadioSelect,
        label="Why is it cancelled?",
        error_messages={"required": "Choose why the session is cancelled."},
    )
    note = forms.CharField(
        max_length=200,
        required=False,
        label="More about why (optional)",
        help_text="Needed when the reason is “Other reason”.",
    )


class AddDeliveryForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(Delivery.Kind.CATCH_UP, "Catch-up"), (Delivery.Kind.REFRESHER, "Refresher")],
        widget=forms.RadioSelect,
        label="What kind of session",
        error_messages={"required": "Choose a catch-up or a refresher."},
    )
    session = IdChoiceField(
        queryset=SessionPage.objects.none(),
        empty_label="Choose a session",
        error_messages={"required": "Choose the session."},
    )
    date = date_field("Date", "Give the date.")
    time = time_field("Start time", "Give the start time.")
    room = forms.CharField(max_length=120, required=False, label="Room")

    def __init__(self, cohort, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = session_ids(cohort.programme)
        self.fields["session"].queryset = SessionPage.objects.filter(pk__in=ids).only("title")
        self.fields["session"].label_from_instance = lambda s: s.title


class LeavingForm(forms.Form):
    because = forms.ChoiceField(
        choices=Membership.LeftBecause.choices,
        widget=forms.RadioSelect,
        label="Why are they leaving?",
        error_messages={"required": "Choose why they left."},
    )
    left_on = date_field("Date they left", "Give the date they left.")


class JoinForm(NewTraineesMixin, forms.Form):
    joined_on = date_field("Date they join", "Give the date they join.")
    trainees = StartCohortForm.base_fields["trainees"]

    def __init__(self, cohort, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = cohort.memberships.values("trainee_id")
        self.fields["trainees"].queryset = services.joinable_trainees(cohort.establishment).exclude(
            pk__in=members
        )
        self.fields["trainees"].label_from_instance = trainee_label
        self.add_new_trainee_fields()

    def clean(self):
        super().clean()
        self.clean_new_rows()


class ShadowingForm(forms.Form):
    experienced_worker = IdChoiceField(
        queryset=Trainee.objects.none(),
        label="Experienced peer worker they shadow",
        empty_label="Choose a peer worker",
        error_messages={"required": "Choose who they shadow."},
    )
    starts_on = date_field("First day", "Give the first day.")
    ends_on = date_field(
        "Last day", "Give the last day.", help_text="Two weeks at least, like 15/3/2027."
    )

    def __init__(self, trainee, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experienced_worker"].queryset = Trainee.objects.filter(
            establishment=trainee.establishment, role_status=Trainee.RoleStatus.ACTIVE
        ).exclude(pk=trainee.pk)
        self.fields["experienced_worker"].label_from_instance = lambda t: t.display_name


class ShadowingNoteForm(forms.Form):
    day = date_field("Day", "Give the day.")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What happened",
        max_length=2000,
        error_messages={"required": "Write what happened that day."},
    )
