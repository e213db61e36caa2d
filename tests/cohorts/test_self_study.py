"""Catching up a missed session by studying it on screen: what a confirmed self-study counts
for in completion, and who may confirm which study. Real database, no mocks."""

from datetime import UTC, date, datetime, timedelta

import pytest
from wagtail.permissions import policy_registry

from audit.models import AuditEvent
from cohorts.access import in_scope
from cohorts.models import Cohort, Membership, SelfStudy, StaffProfile
from cohorts.services import (
    CAUGHT_UP,
    COMPLETED,
    IN_PROGRESS,
    NEEDED,
    WAITING,
    ChangeError,
    cohort_completion,
    completions_of,
    confirm_self_study,
    record_studied,
)
from tests.factories import hold_sessions, make_cohort, sessions_of

pytestmark = pytest.mark.usefixtures("staff_at_home")
STUDIED_AT = datetime(2026, 1, 8, 14, 0, tzinfo=UTC)
TALKED_ON = date(2026, 1, 9)


def member(cohort, name: str = "Trainee 1") -> Membership:
    return cohort.memberships.select_related("trainee").get(trainee__display_name=name)


def result_of(cohort, name: str = "Trainee 1"):
    return cohort_completion(cohort)[member(cohort, name).trainee_id]


def studied(cohort, session, name: str = "Trainee 1") -> SelfStudy:
    (study,) = record_studied(member(cohort, name).trainee, session, STUDIED_AT)
    return study


@pytest.fixture
def missed_one(home):
    """Trainee 1 came to the first and third sessions and missed the second (lockdown)."""
    cohort = make_cohort(sessions=3, trainees=2, establishment=home, status="running")
    deliveries = hold_sessions(
        cohort,
        {"Trainee 1": ["present", "absent", "present"], "Trainee 2": ["present"] * 3},
    )
    return cohort, deliveries


# --- What a self-study counts for ---------------------------------------------------------


def test_a_confirmed_self_study_of_a_missed_session_completes_the_trainee(missed_one, users):
    cohort, deliveries = missed_one
    confirm_self_study(studied(cohort, deliveries[1].session), users["trainer"], TALKED_ON)
    result = result_of(cohort)
    assert (result.status, result.completed_on) == (COMPLETED, TALKED_ON)
    assert (result.sessions_done, result.caught_up_sessions) == (3, 1)
    (catch_up,) = result.catch_ups
    assert (catch_up.session.pk, catch_up.state) == (deliveries[1].session_id, CAUGHT_UP)
    assert catch_up.confirmation == "Caught up by self-study, confirmed by trainer on 9 Jan 2026"


def test_the_register_stays_the_record_of_who_was_in_the_room(missed_one, users):
    cohort, deliveries = missed_one
    confirm_self_study(studied(cohort, deliveries[1].session), users["trainer"], TALKED_ON)
    result = result_of(cohort)
    assert (result.attended_sessions, result.attended, result.on_register) == (2, 2, 3)
    assert result.attendance_rate == pytest.approx(2 / 3)


def test_a_study_waiting_for_confirmation_never_counts(missed_one):
    cohort, deliveries = missed_one
    studied(cohort, deliveries[1].session)
    result = result_of(cohort)
    assert (result.status, result.sessions_done) == (IN_PROGRESS, 2)
    assert [c.state for c in result.catch_ups] == [WAITING]
    assert result.waiting_for_confirmation == result.still_to_catch_up == result.catch_ups
    assert result.catch_ups[0].confirmation == "Studied on screen on 8 Jan 2026: not confirmed yet"


def test_a_missed_session_nobody_studied_is_still_needed(missed_one):
    cohort, _ = missed_one
    assert [c.state for c in result_of(cohort).catch_ups] == [NEEDED]


def test_studying_a_session_the_trainee_came_to_changes_nothing(missed_one):
    cohort, deliveries = missed_one
    before = result_of(cohort)
    studied(cohort, deliveries[0].session)
    assert result_of(cohort) == before


