"""Supervision meetings: one-to-one, group or offload, with wellbeing checks and actions.

A meeting's notes are for the supervisor who recorded it and for each peer worker's own row:
a peer worker sees their wellbeing, notes and actions, never another attendee's. Anyone else,
staff of the same prison included, gets 404. The rules are ``journals.services``'; the views
only collect the facts and choose what to show.
"""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from audit.services import NotTheirs
from cohorts.access import staff_establishments
from kernel import clock
from kernel.converters import parse_id

from .. import services
from ..access import SUPERVISE, own_trainee, supervisors_only
from ..models import (
    SupervisionAction,
    SupervisionAttendee,
    SupervisionMeeting,
    frameworks_for,
)
from ..rendering import validate_markdown_length

VIEW_OWN_PROGRESS = "cohorts.view_own_progress"
ACTION_ROWS = 3
WELLBEING_CHOICES = [(n, f"{n} – {label}") for n, label in services.WELLBEING_LABELS.items()]


def may_see_supervision(user) -> bool:
    return user.has_perm(SUPERVISE) or user.has_perm(VIEW_OWN_PROGRESS)


def supervision_list(request):
    """For a supervisor: each of their prisons with the peer workers overdue a meeting and the
    meetings they led. For a peer worker: their own meetings."""
    user = request.user
    if not may_see_supervision(user):
        raise PermissionDenied
    today = clock.today()
    places = []
    if user.has_perm(SUPERVISE):
        led = defaultdict(list)
        meetings = services.meetings_recorded_by(user).prefetch_related(
            Prefetch("attendees", queryset=SupervisionAttendee.objects.select_related("trainee")),
            "actions",
        )
        for meeting in meetings:
            meeting.open_actions = sum(not a.done for a in meeting.actions.all())
            meeting.overdue_actions = sum(
                services.is_overdue(a, today) for a in meeting.actions.all()
            )
            led[meeting.establishment_id].append(meeting)
        for establishment in staff_establishments(user):
            places.append(
                {
                    "establishment": establishment,
                    "overdue": services.supervision_overdue(establishment, today),
                    "meetings": led[establishment.pk],
                }
            )
    trainee = own_trainee(user) if user.has_perm(VIEW_OWN_PROGRESS) else None
    context = {
        "places": places,
        "is_supervisor": user.has_perm(SUPERVISE),
        "own_trainee": trainee,
        "own_attendances": services.attendances_of(trainee) if trainee else [],
        "weeks": services.supervision_interval().days // 7,
        "wellbeing_labels": services.WELLBEING_LABELS,
    }
    return TemplateResponse(request, "journals/supervision_list.html", context)


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the meeting",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the meeting.",
            "invalid": "Enter a real date, for example 3 11 2026.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=SupervisionMeeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of meeting."},
    )
    framework = forms.ChoiceField(
        label="Reflective framework used (optional)",
        choices=[("", "None"), *frameworks_for()],
        required=False,
    )


class AttendeeForm(forms.Form):
    """One peer worker of the prison: were they there, how are they doing, what was said."""

    present = forms.BooleanField(required=False)
    wellbeing = forms.TypedChoiceField(
        label="How are they doing?",
        choices=WELLBEING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a number from 1 to 5."},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        validators=[validate_markdown_length],
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, trainee, *args, **kwargs):
        super().__init__(*args, prefix=f"worker-{trainee.pk}", **kwargs)
        self.trainee = trainee

    def clean(self):
        data = super().clean()
        if data.get("present") and data.get("wellbeing") is None and "wellbeing" not in self.errors:
            self.add_error(
                "wellbeing", f"Choose how {self.trainee.display_name} is doing, from 1 to 5."
            )
        return data


class ActionForm(forms.Form):
    text = forms.CharField(label="Action", max_length=300, required=False)
    due_on = forms.DateField(
        label="Due by (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date for the action."},
    )
    whose = forms.TypedChoiceField(
        label="Whose action", coerce=int, required=False, empty_value=None
    )

    def __init__(self, number, workers, *args, **kwargs):
        super().__init__(*args, prefix=f"action-{number}", **kwargs)
        self.number = number
        self.fields["whose"].choices = [("", "Everyone at the meeting")] + [
            (w.pk, w.display_name) for w in workers
        ]


def chosen_establishment(request):
    """The prison the meeting is at: asked for by code, or the only one the user works in."""
    establishments = staff_establishments(request.user)
    code = request.POST.get("establishment") or request.GET.get("establishment")
    if code:
        return get_object_or_404(establishments, code=code), establishments
    if len(establishments) == 1:
        return establishments[0], establishments
    return None, establishments


