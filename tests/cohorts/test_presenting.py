"""Presenting a cohort's sessions: Present beside today's deliveries, and who led it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Delivery
from cohorts.presenting import planned_led_by
from tests.factories import make_cohort, sessions_of
from tests.helpers import page_text


def delivery_on(cohort, when, **fields) -> Delivery:
    return Delivery.objects.create(
        cohort=cohort, session=sessions_of(cohort.programme)[0], starts_at=when, **fields
    )


@pytest.fixture
def cohort(staff_at_home):
    return make_cohort(trainees=2, establishment=staff_at_home)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [("trainer", "local_staff"), ("facilitator", "visiting_facilitator")],
)
def test_who_led_it_starts_from_the_planned_lead(users, cohort, lead, expected):
    delivery = delivery_on(cohort, timezone.now(), lead_trainer=users[lead])
    assert planned_led_by(delivery) == expected


def test_who_led_it_keeps_what_the_register_recorded(users, cohort):
    delivery = delivery_on(
        cohort,
        timezone.now(),
        lead_trainer=users["trainer"],
        status=Delivery.Status.DELIVERED,
        led_by=Delivery.LedBy.VISITING_FACILITATOR,
    )
    assert planned_led_by(delivery) == "visiting_facilitator"


def test_the_register_offers_local_staff_when_a_local_trainer_leads(client_for, users, cohort):
    delivery = delivery_on(cohort, timezone.now(), lead_trainer=users["trainer"])
    html = client_for("trainer").get(reverse("cohorts:register", args=[delivery.pk])).content
    assert b'value="local_staff" checked' in html
    assert b'value="visiting_facilitator" checked' not in html


def test_home_lists_todays_and_upcoming_deliveries_first_with_present(client_for, cohort):
    now = timezone.localtime()
    today = delivery_on(cohort, now)
    delivery_on(cohort, now + timedelta(days=2))
    delivery_on(cohort, now - timedelta(days=2))
    text = page_text(client_for("trainer").get("/"))
    listed = text.split("Your cohorts' sessions, today and next")[1].split("Another session")[0]
    assert listed.count("Present Test session") == 2
    assert "Today" in listed
    assert f'href="{today.session.url}slides/"' in client_for("trainer").get("/").content.decode()


def test_cohort_timetable_has_present_only_beside_todays_deliveries(client_for, cohort):
    now = timezone.localtime()
    delivery_on(cohort, now)
    delivery_on(cohort, now + timedelta(days=1))
    response = client_for("trainer").get(reverse("cohorts:cohort_detail", args=[cohort.pk]))
    text = page_text(response)
    assert text.count("Present ") - text.count("Present a") == 1
    assert "Keep the slides for" in text
