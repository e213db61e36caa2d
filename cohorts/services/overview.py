"""A facilitator's overview of every prison they hold, one row each, in a fixed number of
queries whatever the number of prisons."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from courses.outline import session_ids_of
from kernel.roles import FACILITATOR

from ..models import Cohort, Delivery, Establishment, TrainerStage
from .records import completions_of
from .refreshers import refresher_dates_of

NEXT_DELIVERIES = 3
YEAR = timedelta(days=365)


@dataclass
class PrisonOverview:
    establishment: Establishment
    running: int = 0
    planned: int = 0
    next_deliveries: list = field(default_factory=list)
    programme: object = None  # of the latest cohort, for readiness
    sessions_signed_off: int = 0
    programme_sessions: int = 0
    local_share: float | None = None  # of the sessions held in the last 12 months
    refreshers_due: int = 0
    catch_ups_to_confirm: int = 0  # sessions studied on screen, no trainer has confirmed yet


def prison_overview(establishments, today: date) -> list[PrisonOverview]:
    """For each prison: cohorts running and planned, the next deliveries, how many of its
    latest programme's sessions local staff are signed off to deliver, the share of the last
    year's sessions local staff led, how many peer workers are due a refresher, and how many
    missed sessions studied on screen wait for a trainer to confirm them."""
    establishments = list(establishments)
    rows = {e.pk: PrisonOverview(e) for e in establishments}
    cohorts = list(
        Cohort.objects.filter(establishment__in=establishments)
        .select_related("programme")
        .order_by("start_date", "pk")
    )
    for cohort in cohorts:
        row = rows[cohort.establishment_id]
        row.running += cohort.status == Cohort.Status.RUNNING
        row.planned += cohort.status == Cohort.Status.PLANNED
        row.programme = cohort.programme
    programme_sessions = session_ids_of({cohort.programme for cohort in cohorts})
    completions = completions_of(cohorts, programme_sessions)
    for cohort in cohorts:
        rows[cohort.establishment_id].catch_ups_to_confirm += sum(
            len(result.waiting_for_confirmation) for result in completions[cohort.pk].values()
        )
    for due in refresher_dates_of(cohorts, completions).values():
        rows[due.trainee.establishment_id].refreshers_due += due.due_on <= today
    upcoming = (
        Delivery.objects.filter(
            cohort__establishment__in=establishments,
            status=Delivery.Status.PLANNED,
            starts_at__gte=timezone.now(),
        )
        .select_related("session", "cohort")
        .only("starts_at", "location", "session__title", "cohort__name", "cohort__establishment")
        .order_by("starts_at")
    )
    for delivery in upcoming:
        row = rows[delivery.cohort.establishment_id]
        if len(row.next_deliveries) < NEXT_DELIVERIES:
            row.next_deliveries.append(delivery)
    signed_off = defaultdict(set)
    for establishment_id, session_id in (
        TrainerStage.objects.filter(
            stage=TrainerStage.Stage.SIGNED_OFF,
            trainer__staff_profile__establishments__in=establishments,
        )
        .exclude(trainer__groups__name=FACILITATOR)
        .values_list("trainer__staff_profile__establishments", "session_id")
    ):
        signed_off[establishment_id].add(session_id)
    for row in rows.values():
        if row.programme is not None:
            sessions = set(programme_sessions[row.programme.pk])
            row.programme_sessions = len(sessions)
            row.sessions_signed_off = len(sessions & signed_off[row.establishment.pk])
    held = Counter()
    for establishment_id, led_by, count in (
        Delivery.objects.filter(
            cohort__establishment__in=establishments,
            status__in=Delivery.HELD,
            starts_at__gte=timezone.now() - YEAR,
        )
        .values_list("cohort__establishment", "led_by")
        .annotate(count=Count("pk"))
    ):
        held[establishment_id, "all"] += count
        held[establishment_id, led_by] += count
    for pk, row in rows.items():
        if held[pk, "all"]:
            row.local_share = held[pk, Delivery.LedBy.LOCAL_STAFF] / held[pk, "all"]
    return [rows[e.pk] for e in establishments]
