"""Starting a cohort and placing a programme on dates: the regime's weekdays, closed dates,
start times, both programme shapes; then cancelling, moving and adding deliveries."""

from datetime import UTC, date, datetime, time

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cohorts.models import Cohort, Delivery, Trainee
from cohorts.services import (
    ChangeError,
    NewTrainee,
    Regime,
    add_delivery,
    cancel_delivery,
    move_delivery,
    plan_timetable,
    schedule_cohort,
    start_cohort,
)
from courses.models import ProgrammePage
from tests.factories import sessions_of

pytestmark = pytest.mark.usefixtures("staff_at_home")

MONDAY = date(2027, 3, 1)
MON_WED = frozenset({0, 2})


def programme(slug: str) -> ProgrammePage:
    return ProgrammePage.objects.get(slug=slug)


def regime(**changes) -> Regime:
    values = {
        "first_date": MONDAY,
        "weekdays": MON_WED,
        "morning_start": time(9, 0),
        "afternoon_start": time(13, 30),
        "room": "Education block, room 4",
    }
    return Regime(**(values | changes))


def local(moment: datetime) -> tuple[date, str]:
    moment = timezone.localtime(moment)
    return moment.date(), f"{moment:%H:%M}"


def test_the_three_day_programme_lands_on_the_days_the_regime_allows():
    planned = plan_timetable(programme("three-day-programme"), regime())
    assert len(planned) == 10
    assert sorted({local(p.starts_at)[0] for p in planned}) == [
        date(2027, 3, 1),
        date(2027, 3, 3),
        date(2027, 3, 8),
    ]
    day_one = [(p.session.title, local(p.starts_at)[1]) for p in planned[:4]]
    # the programme's morning (09:30, 10:45) moves to start at 09:00 and its afternoon (13:15,
    # 15:00) to 13:30, each keeping its break
    assert [t for _, t in day_one] == ["09:00", "10:15", "13:30", "15:15"]
    assert [p.session.slug for p in planned] == [
        s.slug for s in sessions_of(programme("three-day-programme"))
    ]


def test_closed_dates_are_skipped():
    planned = plan_timetable(
        programme("three-day-programme"), regime(closed_dates=frozenset({date(2027, 3, 3)}))
    )
    assert sorted({local(p.starts_at)[0] for p in planned}) == [
        date(2027, 3, 1),
        date(2027, 3, 8),
        date(2027, 3, 10),
    ]


def test_the_five_afternoon_programme_takes_five_afternoons_of_two_sessions():
    planned = plan_timetable(
        programme("five-afternoon-programme"),
        regime(weekdays=frozenset({1, 3}), afternoon_start=time(14, 0)),
    )
    days = sorted({local(p.starts_at)[0] for p in planned})
    assert len(planned) == 10
    assert days == [
        date(2027, 3, 2),
        date(2027, 3, 4),
        date(2027, 3, 9),
        date(2027, 3, 11),
        date(2027, 3, 16),
    ]
    assert all(date.weekday() in (1, 3) for date in days)
    assert local(planned[0].starts_at)[1] == "14:00"
    assert local(planned[1].starts_at)[1] == "15:15"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"weekdays": frozenset()}, "no_weekdays"),
        ({"morning_start": time(12, 30)}, "morning_after_noon"),
        ({"afternoon_start": time(11, 0)}, "afternoon_before_noon"),
        ({"morning_start": time(11, 0)}, "morning_overruns"),
        ({"weekdays": frozenset({0}), "closed_dates": frozenset({MONDAY})}, None),
    ],
)
def test_a_regime_that_cannot_work_is_refused_with_its_reason(changes, code):
    if code is None:  # a closed first date just moves the start on
        planned = plan_timetable(programme("three-day-programme"), regime(**changes))
        assert local(planned[0].starts_at)[0] == date(2027, 3, 8)
        return
    with pytest.raises(ChangeError) as refused:
        plan_timetable(programme("three-day-programme"), regime(**changes))
    assert refused.value.code == code


def test_no_open_days_in_a_year_is_refused():
    closed = frozenset(date.fromordinal(MONDAY.toordinal() + n) for n in range(400))
    with pytest.raises(ChangeError) as refused:
        plan_timetable(programme("three-day-programme"), regime(closed_dates=closed))
    assert refused.value.code == "no_open_days"


@pytest.fixture
def cohort(home, users):
    return start_cohort(
        home,
        programme("three-day-programme"),
        "Cycle 3",
        users["trainer"],
        [users["facilitator"]],
        [],
        [NewTrainee("Ash"), NewTrainee("Bo", "a1234bc", Trainee.RoleStatus.ACTIVE)],
        by=users["trainer"],
    )


def test_starting_a_cohort_adds_new_trainees_of_the_prison_and_is_audited(cohort, home, users):
    assert cohort.status == Cohort.Status.PLANNED
    assert sorted(t.display_name for t in cohort.trainees.all()) == ["Ash", "Bo"]
    assert Trainee.objects.get(display_name="Bo").prison_number == "A1234BC"
    assert set(cohort.co_trainers.all()) == {users["facilitator"]}
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).first()
    assert event.user == users["trainer"]
    assert "Ash" not in event.what


