from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F

from cohorts.access import staff_establishments, visible_cohorts
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

PASSWORD = "seed-password"


def seed(factor: float) -> str:
    out = StringIO()
    call_command("seed_scale", factor=factor, password=PASSWORD, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_hundredth_of_the_scale_has_exact_counts():
    seed(0.01)

    assert Establishment.objects.count() == 1
    assert Cohort.objects.count() == 20
    assert Trainee.objects.count() == 200
    assert Membership.objects.count() == 200
    assert Delivery.objects.count() == 400
    assert Attendance.objects.count() == 4_000


@pytest.mark.django_db
def test_every_trainee_is_marked_at_every_delivery_of_their_cohort_in_their_prison():
    seed(0.02)

    assert Establishment.objects.count() == 2
    assert Attendance.objects.count() == 40 * 20 * 10
    assert not Attendance.objects.exclude(
        trainee__establishment=F("delivery__cohort__establishment")
    ).exists()
    assert not Attendance.objects.filter(mark="absent", absence_reason="").exists()


@pytest.mark.django_db
def test_each_prison_has_a_bench_trainer_who_signs_in_and_sees_only_their_prison():
    seed(0.02)
    prison = Establishment.objects.get(code="seed-002")
    trainer = get_user_model().objects.get(username="bench-seed-002")

    assert trainer.check_password(PASSWORD)
    assert list(staff_establishments(trainer)) == [prison]
    assert visible_cohorts(trainer).count() == 20
    assert StaffProfile.objects.filter(establishments=prison).count() == 3


@pytest.mark.django_db
def test_trainer_stages_rest_on_a_held_delivery_of_the_session_in_the_trainers_prison():
    seed(0.02)
    stages = TrainerStage.objects.select_related("evidence__cohort", "trainer__staff_profile")

    assert stages.filter(stage=TrainerStage.Stage.SIGNED_OFF).count() == 2 * 2
    for stage in stages:
        assert stage.evidence.session_id == stage.session_id
        assert stage.evidence.status in Delivery.HELD
        prisons = stage.trainer.staff_profile.establishments.all()
        assert stage.evidence.cohort.establishment in prisons


@pytest.mark.django_db
def test_seeding_twice_is_refused():
    seed(0.01)

    with pytest.raises(CommandError):
        seed(0.01)
