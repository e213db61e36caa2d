"""Deliveries as iCalendar (RFC 5545), for a download or a calendar app's subscription:
date, time, room, session and who leads. Never a trainee's name."""

import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from kernel.people import person_name

from ..models import CalendarFeed, Delivery
from .audited import audited

PRODUCT = "-//Peer Support Training Platform//Cohort timetables//EN"
UID_DOMAIN = "peer-support-training"


def calendar_deliveries(cohorts):
    """The deliveries of these cohorts, with what a calendar shows and nothing more."""
    return (
        Delivery.objects.filter(cohort__in=cohorts)
        .select_related("session", "cohort__establishment", "lead_trainer")
        .only(
            "starts_at",
            "location",
            "status",
            "kind",
            "cancelled_because",
            "session__title",
            "session__duration",
            "cohort__name",
            "cohort__establishment__name",
            "lead_trainer__username",
            "lead_trainer__first_name",
            "lead_trainer__last_name",
        )
        .prefetch_related("co_trainers")
        .order_by("starts_at")
    )


def trainer_deliveries(user, cohorts):
    """What ``user`` leads or co-delivers, of these cohorts."""
    return (
        calendar_deliveries(cohorts).filter(Q(lead_trainer=user) | Q(co_trainers=user)).distinct()
    )


def _description(delivery: Delivery) -> str:
    trainers = [person_name(t) for t in (delivery.lead_trainer, *delivery.co_trainers.all()) if t]
    lines = [
        f"{delivery.get_kind_display()} of {delivery.cohort.name}, "
        f"{delivery.cohort.establishment.name}.",
        f"Led by {', '.join(trainers)}." if trainers else "Nobody is leading it yet.",
    ]
    if delivery.status == Delivery.Status.CANCELLED:
        lines.append(f"Cancelled: {delivery.get_cancelled_because_display() or 'no reason given'}.")
    return "\n".join(lines)


def calendar_of(deliveries, name: str) -> bytes:
    """An iCalendar file of ``deliveries``. A cancelled delivery stays in it, marked
    cancelled, so that subscribed calendars take it off the day."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for delivery in deliveries:
        event = Event()
        event.add("uid", f"delivery-{delivery.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", delivery.starts_at)
        event.add("dtend", delivery.starts_at + timedelta(minutes=delivery.session.duration))
        event.add("summary", f"{delivery.session.title} ({delivery.cohort.name})")
        if delivery.location:
            event.add("location", delivery.location)
        event.add("description", _description(delivery))
        cancelled = delivery.status == Delivery.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def feed_token(user) -> str:
    """The secret part of the person's calendar address, made the first time it is asked for."""
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed.token


def reset_feed_token(user) -> str:
    """A new secret address: the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    audited(user, "reset their calendar address")
    return token


def feed_owner(token: str):
    """Whose calendar this secret address is, or None (also for a user no longer active)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
