"""Staff screens that start, schedule and change cohorts, for staff allowed to run cohorts at
the establishment (local trainers and facilitators). Every change goes through
``cohorts/services``; these views only collect the facts and show what the rules say."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .. import forms, services
from ..access import (
    RUN_COHORTS,
    cohort_for,
    delivery_for,
    establishment_for,
    staff_establishments,
    trainee_for,
)
from ..models import Membership, ShadowingPlacement

runners_only = permission_required(RUN_COHORTS, raise_exception=True)
NEW_TRAINEE_FIELD = "new_name_0"


def posted(request):
    """The form data of a POST, even an empty one (which is then refused, not ignored)."""
    return request.POST if request.method == "POST" else None


def error_id(form, name: str) -> str:
    if name not in form.fields:
        name = next(iter(form.fields))
    if getattr(form.fields[name].widget, "input_type", "") in ("radio", "checkbox"):
        return f"id_{name}_0"
    return f"id_{name}"


def summary(form) -> list[tuple[str, str]]:
    """The error summary's links: each problem, pointing at its field."""
    return [
        (error_id(form, name), message)
        for name, problems in form.errors.items()
        for message in problems
    ]


def refused(form, error: services.CohortError) -> None:
    field = getattr(error, "field", None)
    if field == "new_trainees":
        field = NEW_TRAINEE_FIELD
    form.add_error(field if field in form.fields else None, error.message)


def form_page(request, form, *, heading, caption, button, intro="", cohort=None, status=200):
    context = {
        "form": form,
        "errors": summary(form),
        "heading": heading,
        "caption": caption,
        "button": button,
        "intro": intro,
        "cohort": cohort,
    }
    return TemplateResponse(request, "cohorts/change_form.html", context, status=status)


def back_to(cohort, anchor: str = "timetable"):
    return redirect(reverse("cohorts:cohort_detail", args=[cohort.pk]) + f"#{anchor}")


@runners_only
def choose_establishment(request):
    """Where the new cohort runs: straight to the form for someone with one prison."""
    establishments = list(staff_establishments(request.user))
    if len(establishments) == 1:
        return redirect("cohorts:start_cohort", code=establishments[0].code)
    return TemplateResponse(
        request, "cohorts/choose_establishment.html", {"establishments": establishments}
    )


