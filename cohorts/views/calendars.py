"""Timetables as iCalendar: a download for signed-in staff, and a secret address per person
that a calendar app can subscribe to without signing in. No trainee names either way."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..access import cohort_for, staff_only, visible_cohorts


def ics(content: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@staff_only
def cohort_calendar(request, pk: int):
    cohort = cohort_for(request.user, pk)
    deliveries = services.calendar_deliveries([cohort])
    content = services.calendar_of(deliveries, f"{cohort.name}, {cohort.establishment.name}")
    return ics(content, f"cohort-{cohort.pk}.ics", download=True)


@staff_only
def my_calendar(request):
    deliveries = services.trainer_deliveries(request.user, visible_cohorts(request.user))
    return ics(
        services.calendar_of(deliveries, "My training sessions"), "my-sessions.ics", download=True
    )


@staff_only
def calendar_page(request):
    """The person's secret calendar addresses, and a button to change them."""
    token = services.feed_token(request.user)
    mine = request.build_absolute_uri(reverse("cohorts:feed_mine", args=[token]))
    cohorts = (
        visible_cohorts(request.user)
        .select_related("establishment")
        .exclude(status="cancelled")
        .order_by("establishment__name", "-start_date")
    )
    feeds = []
    for cohort in cohorts:
        url = reverse("cohorts:feed_cohort", args=[token, cohort.pk])
        feeds.append((cohort, request.build_absolute_uri(url)))
    context = {"mine": mine, "cohorts": feeds}
    return TemplateResponse(request, "cohorts/calendar.html", context)


@staff_only
@require_POST
def reset_calendar(request):
    services.reset_feed_token(request.user)
    messages.success(request, "Your calendar addresses have changed. The old ones no longer work.")
    return redirect("cohorts:calendar")


def feed_user(token: str):
    user = services.feed_owner(token)
    if user is None or not user.has_perm("cohorts.view_cohort"):
        raise Http404
    return user


@login_not_required
def feed_mine(request, token: str):
    user = feed_user(token)
    deliveries = services.trainer_deliveries(user, visible_cohorts(user))
    return ics(
        services.calendar_of(deliveries, "My training sessions"), "my-sessions.ics", download=False
    )


@login_not_required
def feed_cohort(request, token: str, pk: int):
    user = feed_user(token)
    cohort = cohort_for(user, pk)
    content = services.calendar_of(
        services.calendar_deliveries([cohort]), f"{cohort.name}, {cohort.establishment.name}"
    )
    return ics(content, f"cohort-{cohort.pk}.ics", download=False)