def test_a_session_studied_before_it_is_held_is_on_the_catch_up_list(home, users):
    cohort = make_cohort(sessions=2, trainees=1, establishment=home, status="running")
    first, second = hold_sessions(cohort, {"Trainee 1": ["present"]})
    second.status = "planned"
    second.save()
    confirm_self_study(studied(cohort, second.session), users["trainer"], TALKED_ON)
    result = result_of(cohort)
    assert [(c.session.pk, c.state) for c in result.catch_ups] == [(second.session_id, CAUGHT_UP)]
    assert result.status == COMPLETED


def test_missing_the_last_sessions_but_catching_them_up_is_not_stopping(home, users):
    cohort = make_cohort(sessions=4, trainees=1, establishment=home, status="running")
    deliveries = hold_sessions(cohort, {"Trainee 1": ["absent", "present", "absent", "absent"]})
    for delivery in deliveries[2:]:
        confirm_self_study(studied(cohort, delivery.session), users["trainer"], TALKED_ON)
    result = result_of(cohort)
    assert (result.status, result.sessions_done) == (IN_PROGRESS, 3)
    assert [c.state for c in result.catch_ups] == [NEEDED, CAUGHT_UP, CAUGHT_UP]


@pytest.mark.parametrize("size", [5, 50])
def test_completion_costs_five_queries_whatever_the_size(home, size, django_assert_num_queries):
    cohort = make_cohort(sessions=4, trainees=size, establishment=home, status="running")
    marks = {f"Trainee {n + 1}": ["present", "absent", "late", "absent"] for n in range(size)}
    deliveries = hold_sessions(cohort, marks)
    for n in range(size):
        record_studied(
            member(cohort, f"Trainee {n + 1}").trainee, deliveries[1].session, STUDIED_AT
        )
    cohort = Cohort.objects.select_related("programme").get(pk=cohort.pk)
    with django_assert_num_queries(5):
        results = completions_of([cohort])[cohort.pk]
        assert all(r.catch_ups[0].waiting for r in results.values())


# --- Recording a study --------------------------------------------------------------------


def test_a_study_is_recorded_once_however_often_it_is_reported(missed_one):
    cohort, deliveries = missed_one
    trainee = member(cohort).trainee
    first = record_studied(trainee, deliveries[1].session, STUDIED_AT)
    again = record_studied(trainee, deliveries[1].session, STUDIED_AT + timedelta(days=1))
    assert first == again
    assert SelfStudy.objects.get().studied_at == STUDIED_AT


def test_a_cohort_the_trainee_has_left_records_no_study(missed_one, home):
    cohort, deliveries = missed_one
    Membership.objects.filter(pk=member(cohort).pk).update(
        left_on=date(2026, 1, 7), left_because="transferred"
    )
    assert record_studied(member(cohort).trainee, deliveries[1].session, STUDIED_AT) == []
    assert not SelfStudy.objects.exists()


def test_a_session_outside_the_programme_records_no_study(missed_one, home):
    cohort, _ = missed_one
    other = make_cohort(sessions=1, trainees=0, establishment=home)
    (outside,) = sessions_of(other.programme)
    assert record_studied(member(cohort).trainee, outside, STUDIED_AT) == []


# --- Confirming a catch-up ----------------------------------------------------------------


@pytest.mark.parametrize("username", ["education", "evaluator", "trainee"])
def test_only_staff_who_take_registers_confirm(missed_one, users, username):
    cohort, deliveries = missed_one
    study = studied(cohort, deliveries[1].session)
    with pytest.raises(ChangeError) as refused:
        confirm_self_study(study, users[username], TALKED_ON)
    assert refused.value.code == "not_allowed"
    assert result_of(cohort).catch_ups[0].state == WAITING


def test_a_trainer_of_another_prison_cannot_confirm(users, elsewhere):
    cohort = make_cohort(sessions=2, trainees=1, establishment=elsewhere)
    deliveries = hold_sessions(cohort, {"Trainee 1": ["present", "absent"]})
    study = studied(cohort, deliveries[1].session)
    with pytest.raises(ChangeError) as refused:
        confirm_self_study(study, users["trainer"], TALKED_ON)
    assert refused.value.code == "not_allowed"
    StaffProfile.objects.get(user=users["trainer"]).establishments.add(elsewhere)
    assert confirm_self_study(study, users["trainer"], TALKED_ON).talked_on == TALKED_ON