@runners_only
def start_cohort(request, code: str):
    establishment = establishment_for(request.user, code)
    form = forms.StartCohortForm(establishment, posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services.start_cohort(
                establishment,
                data["programme"],
                data["name"],
                data["lead_trainer"],
                list(data["co_trainers"]),
                list(data["trainees"]),
                form.new_trainees(),
                by=request.user,
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(request, f"{cohort.name} started. Now put its sessions on dates.")
            return redirect("cohorts:schedule", pk=cohort.pk)
    return form_page(
        request,
        form,
        heading="Start a cohort",
        caption=establishment.name,
        button="Start the cohort",
        intro="Choose the programme, who trains, and who takes part. You put it on dates next.",
    )


@runners_only
def schedule(request, pk: int):
    """Place the programme on dates: the timetable is shown first, and saved only when the
    trainer confirms it."""
    cohort = cohort_for(request.user, pk)
    form = forms.ScheduleForm(posted(request))
    planned = None
    if form.is_valid():
        try:
            planned = services.plan_timetable(cohort.programme, form.regime())
            if "confirm" in request.POST:
                deliveries = services.schedule_cohort(cohort, form.regime(), by=request.user)
                messages.success(request, f"{len(deliveries)} sessions are on the timetable.")
                return back_to(cohort)
        except services.CohortError as error:
            refused(form, error)
            planned = None
    context = {
        "cohort": cohort,
        "form": form,
        "errors": summary(form),
        "planned": planned,
        "scheduled": cohort.deliveries.filter(kind="programme").exists(),
    }
    return TemplateResponse(request, "cohorts/schedule.html", context)


@runners_only
def move_delivery(request, pk: int):
    delivery = delivery_for(request.user, pk)
    now = timezone.localtime(delivery.starts_at)
    initial = {"date": f"{now:%d/%m/%Y}", "time": f"{now:%H:%M}", "room": delivery.location}
    form = forms.MoveForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            moved = services.move_delivery(
                delivery, form.starts_at(), by=request.user, room=form.cleaned_data["room"]
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                f"{delivery.session.title} is now on "
                f"{timezone.localtime(moved.starts_at):%A %-d %B %Y}.",
            )
            return back_to(delivery.cohort)
    return form_page(
        request,
        form,
        heading=f"Move {delivery.session.title}",
        caption=f"{delivery.cohort.name}, now {now:%A %-d %B %Y, %H:%M}",
        button="Move the session",
        intro=(
            "A cancelled session goes back on the timetable on the new date; the cancellation "
            "stays on record."
        ),
        cohort=delivery.cohort,
    )


@runners_only
def cancel_delivery(request, pk: int):
    delivery = delivery_for(request.user, pk)
    when = timezone.localtime(delivery.starts_at)
    form = forms.CancelForm(posted(request))
    if form.is_valid():
        try:
            services.cancel_delivery(
                delivery, form.cleaned_data["because"], request.user, form.cleaned_data["note"]
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                f"{delivery.session.title} on {when:%-d %B} is cancelled. "
                "Use “Move” to put it on another date.",
            )
            return back_to(delivery.cohort)
    return form_page(
        request,
        form,
        heading=f"Cancel {delivery.session.title}",
        caption=f"{delivery.cohort.name}, {when:%A %-d %B %Y, %H:%M}",
        button="Cancel the session",
        cohort=delivery.cohort,
    )


@runners_only
def add_delivery(request, pk: int):
    cohort = cohort_for(request.user, pk)
    form = forms.AddDeliveryForm(cohort, posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_delivery(
                cohort,
                data["session"],
                data["kind"],
                forms.aware(data["date"], data["time"]),
                request.user,
                room=data["room"],
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(request, f"{data['session'].title} is on the timetable.")
            return back_to(cohort)
    return form_page(
        request,
        form,
        heading="Add a catch-up or refresher",
        caption=cohort.name,
        button="Add the session",
        intro=(
            "A catch-up's register lists only those who still need the session. Coming to a "
            "refresher puts back the date the next refresher is due."
        ),
        cohort=cohort,
    )


@runners_only
def record_leaving(request, pk: int, trainee_pk: int):
    cohort = cohort_for(request.user, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("trainee"), cohort=cohort, trainee_id=trainee_pk
    )
    form = forms.LeavingForm(posted(request))
    if form.is_valid():
        try:
            services.record_leaving(
                membership, form.cleaned_data["because"], form.cleaned_data["left_on"], request.user
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(request, f"{membership.trainee.display_name} has left the cohort.")
            return back_to(cohort, "trainees")
    return form_page(
        request,
        form,
        heading=f"{membership.trainee.display_name} is leaving",
        caption=cohort.name,
        button="Record that they left",
        intro=(
            "They come off the registers after this date and are counted as moved on, not as "
            "having stopped coming."
        ),
        cohort=cohort,
    )


@runners_only
def add_late_joiners(request, pk: int):
    cohort = cohort_for(request.user, pk)
    form = forms.JoinForm(cohort, posted(request))
    if form.is_valid():
        try:
            joined = services.add_late_joiners(
                cohort,
                list(form.cleaned_data["trainees"]),
                form.new_trainees(),
                form.cleaned_data["joined_on"],
                request.user,
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(
                request, f"{len(joined)} joined. Their catch-ups are on the completion page."
            )
            return back_to(cohort, "trainees")
    return form_page(
        request,
        form,
        heading="Add late joiners",
        caption=cohort.name,
        button="Add them",
        intro="The sessions held before they join become their catch-ups.",
        cohort=cohort,
    )


@runners_only
def record_shadowing(request, pk: int):
    trainee = trainee_for(request.user, pk)
    form = forms.ShadowingForm(trainee, posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_shadowing(
                trainee,
                data["experienced_worker"],
                data["starts_on"],
                data["ends_on"],
                by=request.user,
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(request, "Shadowing placement recorded.")
            return redirect(reverse("cohorts:trainee_progress", args=[trainee.pk]) + "#shadowing")
    return form_page(
        request,
        form,
        heading=f"Shadowing for {trainee.display_name}",
        caption=trainee.establishment.name,
        button="Record the placement",
    )


@runners_only
def add_shadowing_note(request, pk: int):
    placement = get_object_or_404(
        ShadowingPlacement.objects.select_related("new_worker", "experienced_worker"),
        pk=pk,
        new_worker__establishment__in=staff_establishments(request.user),
    )
    form = forms.ShadowingNoteForm(posted(request))
    if form.is_valid():
        try:
            services.add_shadowing_note(
                placement, form.cleaned_data["day"], form.cleaned_data["note"], request.user
            )
        except services.CohortError as error:
            refused(form, error)
        else:
            messages.success(request, "Log entry saved.")
            url = reverse("cohorts:trainee_progress", args=[placement.new_worker_id])
            return redirect(url + "#shadowing")
    return form_page(
        request,
        form,
        heading="Add to the shadowing log",
        caption=f"{placement.new_worker} with {placement.experienced_worker}",
        button="Save the entry",
    )
