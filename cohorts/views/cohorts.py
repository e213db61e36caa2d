"""Staff screens of cohorts and trainees, and a peer support worker's own progress."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Prefetch
from django.template.response import TemplateResponse
from django.urls import reverse

from kernel import clock

from .. import services
from ..access import (
    RUN_COHORTS,
    TAKE_REGISTER,
    cohort_for,
    shows_prison_number,
    staff_establishments,
    staff_only,
    trainee_for,
)
from ..models import Attendance, Cohort, Delivery, ShadowingPlacement, Trainee
from ..presenting import days_ahead


@staff_only
def cohort_list(request):
    """My establishments' cohorts, newest first, with the refreshers that are due."""
    today = clock.today()
    establishments = []
    for establishment in staff_establishments(request.user).prefetch_related(
        Prefetch("cohorts", queryset=establishment_cohorts())
    ):
        establishments.append(
            {
                "establishment": establishment,
                "cohorts": establishment.cohorts.all(),
                "refreshers_due": services.refreshers_due(establishment, today),
            }
        )
    return TemplateResponse(request, "cohorts/cohort_list.html", {"establishments": establishments})


def establishment_cohorts():
    return (
        Cohort.objects.select_related("programme", "lead_trainer")
        .annotate(members=Count("memberships", distinct=True))
        .order_by("-start_date", "name")
    )


# What the timetable shows: never a session's content, which is large to load.
TIMETABLE_FIELDS = [
    "cohort_id",
    "starts_at",
    "location",
    "led_by",
    "status",
    "disruption_reason",
    "kind",
    "cancelled_because",
    "cancellation_note",
    "moved_to_id",
    "session__title",
    "session__url_path",
    "lead_trainer__username",
    "lead_trainer__first_name",
    "lead_trainer__last_name",
]


def learning_view_path(cohort: Cohort) -> str:
    """The cohort's learning view (the ``learning`` app's ``learning:cohort``), where a trainer
    confirms a catch-up by self-study."""
    return reverse("learning:cohort", args=[cohort.pk])


def waiting_for_confirmation(results) -> list[tuple]:
    """(trainee, catch-up) for each session a trainee studied on screen and no trainer has
    confirmed yet, by trainee name then the programme's order."""
    return [
        (result.trainee, catch_up)
        for result in sorted_by_name(results)
        for catch_up in result.waiting_for_confirmation
    ]


@staff_only
def cohort_detail(request, pk: int):
    """A cohort: who is in it, how each is doing, and its timetable of deliveries."""
    cohort = cohort_for(request.user, pk)
    deliveries = list(
        cohort.deliveries.select_related("session", "lead_trainer")
        .only(*TIMETABLE_FIELDS)
        .prefetch_related("co_trainers")
    )
    results = services.cohort_completion(cohort)
    context = {
        "cohort": cohort,
        "deliveries": deliveries,
        "results": sorted_by_name(results.values()),
        "waiting": waiting_for_confirmation(results.values()),
        "learning_path": learning_view_path(cohort),
        "counts": services.completion_counts(results.values()),
        "local_share": services.local_delivery_share(deliveries),
        "co_trainers": cohort.co_trainers.all(),
        "show_prison_number": shows_prison_number(request.user, cohort.establishment),
        "can_take_register": request.user.has_perm(TAKE_REGISTER),
        "can_present": request.user.has_perm("courses.present_session"),
        "today": clock.today().isoformat(),
        "offline_days": days_ahead(deliveries, clock.today()),
        "can_run": request.user.has_perm(RUN_COHORTS),
        "scheduled": any(d.kind == Delivery.Kind.PROGRAMME for d in deliveries),
    }
    return TemplateResponse(request, "cohorts/cohort_detail.html", context)


@staff_only
def completion_summary(request, pk: int):
    """Who has completed, who is still going, who stopped, and what each needs to catch up."""
    cohort = cohort_for(request.user, pk)
    results = services.cohort_completion(cohort)
    groups = [
        (status, label, [r for r in results.values() if r.status == status])
        for status, label in services.COMPLETION_LABELS.items()
    ]
    context = {
        "cohort": cohort,
        "groups": [(status, label, sorted_by_name(rows)) for status, label, rows in groups],
        "counts": services.completion_counts(results.values()),
        "required": len(services.required_session_ids(cohort.programme)),
        "waiting": len(waiting_for_confirmation(results.values())),
        "learning_path": learning_view_path(cohort),
    }
    return TemplateResponse(request, "cohorts/completion_summary.html", context)


def sorted_by_name(results):
    return sorted(results, key=lambda r: r.trainee.display_name.lower())


@staff_only
def trainee_progress(request, pk: int):
    trainee = trainee_for(request.user, pk)
    return progress_page(request, trainee, own=False)


@permission_required("cohorts.view_own_progress", raise_exception=True)
def my_progress(request):
    trainee = Trainee.objects.select_related("establishment").filter(user=request.user).first()
    if trainee is None:
        return TemplateResponse(request, "cohorts/no_progress.html", {})
    return progress_page(request, trainee, own=True)


def progress_page(request, trainee: Trainee, *, own: bool):
    """One trainee's training: each cohort with completion, attendance and catch-ups; their
    shadowing placements; when a refresher is due. Staff and the trainee see the same facts."""
    memberships = trainee.memberships.select_related("cohort__programme", "cohort__establishment")
    cohorts = []
    for membership in memberships:
        cohort = membership.cohort
        result = services.completion(membership)
        held = cohort.deliveries.filter(status__in=Delivery.HELD).select_related("session")
        marks = {
            a.delivery_id: a
            for a in Attendance.objects.filter(trainee=trainee, delivery__cohort=cohort)
        }
        cohorts.append(
            {
                "cohort": cohort,
                "result": result,
                "history": [(delivery, marks.get(delivery.pk)) for delivery in held],
            }
        )
    refresher = services.refresher_dates_of(
        [item["cohort"] for item in cohorts],
        {item["cohort"].pk: {trainee.pk: item["result"]} for item in cohorts},
    ).get(trainee.pk)
    for item in cohorts:
        item["refresher"] = refresher if refresher and refresher.cohort == item["cohort"] else None
    placements = (
        ShadowingPlacement.objects.filter(new_worker=trainee)
        .select_related("experienced_worker")
        .prefetch_related("log_entries")
    )
    context = {
        "trainee": trainee,
        "own": own,
        "cohorts": cohorts,
        "placements": placements,
        "show_prison_number": not own and shows_prison_number(request.user, trainee.establishment),
        "today": clock.today(),
        "can_run": not own and request.user.has_perm(RUN_COHORTS),
    }
    return TemplateResponse(request, "cohorts/trainee_progress.html", context)