def test_a_study_of_a_session_the_trainee_came_to_confirms_nothing(missed_one, users):
    cohort, deliveries = missed_one
    study = studied(cohort, deliveries[0].session)
    with pytest.raises(ChangeError) as refused:
        confirm_self_study(study, users["trainer"], TALKED_ON)
    assert refused.value.code == "attended"
    assert "Trainee 1 came to this session" in str(refused.value)
    study.refresh_from_db()
    assert study.confirmed_at is None


def test_a_session_attended_at_a_catch_up_delivery_confirms_nothing(missed_one, users):
    cohort, deliveries = missed_one
    study = studied(cohort, deliveries[1].session)
    catch_up = cohort.deliveries.create(
        session=deliveries[1].session,
        starts_at=deliveries[2].starts_at + timedelta(days=7),
        status="delivered",
        kind="catch_up",
    )
    catch_up.attendances.create(trainee=member(cohort).trainee, mark="late")
    with pytest.raises(ChangeError) as refused:
        confirm_self_study(study, users["trainer"], TALKED_ON)
    assert refused.value.code == "attended"


def test_a_catch_up_is_confirmed_once(missed_one, users):
    cohort, deliveries = missed_one
    study = studied(cohort, deliveries[1].session)
    confirm_self_study(study, users["trainer"], TALKED_ON)
    with pytest.raises(ChangeError) as refused:
        confirm_self_study(study, users["facilitator"], TALKED_ON)
    assert refused.value.code == "already_confirmed"
    study.refresh_from_db()
    assert study.confirmed_by == users["trainer"]


@pytest.mark.parametrize(
    ("talked_on", "code"),
    [
        (date.today() + timedelta(days=1), "talked_in_future"),
        (STUDIED_AT.date() - timedelta(days=1), "talked_before_study"),
    ],
)
def test_the_day_they_talked_it_through_is_checked(missed_one, users, talked_on, code):
    cohort, deliveries = missed_one
    study = studied(cohort, deliveries[1].session)
    with pytest.raises(ChangeError) as refused:
        confirm_self_study(study, users["trainer"], talked_on)
    assert (refused.value.code, refused.value.field) == (code, "talked_on")


def test_a_confirmation_is_audited_without_a_name(missed_one, users):
    cohort, deliveries = missed_one
    study = studied(cohort, deliveries[1].session)
    confirm_self_study(study, users["trainer"], TALKED_ON)
    event = AuditEvent.objects.get(action="change")
    assert (event.user, event.what) == (
        users["trainer"],
        f"confirmed self-study catch-up {study.pk}",
    )


# --- The admin ----------------------------------------------------------------------------


def test_self_studies_are_scoped_to_the_staff_of_their_prison(missed_one, users, elsewhere):
    cohort, deliveries = missed_one
    ours = studied(cohort, deliveries[1].session)
    theirs_cohort = make_cohort(sessions=2, trainees=1, establishment=elsewhere)
    studied(theirs_cohort, sessions_of(theirs_cohort.programme)[0])
    for username in ("trainer", "facilitator"):
        assert list(in_scope(SelfStudy.objects.all(), users[username])) == [ours]


def test_staff_have_no_admin_screen_of_self_studies(users):
    policy = policy_registry.get_by_type(SelfStudy, fallback=False)
    actions = ["view", "add", "change", "delete"]
    for username in ("facilitator", "trainer", "education"):
        assert not policy.user_has_any_permission(users[username], actions)


def test_nobody_changes_a_self_study_in_the_admin(missed_one, admin_user):
    cohort, deliveries = missed_one
    study = studied(cohort, deliveries[1].session)
    policy = policy_registry.get_by_type(SelfStudy, fallback=False)
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission_for_instance(admin_user, action, study)
