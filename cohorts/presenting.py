"""Presenting a cohort's sessions: the deliveries a trainer has today and next, and who leads."""

from datetime import date

from django.utils import timezone

from kernel.roles import FACILITATOR

from .access import visible_cohorts
from .models import Delivery

UPCOMING = 8  # deliveries listed under "Present a session" on home


def planned_led_by(delivery: Delivery) -> str:
    """Who led a delivery, as its register first offers it.

    Once the register has recorded how the session went, that answer stands. Before then it
    follows the planned lead trainer: a facilitator is the visiting facilitator, anyone else is
    local staff. (The field's own default, "visiting facilitator", quietly lowered the share of
    sessions local staff led whenever a local trainer saved the register without looking.)
    """
    if delivery.status != Delivery.Status.PLANNED or delivery.lead_trainer is None:
        return delivery.led_by
    if delivery.lead_trainer.groups.filter(name=FACILITATOR).exists():
        return Delivery.LedBy.VISITING_FACILITATOR
    return Delivery.LedBy.LOCAL_STAFF


def deliveries_to_present(user, today: date) -> list[Delivery]:
    """The planned deliveries of the user's cohorts from today on, soonest first."""
    return list(
        Delivery.objects.filter(
            cohort__in=visible_cohorts(user),
            status=Delivery.Status.PLANNED,
            starts_at__date__gte=today,
        )
        .select_related("cohort", "session")
        .only("starts_at", "location", "cohort__name", "session__title", "session__url_path")
        .order_by("starts_at")[:UPCOMING]
    )


def days_ahead(deliveries: list[Delivery], today: date) -> list[tuple[date, list[Delivery]]]:
    """Planned deliveries from today on, by day: what a trainer may keep on the laptop."""
    days: dict[date, list[Delivery]] = {}
    for delivery in deliveries:
        day = timezone.localdate(delivery.starts_at)
        if delivery.status == Delivery.Status.PLANNED and day >= today:
            days.setdefault(day, []).append(delivery)
    return sorted(days.items())