@supervisors_only
def new_meeting(request):
    establishment, establishments = chosen_establishment(request)
    if establishment is None:
        return TemplateResponse(
            request, "journals/meeting_choose_prison.html", {"establishments": establishments}
        )
    workers = list(services.supervisable_workers(establishment).order_by("display_name"))
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, initial={"held_on": clock.today()})
    people = [AttendeeForm(worker, data) for worker in workers]
    actions = [ActionForm(n, workers, data) for n in range(1, ACTION_ROWS + 1)]
    errors = []
    if data is not None:
        valid = all(
            [form.is_valid()] + [p.is_valid() for p in people] + [a.is_valid() for a in actions]
        )
        if valid:
            by_pk = {w.pk: w for w in workers}
            try:
                meeting = services.record_meeting(
                    establishment=establishment,
                    supervisor=request.user,
                    held_on=form.cleaned_data["held_on"],
                    kind=form.cleaned_data["kind"],
                    framework=form.cleaned_data["framework"],
                    attendees=[
                        services.AttendeeRecord(
                            p.trainee, p.cleaned_data["wellbeing"], p.cleaned_data["notes"]
                        )
                        for p in people
                        if p.cleaned_data["present"]
                    ],
                    actions=[
                        services.ActionRecord(
                            a.cleaned_data["text"],
                            a.cleaned_data["due_on"],
                            by_pk.get(a.cleaned_data["whose"]),
                        )
                        for a in actions
                        if a.cleaned_data["text"].strip()
                    ],
                    today=clock.today(),
                )
            except services.SupervisionError as error:
                errors.append((error_anchor(error, people, actions), str(error)))
            else:
                messages.success(request, "Supervision meeting saved.")
                return redirect(reverse("journals:meeting_detail", args=[meeting.pk]))
        errors = form_errors(form, people, actions) + errors
    context = {
        "establishment": establishment,
        "several_prisons": len(establishments) > 1,
        "form": form,
        "people": people,
        "actions": actions,
        "errors": errors,
    }
    return TemplateResponse(request, "journals/meeting_form.html", context)


def form_errors(form, people, actions) -> list[tuple[str, str]]:
    found = []
    for name, messages_ in form.errors.items():
        anchor = f"id_{name}_0" if name == "kind" else f"id_{name}"
        found += [(anchor, m) for m in messages_]
    for person in people:
        for name, messages_ in person.errors.items():
            suffix = "_0" if name == "wellbeing" else ""
            found += [(f"id_{person.prefix}-{name}{suffix}", m) for m in messages_]
    for action in actions:
        for name, messages_ in action.errors.items():
            found += [(f"id_{action.prefix}-{name}", m) for m in messages_]
    return found


def error_anchor(error, people, actions) -> str:
    """Where on the form a rule's refusal points."""
    if error.code == "in_the_future":
        return "id_held_on"
    if error.code == "unknown_kind":
        return "id_kind_0"
    if error.code == "too_long":
        return next(
            (f"id_{p.prefix}-notes" for p in people if p.trainee.display_name in error.message),
            "id_held_on",
        )
    if error.code in ("empty_action", "action_for_someone_absent") and actions:
        return f"id_{actions[0].prefix}-text"
    if people:
        return f"id_{people[0].prefix}-present"
    return "id_held_on"


def meeting_for(request, pk: int):
    """The meeting and the attendee rows this person may read: all of them for the supervisor
    who recorded it, their own for a peer worker who was there; 404 for anyone else."""
    user = request.user
    if not may_see_supervision(user):
        raise PermissionDenied
    meeting = get_object_or_404(
        SupervisionMeeting.objects.select_related("establishment", "supervisor"), pk=pk
    )
    attendees = meeting.attendees.select_related("trainee").order_by("trainee__display_name")
    if (
        meeting.supervisor_id == user.pk
        and user.has_perm(SUPERVISE)
        and staff_establishments(user).filter(pk=meeting.establishment_id).exists()
    ):
        return meeting, list(attendees), True
    if user.has_perm(VIEW_OWN_PROGRESS):
        own = [a for a in attendees if a.trainee.user_id == user.pk]
        if own:
            return meeting, own, False
    raise NotTheirs(f"supervision meeting {meeting.pk}")


def meeting_detail(request, pk: int):
    meeting, attendees, as_supervisor = meeting_for(request, pk)
    if request.method == "POST":
        action = get_object_or_404(
            SupervisionAction.objects.select_related("meeting", "attendee__trainee"),
            pk=parse_id(request.POST.get("action")) or 0,
            meeting=meeting,
        )
        try:
            services.complete_action(request.user, action)
        except services.SupervisionError as error:
            raise Http404 from error
        messages.success(request, "Action marked as done.")
        return redirect(reverse("journals:meeting_detail", args=[meeting.pk]))
    today = clock.today()
    visible = {a.pk for a in attendees}
    actions = [
        action
        for action in meeting.actions.select_related("attendee__trainee")
        if action.attendee_id is None or action.attendee_id in visible
    ]
    for action in actions:
        action.overdue = services.is_overdue(action, today)
        action.can_complete = not action.done and services.can_complete(request.user, action)
    names = [a.trainee.display_name for a in attendees]
    context = {
        "meeting": meeting,
        "attendees": attendees,
        "actions": actions,
        "as_supervisor": as_supervisor,
        "names": names,
        "wellbeing_labels": services.WELLBEING_LABELS,
    }
    return TemplateResponse(request, "journals/meeting_detail.html", context)
