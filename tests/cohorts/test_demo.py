from collections import Counter
from datetime import date

import pytest

from cohorts.demo import load_demo_cohorts
from cohorts.models import (
    Attendance,
    Delivery,
    Establishment,
    ShadowingLogEntry,
    ShadowingPlacement,
    Trainee,
    TrainerStage,
)
from cohorts.services import (
    CAUGHT_UP,
    COMPLETED,
    PARTIAL,
    WAITING,
    cohort_completion,
    local_delivery_readiness,
)

TODAY = date(2026, 11, 26)


@pytest.fixture
def story(users):
    return load_demo_cohorts("demo-password", today=TODAY)


def test_cycle_1_has_eight_completers_and_three_who_stopped(story):
    statuses = Counter(c.status for c in cohort_completion(story.cycle_1).values())

    assert statuses == {COMPLETED: 8, PARTIAL: 3}


def test_those_who_stopped_came_to_one_two_and_three_sessions(story):
    partial = [c for c in cohort_completion(story.cycle_1).values() if c.status == PARTIAL]

    assert sorted(c.attended_sessions for c in partial) == [1, 2, 3]


def test_cycle_1_completers_are_the_active_workers_of_cycle_2(story):
    completion = cohort_completion(story.cycle_1)
    completed = {pk for pk, c in completion.items() if c.status == COMPLETED}
    cycle_2 = set(story.cycle_2.trainees.values_list("pk", flat=True))

    assert completed < cycle_2
    assert (
        set(
            Trainee.objects.filter(role_status=Trainee.RoleStatus.ACTIVE).values_list(
                "pk", flat=True
            )
        )
        == completed
    )


def test_the_next_register_of_cycle_2_lists_ten_trainees(story):
    upcoming = story.cycle_2.deliveries.filter(status=Delivery.Status.PLANNED).first()
    on_register = upcoming.cohort.memberships.exclude(trainee__role_status=Trainee.RoleStatus.LEFT)

    assert upcoming.starts_at.date() == TODAY
    assert story.cycle_2.memberships.count() == 11
    assert on_register.count() == 10
    assert not upcoming.attendances.exists()


def test_a_lockdown_disrupted_a_delivery_of_cycle_2(story):
    disrupted = story.cycle_2.deliveries.get(status=Delivery.Status.DISRUPTED)
    reasons = Counter(disrupted.attendances.values_list("absence_reason", flat=True))

    assert disrupted.disruption_reason
    assert reasons[Attendance.AbsenceReason.REGIME] >= 3


def test_the_transferred_trainee_has_left_and_is_marked_transferred(story):
    transferred = Attendance.objects.filter(
        delivery__cohort=story.cycle_2, absence_reason=Attendance.AbsenceReason.TRANSFERRED
    )

    assert transferred.exists()
    assert {a.trainee.role_status for a in transferred} == {Trainee.RoleStatus.LEFT}


def test_readiness_shows_a_signed_off_session_and_the_shift_to_local_delivery(story):
    readiness = local_delivery_readiness(story.example, story.cycle_2.programme)
    shares = dict(readiness.cohorts)
    cycle_1_readiness = local_delivery_readiness(story.example, story.cycle_1.programme)

    assert any(s.stage == TrainerStage.Stage.SIGNED_OFF for s in readiness.sessions)
    assert readiness.signed_off_share > 0
    assert dict(cycle_1_readiness.cohorts)[story.cycle_1] == 0
    assert shares[story.cycle_2] > 0


def test_every_stage_was_signed_by_the_facilitator_and_rests_on_a_delivery(story):
    stages = TrainerStage.objects.select_related("evidence", "recorded_by")

    assert stages.count() == 10
    assert {s.recorded_by.username for s in stages} == {"facilitator"}
    assert all(s.evidence.session_id == s.session_id for s in stages)


def test_one_shadowing_placement_is_flagged_too_short(story):
    placements = ShadowingPlacement.objects.filter(new_worker__establishment=story.example)

    assert sorted((p.ends_on - p.starts_on).days for p in placements) == [10, 14]
    assert [p.too_short for p in placements.order_by("starts_on")] == [False, True]
    assert ShadowingLogEntry.objects.filter(placement__in=placements).count() >= 2


def test_the_signed_in_trainee_is_an_aspiring_member_of_cycle_2(story, users):
    trainee = users["trainee"].trainee

    assert trainee.role_status == Trainee.RoleStatus.ASPIRING
    assert story.cycle_2.memberships.filter(trainee=trainee).exists()


def test_only_the_northfield_trainer_is_staff_at_northfield(story):
    assert [p.user.username for p in story.northfield.staff.all()] == ["northfield"]
    assert story.northfield_cohort.memberships.exists()
    assert Establishment.objects.count() == 2


def test_cycle_2_shows_a_catch_up_by_self_study_and_one_waiting(story, users):
    completion = {c.trainee.display_name: c for c in cohort_completion(story.cycle_2).values()}
    (big_lou,) = completion["Big Lou"].catch_ups
    assert (big_lou.session.slug, big_lou.state) == ("care-for-older-adults", CAUGHT_UP)
    assert big_lou.self_study.confirmed_by == users["trainer"]  # Terry, a local nurse
    assert big_lou.talked_on == TODAY
    (tommo,) = completion["Tommo"].catch_ups
    assert (tommo.session.slug, tommo.state) == ("working-with-loss", WAITING)
    waiting = [name for name, c in completion.items() if c.waiting_for_confirmation]
    assert waiting == ["Tommo"]


def test_the_register_still_shows_who_was_in_the_room(story):
    catch_up = story.cycle_2.deliveries.get(
        session__slug="care-for-older-adults", status=Delivery.Status.DELIVERED
    )
    absent = catch_up.attendances.filter(mark=Attendance.Mark.ABSENT)
    assert [a.trainee.display_name for a in absent] == ["Big Lou"]
