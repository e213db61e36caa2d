"""Calendars (a download and secret feeds, valid iCalendar, never a trainee's name) and the
facilitator's overview (a fixed number of queries, whatever the number of prisons)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts.models import (
    Attendance,
    Cohort,
    Delivery,
    Establishment,
    Membership,
    StaffProfile,
    Trainee,
    TrainerStage,
)
from cohorts.services import cancel_delivery, feed_token
from tests.courses.test_queries import queries_for
from tests.factories import hold_sessions, make_cohort, sessions_of

pytestmark = pytest.mark.usefixtures("staff_at_home")


@pytest.fixture
def cohort(home, users):
    cohort = make_cohort(sessions=3, trainees=2, establishment=home, lead_trainer=users["trainer"])
    Trainee.objects.filter(display_name="Trainee 1").update(display_name="Zebedee Quill")
    deliveries = hold_sessions(cohort, {}, status="planned", location="Chapel")
    deliveries[0].lead_trainer = users["trainer"]
    deliveries[0].save()
    deliveries[1].co_trainers.add(users["trainer"])
    cancel_delivery(deliveries[2], "lockdown", users["trainer"])
    return cohort


def events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


def test_the_cohort_calendar_is_valid_icalendar_without_trainee_names(client_for, cohort):
    response = client_for("education").get(reverse("cohorts:cohort_calendar", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    found = events(response.content)
    sessions = [s.title for s in sessions_of(cohort.programme)]
    assert [str(e["SUMMARY"]) for e in found] == [f"{t} ({cohort.name})" for t in sessions]
    first = found[0]
    assert first.decoded("DTSTART") == datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(minutes=60)
    assert str(first["LOCATION"]) == "Chapel"
    assert [str(e["STATUS"]) for e in found] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert b"Zebedee" not in response.content
    assert b"Trainee 2" not in response.content


def test_my_calendar_has_only_the_sessions_i_lead_or_co_deliver(client_for, cohort):
    response = client_for("trainer").get(reverse("cohorts:my_calendar"))
    assert len(events(response.content)) == 2


def test_a_secret_feed_works_without_signing_in_until_it_is_reset(client, client_for, cohort):
    token = feed_token(cohort.lead_trainer)
    mine = reverse("cohorts:feed_mine", args=[token])
    one = reverse("cohorts:feed_cohort", args=[token, cohort.pk])
    assert len(events(client.get(mine).content)) == 2
    assert len(events(client.get(one).content)) == 3
    signed_in = client_for("trainer")
    assert signed_in.post(reverse("cohorts:reset_calendar")).status_code == 302
    signed_in.logout()
    assert client.get(mine).status_code == 404
    assert client.get(one).status_code == 404
    assert client.get(reverse("cohorts:feed_mine", args=["made-up"])).status_code == 404


def test_a_feed_reaches_only_its_owners_establishments(client, users, cohort, elsewhere):
    away = make_cohort(sessions=1, trainees=1, establishment=elsewhere)
    token = feed_token(users["trainer"])
    assert client.get(reverse("cohorts:feed_cohort", args=[token, away.pk])).status_code == 404
    assert client.get(reverse("cohorts:feed_cohort", args=[token, 999999])).status_code == 404
    peer = feed_token(users["trainee"])  # a peer support worker has no cohort timetables
    assert client.get(reverse("cohorts:feed_mine", args=[peer])).status_code == 404


def test_the_calendar_page_shows_the_addresses(client_for, cohort):
    page = client_for("trainer").get(reverse("cohorts:calendar")).content.decode()
    assert reverse("cohorts:feed_mine", args=[feed_token(cohort.lead_trainer)]) in page
    assert cohort.name in page


# --- The overview ---


def prisons(count: int, programme, facilitator, first: int = 0) -> list[Establishment]:
    """``count`` prisons held by the facilitator, each with a running cohort that has held and
    planned sessions, a completer, an active peer worker and a signed-off local trainer."""
    User = get_user_model()
    made = []
    soon = timezone.now() + timedelta(days=3)
    session = sessions_of(programme)[0]
    for n in range(first, first + count):
        place = Establishment.objects.create(name=f"HMP Overview {n:03}", code=f"overview-{n}")
        facilitator.staff_profile.establishments.add(place)
        local = User.objects.create_user(f"local-{n}")
        StaffProfile.objects.create(user=local, discipline="nurse").establishments.add(place)
        cohort = Cohort.objects.create(
            establishment=place,
            programme=programme,
            name=f"Cycle {n}",
            start_date="2025-01-06",
            status="running",
        )
        trainee = Trainee.objects.create(
            establishment=place, display_name=f"P {n}", role_status="active"
        )
        Membership.objects.create(cohort=cohort, trainee=trainee)
        held = Delivery.objects.create(
            cohort=cohort,
            session=session,
            starts_at=datetime(2025, 1, 6, 9, 30, tzinfo=UTC),
            status="delivered",
            led_by="local_staff",
            lead_trainer=local,
        )
        Attendance.objects.create(delivery=held, trainee=trainee)
        Delivery.objects.create(cohort=cohort, session=session, starts_at=soon)
        for stage in TrainerStage.Stage.values:
            TrainerStage.objects.create(trainer=local, session=session, stage=stage, evidence=held)
        made.append(place)
    return made


def test_the_overview_costs_the_same_for_5_and_50_prisons(client_for, users, home):
    programme = make_cohort(sessions=1, trainees=0, establishment=home).programme
    client = client_for("facilitator")
    url = reverse("cohorts:overview")
    prisons(5, programme, users["facilitator"])
    small = queries_for(client, url)
    prisons(45, programme, users["facilitator"], first=5)
    page = client.get(url).content.decode()
    assert page.count("1 running") == 50
    assert page.count("1 of 1 sessions") == 50
    assert page.count(">1</td>") >= 50  # a refresher due (and a peer worker unsupervised) in each
    assert queries_for(client, url) == small == 16


def test_the_overview_lists_only_the_prisons_i_hold(client_for, home, elsewhere):
    page = client_for("facilitator").get(reverse("cohorts:overview")).content.decode()
    assert home.name in page
    assert elsewhere.name not in page
