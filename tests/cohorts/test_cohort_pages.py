"""The staff screens of cohorts, trainees and readiness, and a trainee's own progress."""

import pytest
from django.urls import reverse

from cohorts.models import Membership, ShadowingPlacement, Trainee, TrainerStage
from tests.factories import hold_sessions, make_cohort, sessions_of

pytestmark = pytest.mark.usefixtures("staff_at_home")


@pytest.fixture
def cohort(home):
    """Three sessions held: Trainee 1 came to all, Trainee 2 missed the second, Trainee 3 none."""
    cohort = make_cohort(sessions=3, trainees=3, establishment=home, status="running")
    hold_sessions(
        cohort,
        {
            "Trainee 1": ["present", "late", "present"],
            "Trainee 2": ["present", "absent", "present"],
        },
    )
    return cohort


def page(client, name, *args):
    response = client.get(reverse(f"cohorts:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_cohort_list_shows_my_establishments_cohorts_only(client_for, cohort, elsewhere):
    other = make_cohort(establishment=elsewhere, trainees=1)
    html = page(client_for("trainer"), "cohort_list")
    assert cohort.name in html
    assert other.name not in html


def test_the_cohort_page_shows_each_trainees_completion_and_the_timetable(client_for, cohort):
    html = page(client_for("trainer"), "cohort_detail", cohort.pk)
    assert "3 of 3" in html and "Completed" in html
    assert "2 of 3" in html and "In progress" in html
    assert "Not started" in html
    for delivery in cohort.deliveries.all():
        assert reverse("cohorts:register", args=[delivery.pk]) in html
        assert reverse("cohorts:paper_register", args=[delivery.pk]) in html


def test_the_education_department_sees_no_register_to_take(client_for, cohort):
    html = page(client_for("education"), "cohort_detail", cohort.pk)
    assert "Take register" not in html and "Edit register" not in html
    assert "the paper register for" in html


def test_staff_of_the_establishment_see_the_prison_number(client_for, cohort, home):
    trainee = Trainee.objects.create(
        establishment=home, display_name="Ola", prison_number="A9999ZZ"
    )
    Membership.objects.create(cohort=cohort, trainee=trainee)
    assert "A9999ZZ" in page(client_for("trainer"), "cohort_detail", cohort.pk)
    assert "A9999ZZ" in page(client_for("trainer"), "trainee_progress", trainee.pk)


def test_the_completion_summary_lists_what_each_trainee_must_catch_up(client_for, cohort):
    html = page(client_for("trainer"), "completion_summary", cohort.pk)
    second_session = sessions_of(cohort.programme)[1]
    trainee_2_row = html.split('data-trainee="Trainee 2"')[1].split("</tr>")[0]
    assert second_session.title in trainee_2_row
    trainee_1_row = html.split('data-trainee="Trainee 1"')[1].split("</tr>")[0]
    assert (
        reverse(
            "cohorts:certificate",
            args=[cohort.pk, cohort.trainees.get(display_name="Trainee 1").pk],
        )
        in trainee_1_row
    )


def test_a_trainees_progress_page_shows_attendance_catch_ups_and_short_shadowing(
    client_for, cohort, home
):
    trainee = cohort.trainees.get(display_name="Trainee 2")
    mentor = cohort.trainees.get(display_name="Trainee 1")
    ShadowingPlacement.objects.create(
        new_worker=trainee, experienced_worker=mentor, starts_on="2026-02-01", ends_on="2026-02-08"
    )
    html = page(client_for("trainer"), "trainee_progress", trainee.pk)
    assert "Absent" in html and "Healthcare" in html
    assert "Catch-up sessions" in html and "Needed" in html
    assert "Shorter than two weeks" in html


def test_a_peer_support_worker_sees_their_own_progress_without_their_prison_number(
    client_for, cohort, own_trainee
):
    Membership.objects.create(cohort=cohort, trainee=own_trainee)
    html = page(client_for("trainee"), "my_progress")
    assert "My progress" in html and "0 of 3" in html
    assert own_trainee.prison_number not in html


def test_a_peer_support_worker_without_a_record_is_told_so(client_for):
    assert "not recorded" in page(client_for("trainee"), "my_progress")


def test_readiness_shows_the_most_advanced_local_trainer_and_the_signed_off_share(
    client_for, users, cohort, home
):
    first, second, _ = cohort.deliveries.order_by("starts_at")
    first.lead_trainer = users["trainer"]
    first.led_by = "local_staff"
    first.save()
    for stage in TrainerStage.Stage:
        TrainerStage.objects.create(
            trainer=users["trainer"], session=first.session, stage=stage, evidence=first
        )
    html = (
        client_for("education")
        .get(reverse("cohorts:readiness", args=[home.code]), {"programme": cohort.programme.slug})
        .content.decode()
    )
    assert "Signed off to deliver alone" in html
    assert "33%" in html  # one of three sessions of equal length; and one of three held
    assert "No local trainer yet" in html


def test_a_facilitators_own_stages_do_not_count_as_local(client_for, users, cohort, home):
    first = cohort.deliveries.order_by("starts_at").first()
    TrainerStage.objects.create(
        trainer=users["facilitator"], session=first.session, stage=4, evidence=first
    )
    html = (
        client_for("trainer")
        .get(reverse("cohorts:readiness", args=[home.code]), {"programme": cohort.programme.slug})
        .content.decode()
    )
    assert "Signed off to deliver alone" not in html


def record(client, home, trainer, delivery, stage):
    return client.post(
        reverse("cohorts:record_stage", args=[home.code]),
        {"trainer": trainer.pk, "evidence": delivery.pk, "stage": stage},
    )


def test_a_local_trainer_records_a_step_through_the_rules(client_for, users, cohort, home):
    delivery = cohort.deliveries.first()
    delivery.co_trainers.add(users["trainer"])
    response = record(client_for("trainer"), home, users["trainer"], delivery, 1)
    assert response.status_code == 302
    assert TrainerStage.objects.filter(trainer=users["trainer"], stage=1).exists()
    response = record(client_for("trainer"), home, users["trainer"], delivery, 3)
    assert "one stage at a time" in response.content.decode()


def test_only_a_facilitator_signs_off(client_for, users, cohort, home):
    delivery = cohort.deliveries.first()
    delivery.co_trainers.add(users["trainer"])
    for stage in (1, 2, 3):
        TrainerStage.objects.create(
            trainer=users["trainer"], session=delivery.session, stage=stage, evidence=delivery
        )
    refused = record(client_for("trainer"), home, users["trainer"], delivery, 4)
    assert "Only a facilitator" in refused.content.decode()
    assert record(client_for("facilitator"), home, users["trainer"], delivery, 4).status_code == 302
    assert TrainerStage.objects.filter(trainer=users["trainer"], stage=4).exists()
