"""Train-the-trainers: stages move forward only, with evidence; only facilitators sign off."""

import pytest

from cohorts.models import Delivery, StaffProfile, TrainerStage
from cohorts.services import CohortError, local_delivery_readiness, record_trainer_stage
from tests.factories import hold_sessions, make_cohort

Stage = TrainerStage.Stage


@pytest.fixture
def delivery(users):
    """A delivered session that `trainer` co-delivered."""
    cohort = make_cohort(sessions=2, trainees=1)
    StaffProfile.objects.create(user=users["trainer"], discipline="nurse").establishments.add(
        cohort.establishment
    )
    first, _ = hold_sessions(cohort, {})
    first.co_trainers.add(users["trainer"])
    return first


def climb(users, delivery, up_to):
    for stage in range(Stage.OBSERVED, up_to + 1):
        record_trainer_stage(
            users["trainer"], delivery.session, stage, delivery, users["facilitator"]
        )


def test_a_trainer_moves_forward_one_stage_at_a_time_with_evidence(users, delivery):
    climb(users, delivery, Stage.DELIVERED_UNDER_OBSERVATION)
    stages = TrainerStage.objects.filter(trainer=users["trainer"]).values_list("stage", flat=True)
    assert list(stages) == [1, 2, 3]


def test_a_stage_cannot_move_without_evidence(users, delivery):
    with pytest.raises(CohortError) as error:
        record_trainer_stage(
            users["trainer"], delivery.session, Stage.OBSERVED, None, users["facilitator"]
        )
    assert error.value.code == "no_evidence"


def test_evidence_must_be_a_delivery_of_that_session_that_took_place(users, delivery):
    other_session = delivery.cohort.deliveries.exclude(pk=delivery.pk).get()
    with pytest.raises(CohortError):
        record_trainer_stage(
            users["trainer"], delivery.session, Stage.OBSERVED, other_session, users["facilitator"]
        )
    delivery.status = Delivery.Status.PLANNED
    delivery.save()
    with pytest.raises(CohortError):
        record_trainer_stage(
            users["trainer"], delivery.session, Stage.OBSERVED, delivery, users["facilitator"]
        )


def test_a_stage_never_moves_back_or_skips(users, delivery):
    climb(users, delivery, Stage.CO_DELIVERED)
    with pytest.raises(CohortError) as back:
        record_trainer_stage(
            users["trainer"], delivery.session, Stage.OBSERVED, delivery, users["facilitator"]
        )
    with pytest.raises(CohortError) as skip:
        record_trainer_stage(
            users["trainer"], delivery.session, Stage.SIGNED_OFF, delivery, users["facilitator"]
        )
    assert (back.value.code, skip.value.code) == ("not_forward", "skips_a_stage")


@pytest.mark.parametrize("signer", ["trainer", "education", "evaluator", "trainee"])
def test_only_a_facilitator_signs_off(users, delivery, signer):
    climb(users, delivery, Stage.DELIVERED_UNDER_OBSERVATION)
    with pytest.raises(CohortError) as error:
        record_trainer_stage(
            users["trainer"], delivery.session, Stage.SIGNED_OFF, delivery, users[signer]
        )
    assert error.value.code == "not_a_facilitator"


def test_a_facilitator_signs_off_after_delivery_under_observation(users, delivery):
    climb(users, delivery, Stage.SIGNED_OFF)
    assert TrainerStage.objects.filter(stage=Stage.SIGNED_OFF).count() == 1


def test_readiness_shows_the_best_local_trainer_and_the_signed_off_share(users, delivery):
    climb(users, delivery, Stage.SIGNED_OFF)
    cohort = delivery.cohort
    Delivery.objects.filter(pk=delivery.pk).update(led_by=Delivery.LedBy.LOCAL_STAFF)
    readiness = local_delivery_readiness(cohort.establishment, cohort.programme)
    first, second = readiness.sessions
    assert (first.trainer, first.stage, second.stage) == (users["trainer"], Stage.SIGNED_OFF, 0)
    assert readiness.signed_off_share == 0.5  # two sessions of 60 minutes, one signed off
    assert readiness.cohorts == [(cohort, 0.5)]  # one of two held sessions led locally
