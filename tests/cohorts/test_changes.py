"""Changing a cohort as life happens: leavers, late joiners, catch-up and refresher
deliveries, the refreshers-due rule shared with scheme health, and shadowing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from cohorts.models import Attendance, Cohort, Delivery, Membership, Trainee
from cohorts.services import (
    COMPLETED,
    LEFT,
    PARTIAL,
    ChangeError,
    NewTrainee,
    add_delivery,
    add_late_joiners,
    add_months,
    add_shadowing_note,
    cohort_completion,
    record_leaving,
    record_shadowing,
    refresher_dates,
    refreshers_due,
    register_trainees,
)
from evaluation.services import scheme_health
from tests.factories import hold_sessions, make_cohort, sessions_of

pytestmark = pytest.mark.usefixtures("staff_at_home")
DAY_ONE = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def member(cohort, name: str) -> Membership:
    return cohort.memberships.select_related("trainee").get(trainee__display_name=name)


def status_of(cohort, name: str):
    return cohort_completion(cohort)[member(cohort, name).trainee_id]


def test_a_leaver_counts_as_moved_on_not_as_stopped_coming(home, users):
    cohort = make_cohort(sessions=4, trainees=2, establishment=home, status="running")
    hold_sessions(cohort, {"Trainee 1": ["present"] * 4, "Trainee 2": ["present", "absent"]})
    record_leaving(member(cohort, "Trainee 2"), "transferred", date(2026, 1, 6), users["trainer"])
    result = status_of(cohort, "Trainee 2")
    assert (result.status, result.label, result.left_on) == (LEFT, "Transferred", date(2026, 1, 6))
    assert status_of(cohort, "Trainee 1").status == COMPLETED
    assert Trainee.objects.get(display_name="Trainee 2").role_status == Trainee.RoleStatus.LEFT


def test_a_leaver_is_off_the_registers_that_follow(home, users):
    cohort = make_cohort(sessions=3, trainees=2, establishment=home)
    first, second, _ = hold_sessions(cohort, {}, status="planned")
    record_leaving(member(cohort, "Trainee 2"), "released", date(2026, 1, 5), users["trainer"])
    assert [t.display_name for t in register_trainees(second)] == ["Trainee 1"]


@pytest.mark.parametrize(
    ("because", "on", "code"),
    [
        ("escaped", date(2026, 1, 6), "no_reason"),
        ("left_role", None, "no_date"),
        ("left_role", date.today() + timedelta(days=2), "in_future"),
    ],
)
def test_leaving_needs_a_reason_and_a_past_date(home, users, because, on, code):
    cohort = make_cohort(sessions=1, trainees=1, establishment=home)
    with pytest.raises(ChangeError) as refused:
        record_leaving(member(cohort, "Trainee 1"), because, on, users["trainer"])
    assert refused.value.code == code
    assert member(cohort, "Trainee 1").left_on is None


def test_a_late_joiner_catches_up_the_sessions_held_before_they_joined(home, users):
    cohort = make_cohort(sessions=3, trainees=1, establishment=home, status="running")
    first, second, third = hold_sessions(cohort, {"Trainee 1": ["present"]})
    for delivery in (second, third):
        Delivery.objects.filter(pk=delivery.pk).update(status="planned")
    add_late_joiners(cohort, [], [NewTrainee("Late Lou")], date(2026, 1, 6), users["trainer"])
    lou = status_of(cohort, "Late Lou")
    assert [c.session.title for c in lou.catch_ups] == [first.session.title]
    second.refresh_from_db()
    first.refresh_from_db()
    assert "Late Lou" in [t.display_name for t in register_trainees(second)]
    assert "Late Lou" not in [t.display_name for t in register_trainees(first)]


def test_a_catch_up_register_lists_only_those_who_missed_the_session(home, users):
    cohort = make_cohort(sessions=2, trainees=3, establishment=home, status="running")
    first, _ = hold_sessions(cohort, {"Trainee 1": ["present"], "Trainee 2": ["absent"]})
    catch_up = add_delivery(cohort, first.session, "catch_up", timezone.now(), users["trainer"])
    assert sorted(t.display_name for t in register_trainees(catch_up)) == [
        "Trainee 2",
        "Trainee 3",
    ]


def test_late_joiners_must_be_new_to_the_cohort(home, users):
    cohort = make_cohort(sessions=1, trainees=1, establishment=home)
    already = member(cohort, "Trainee 1").trainee
    with pytest.raises(ChangeError) as refused:
        add_late_joiners(cohort, [already], [], date(2026, 1, 6), users["trainer"])
    assert refused.value.code == "already_member"


# --- Refreshers ---


def completed_cohort(home, names, day=DAY_ONE, **fields):
    cohort = make_cohort(sessions=2, trainees=0, establishment=home, **fields)
    for name in names:
        trainee = Trainee.objects.filter(establishment=home, display_name=name).first()
        trainee = trainee or Trainee.objects.create(establishment=home, display_name=name)
        Membership.objects.create(cohort=cohort, trainee=trainee)
    hold_sessions(cohort, {name: ["present", "present"] for name in names}, first_day=day)
    return cohort


def test_a_later_completion_clears_an_earlier_one(home):
    completed_cohort(home, ["Ada", "Ben"])
    later = DAY_ONE + timedelta(days=300)
    completed_cohort(home, ["Ada"], day=later)
    today = date(2027, 1, 20)
    due = refreshers_due(home, today)
    assert [d.trainee.display_name for d in due] == ["Ben"]  # one line each, Ada not due
    assert refresher_dates(home)[Trainee.objects.get(display_name="Ada").pk].due_on == (
        add_months(later.date() + timedelta(days=1), 12)
    )


def test_leavers_are_never_due_a_refresher(home):
    completed_cohort(home, ["Ada", "Ben"])
    Trainee.objects.filter(display_name="Ben").update(role_status=Trainee.RoleStatus.LEFT)
    assert [d.trainee.display_name for d in refreshers_due(home, date(2028, 1, 1))] == ["Ada"]


def test_coming_to_a_refresher_resets_the_refresher_date(home, users):
    cohort = completed_cohort(home, ["Ada", "Ben"], status=Cohort.Status.FINISHED)
    session = sessions_of(cohort.programme)[0]
    refresher = add_delivery(
        cohort, session, "refresher", datetime(2027, 1, 4, 10, tzinfo=UTC), users["trainer"]
    )
    Delivery.objects.filter(pk=refresher.pk).update(status="delivered")
    for name, mark in (("Ada", "present"), ("Ben", "absent")):
        Attendance.objects.create(
            delivery=refresher,
            trainee=Trainee.objects.get(display_name=name),
            mark=mark,
            absence_reason="healthcare" if mark == "absent" else "",
        )
    dates = {d.trainee.display_name: d for d in refresher_dates(home).values()}
    assert dates["Ada"].refreshed_on == date(2027, 1, 4)
    assert dates["Ada"].due_on == date(2028, 1, 4)
    assert dates["Ben"].due_on == date(2027, 1, 6)
    # a refresher is not part of the programme: nobody's completion changes
    assert {r.status for r in cohort_completion(cohort).values()} == {COMPLETED}


def test_scheme_health_counts_the_refreshers_the_cohorts_page_lists(home):
    completed_cohort(home, ["Ada", "Ben", "Cy"], status=Cohort.Status.FINISHED)
    completed_cohort(home, ["Ada"], day=DAY_ONE + timedelta(days=300))
    Trainee.objects.filter(display_name="Cy").update(role_status=Trainee.RoleStatus.LEFT)
    today = date(2027, 1, 20)
    listed = refreshers_due(home, today)
    (item,) = [i for i in scheme_health(home, today) if i.label == "Refreshers up to date"]
    assert len(listed) == 1
    assert item.evidence.startswith("1 of 2 (50%) trained peer workers")


def test_a_leaver_who_had_not_completed_is_not_partial(home, users):
    cohort = make_cohort(sessions=3, trainees=1, establishment=home, status="finished")
    hold_sessions(cohort, {"Trainee 1": ["present", "absent", "absent"]})
    assert status_of(cohort, "Trainee 1").status == PARTIAL
    record_leaving(member(cohort, "Trainee 1"), "released", date(2026, 1, 8), users["trainer"])
    assert status_of(cohort, "Trainee 1").status == LEFT


# --- Shadowing ---


def test_shadowing_is_recorded_with_its_log(home, elsewhere, users):
    new = Trainee.objects.create(establishment=home, display_name="New")
    old = Trainee.objects.create(establishment=home, display_name="Old", role_status="active")
    away = Trainee.objects.create(establishment=elsewhere, display_name="Away")
    placement = record_shadowing(new, old, date(2026, 2, 1), date(2026, 2, 10), users["trainer"])
    assert placement.too_short
    entry = add_shadowing_note(placement, date(2026, 2, 3), "Helped at meals.", users["trainer"])
    assert (entry.written_by, list(placement.log_entries.all())) == (users["trainer"], [entry])
    with pytest.raises(ChangeError) as refused:
        add_shadowing_note(placement, date(2026, 3, 1), "Too late.", users["trainer"])
    assert refused.value.code == "outside_placement"
    for other, code in ((new, "same_person"), (away, "other_prison")):
        with pytest.raises(ChangeError) as refused:
            record_shadowing(new, other, date(2026, 2, 1), date(2026, 2, 20), users["trainer"])
        assert refused.value.code == code
