"""Completion, catch-ups, attendance rate and refreshers: worked out, never typed."""

from datetime import date

from cohorts.models import Cohort, Trainee
from cohorts.services import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    PARTIAL,
    add_months,
    cohort_completion,
    refreshers_due,
)
from tests.factories import hold_sessions, make_cohort


def statuses(cohort):
    return {r.trainee.display_name: r.status for r in cohort_completion(cohort).values()}


def test_every_completion_state(db):
    cohort = make_cohort(sessions=4, trainees=4, status=Cohort.Status.RUNNING)
    hold_sessions(
        cohort,
        {
            "Trainee 1": ["present", "late", "left_early", "present"],
            "Trainee 2": ["present", "absent", "present", "present"],
            "Trainee 3": ["present", "absent", "absent", "absent"],
        },
    )
    assert statuses(cohort) == {
        "Trainee 1": COMPLETED,  # late and left early still count as there
        "Trainee 2": IN_PROGRESS,  # missed one, still coming: needs a catch-up
        "Trainee 3": PARTIAL,  # came once, then stopped
        "Trainee 4": NOT_STARTED,
    }


def test_a_cohort_part_way_through_is_in_progress_not_partial(db):
    cohort = make_cohort(sessions=4, trainees=1, status=Cohort.Status.RUNNING)
    deliveries = hold_sessions(cohort, {"Trainee 1": ["present", "present"]})
    for delivery in deliveries[2:]:
        delivery.status = "planned"
        delivery.save()
    assert statuses(cohort) == {"Trainee 1": IN_PROGRESS}


def test_leaving_the_role_or_the_cohort_ending_makes_an_incomplete_trainee_partial(db):
    cohort = make_cohort(sessions=3, trainees=2, status=Cohort.Status.RUNNING)
    hold_sessions(cohort, {"Trainee 1": ["present", "absent", "present"], "Trainee 2": ["present"]})
    Trainee.objects.filter(display_name="Trainee 2").update(role_status=Trainee.RoleStatus.LEFT)
    assert statuses(cohort)["Trainee 2"] == PARTIAL
    assert statuses(cohort)["Trainee 1"] == IN_PROGRESS
    cohort.status = Cohort.Status.FINISHED
    cohort.save()
    assert statuses(cohort)["Trainee 1"] == PARTIAL


def test_catch_ups_are_the_sessions_the_cohort_had_and_the_trainee_missed(db):
    cohort = make_cohort(sessions=3, trainees=1)
    deliveries = hold_sessions(cohort, {"Trainee 1": ["present", "absent", None]})
    result = next(iter(cohort_completion(cohort).values()))
    assert [c.session.pk for c in result.catch_ups] == [
        deliveries[1].session_id,
        deliveries[2].session_id,
    ]


def test_a_catch_up_delivery_completes_the_trainee(db):
    cohort = make_cohort(sessions=2, trainees=1)
    deliveries = hold_sessions(cohort, {"Trainee 1": ["present", "absent"]})
    from datetime import timedelta

    from cohorts.models import Attendance, Delivery

    catch_up = Delivery.objects.create(
        cohort=cohort,
        session=deliveries[1].session,
        starts_at=deliveries[1].starts_at + timedelta(days=7),
        status="delivered",
    )
    Attendance.objects.create(delivery=catch_up, trainee=cohort.trainees.get(), mark="present")
    result = next(iter(cohort_completion(cohort).values()))
    assert (result.status, result.catch_ups) == (COMPLETED, ())
    assert result.completed_on == catch_up.starts_at.date()


def test_cancelled_sessions_count_for_nothing(db):
    cohort = make_cohort(sessions=2, trainees=1)
    hold_sessions(cohort, {"Trainee 1": ["absent", "absent"]}, status="cancelled")
    result = next(iter(cohort_completion(cohort).values()))
    assert (result.status, result.on_register, result.catch_ups) == (NOT_STARTED, 0, ())


def test_attendance_rate_is_sessions_attended_over_registers_the_trainee_was_on(db):
    cohort = make_cohort(sessions=5, trainees=1)
    hold_sessions(cohort, {"Trainee 1": ["present", "absent", "late", "absent", None]})
    assert next(iter(cohort_completion(cohort).values())).attendance_rate == 0.5


def test_catch_up_deliveries_for_others_do_not_make_a_trainee_look_stopped(db):
    cohort = make_cohort(sessions=4, trainees=2, status=Cohort.Status.RUNNING)
    hold_sessions(
        cohort,
        {"Trainee 1": ["present", "present", None, None], "Trainee 2": ["absent", "absent"]},
    )
    assert statuses(cohort)["Trainee 1"] == IN_PROGRESS


def test_refreshers_fall_due_the_set_months_after_completion(db):
    cohort = make_cohort(sessions=2, trainees=2)
    hold_sessions(cohort, {"Trainee 1": ["present", "present"], "Trainee 2": ["present"]})
    completed_on = date(2026, 1, 6)
    assert refreshers_due(cohort.establishment, date(2027, 1, 5)) == []
    due = refreshers_due(cohort.establishment, date(2027, 1, 6))
    assert [(d.trainee.display_name, d.due_on) for d in due] == [
        ("Trainee 1", add_months(completed_on, 12))
    ]
    cohort.programme.refresher_months = 6
    cohort.programme.save()
    assert len(refreshers_due(cohort.establishment, date(2026, 7, 6))) == 1


def test_adding_months_keeps_to_the_end_of_short_months():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)