@pytest.mark.parametrize(
    ("who", "code"),
    [("evaluator", "lead_not_staff"), ("trainer", None)],
)
def test_the_lead_trainer_must_work_at_the_prison(home, users, who, code):
    def start():
        return start_cohort(
            home, programme("three-day-programme"), f"C {who}", users[who], [], [], [], users[who]
        )

    if code is None:
        assert start().lead_trainer == users[who]
        return
    with pytest.raises(ChangeError) as refused:
        start()
    assert refused.value.code == code


def test_trainees_of_another_prison_or_who_left_cannot_be_chosen(home, elsewhere, users):
    away = Trainee.objects.create(establishment=elsewhere, display_name="Away")
    gone = Trainee.objects.create(
        establishment=home, display_name="Gone", role_status=Trainee.RoleStatus.LEFT
    )
    for trainee in (away, gone):
        with pytest.raises(ChangeError) as refused:
            start_cohort(
                home,
                programme("three-day-programme"),
                "X",
                users["trainer"],
                [],
                [trainee],
                [],
                users["trainer"],
            )
        assert refused.value.code == "trainee_not_here"
    assert not Cohort.objects.filter(name="X").exists()


def test_a_new_trainee_needs_a_name(home, users):
    with pytest.raises(ChangeError) as refused:
        start_cohort(
            home,
            programme("three-day-programme"),
            "Y",
            users["trainer"],
            [],
            [],
            [NewTrainee("  ", "A1111AA")],
            users["trainer"],
        )
    assert refused.value.code == "no_display_name"
    assert not Trainee.objects.filter(prison_number="A1111AA").exists()


def test_scheduling_makes_planned_deliveries_once(cohort, users):
    deliveries = schedule_cohort(cohort, regime(), by=users["trainer"])
    assert len(deliveries) == 10
    cohort.refresh_from_db()
    assert cohort.start_date == MONDAY
    delivery = Delivery.objects.filter(cohort=cohort).first()
    assert delivery.location == "Education block, room 4"
    assert delivery.lead_trainer == users["trainer"]
    assert delivery.led_by == Delivery.LedBy.LOCAL_STAFF
    assert set(delivery.co_trainers.all()) == {users["facilitator"]}
    with pytest.raises(ChangeError) as refused:
        schedule_cohort(cohort, regime(), by=users["trainer"])
    assert refused.value.code == "already_scheduled"


def test_a_cancelled_delivery_keeps_its_reason_and_moving_it_puts_it_back(cohort, users):
    deliveries = schedule_cohort(cohort, regime(), by=users["trainer"])
    first = deliveries[0]
    cancel_delivery(first, Delivery.CancelledBecause.LOCKDOWN, users["trainer"])
    first.refresh_from_db()
    assert (first.status, first.cancelled_because) == ("cancelled", "lockdown")
    new_time = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
    replacement = move_delivery(first, new_time, users["trainer"])
    first.refresh_from_db()
    assert first.status == Delivery.Status.CANCELLED  # the cancellation stays on record
    assert first.moved_to == replacement
    assert (replacement.status, replacement.starts_at, replacement.session_id) == (
        "planned",
        new_time,
        first.session_id,
    )
    with pytest.raises(ChangeError) as refused:
        move_delivery(first, new_time, users["trainer"])
    assert refused.value.code == "already_moved"


def test_a_planned_delivery_moves_in_place(cohort, users):
    delivery = schedule_cohort(cohort, regime(), by=users["trainer"])[1]
    moved = move_delivery(delivery, datetime(2027, 4, 1, 10, tzinfo=UTC), users["trainer"], "Gym")
    assert moved.pk == delivery.pk
    delivery.refresh_from_db()
    assert (delivery.starts_at.date(), delivery.location) == (date(2027, 4, 1), "Gym")


def test_a_delivery_that_took_place_cannot_be_moved_or_cancelled(cohort, users):
    delivery = schedule_cohort(cohort, regime(), by=users["trainer"])[0]
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.DELIVERED)
    delivery.refresh_from_db()
    for change in (
        lambda: move_delivery(delivery, timezone.now(), users["trainer"]),
        lambda: cancel_delivery(delivery, "lockdown", users["trainer"]),
    ):
        with pytest.raises(ChangeError) as refused:
            change()
        assert refused.value.code == "already_held"


@pytest.mark.parametrize(
    ("because", "note", "code"),
    [("", "", "no_reason"), ("weather", "", "no_reason"), ("other", " ", "no_note")],
)
def test_a_cancellation_needs_a_reason(cohort, users, because, note, code):
    delivery = schedule_cohort(cohort, regime(), by=users["trainer"])[0]
    with pytest.raises(ChangeError) as refused:
        cancel_delivery(delivery, because, users["trainer"], note)
    assert refused.value.code == code


def test_added_deliveries_are_of_the_programmes_sessions(cohort, users):
    session = sessions_of(programme("three-day-programme"))[0]
    added = add_delivery(cohort, session, "catch_up", timezone.now(), users["trainer"])
    assert (added.kind, added.lead_trainer) == ("catch_up", users["trainer"])
    other = sessions_of(programme("peer-hospice-worker-extension"))[0]
    with pytest.raises(ChangeError) as refused:
        add_delivery(cohort, other, "refresher", timezone.now(), users["trainer"])
    assert refused.value.code == "not_in_programme"
