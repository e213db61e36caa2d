"""A cohort's figures (cost per completer, attendance, absence reasons, outcomes) and the
scheme-health checklist, on small examples worked out by hand."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from cohorts.models import (
    Attendance,
    Cohort,
    Delivery,
    Establishment,
    ShadowingPlacement,
    StaffProfile,
    Trainee,
)
from courses.models import SessionPage
from evaluation.models import (
    Answer,
    CohortCosts,
    HourlyCost,
    Item,
    Questionnaire,
    Response,
)
from evaluation.services import (
    ATTENTION,
    GOOD,
    HEALTH_AREAS,
    NO_DATA,
    cohort_figures,
    cost_of,
    scheme_health,
)
from journals.models import SupervisionAttendee, SupervisionMeeting
from tests.evaluation.conftest import answer, choices_scoring
from tests.factories import hold_sessions, make_cohort, sessions_of

TODAY = date(2026, 11, 26)


def staff(username, discipline, home, users=None):
    user = (users or {}).get(username) or get_user_model().objects.create_user(username)
    StaffProfile.objects.create(user=user, discipline=discipline).establishments.add(home)
    return user


@pytest.fixture
def costed_cohort(users, home):
    """Two 90-minute sessions, both held, led by the facilitator with a nurse co-training;
    Trainees 1 and 2 come to both, Trainee 3 misses the second."""
    cohort = make_cohort(sessions=2, trainees=3, establishment=home)
    SessionPage.objects.filter(pk__in=[s.pk for s in sessions_of(cohort.programme)]).update(
        duration=90
    )
    nurse = staff("trainer", "nurse", home, users)
    deliveries = hold_sessions(
        cohort,
        {
            "Trainee 1": ["present", "present"],
            "Trainee 2": ["present", "late"],
            "Trainee 3": ["present", "absent"],
        },
        lead_trainer=users["facilitator"],
    )
    for delivery in deliveries:
        delivery.co_trainers.add(nurse)
    Delivery.objects.create(  # cancelled: costs nothing
        cohort=cohort,
        session=deliveries[0].session,
        starts_at=deliveries[0].starts_at + timedelta(days=7),
        status=Delivery.Status.CANCELLED,
        lead_trainer=users["facilitator"],
    )
    HourlyCost.objects.create(role="visiting_facilitator", pounds_per_hour=Decimal("45.00"))
    HourlyCost.objects.create(role="nurse", pounds_per_hour=Decimal("32.00"))
    CohortCosts.objects.create(cohort=cohort, printing=Decimal("20.00"), materials=Decimal("10"))
    return cohort


def test_cost_per_completer_by_hand(costed_cohort):
    # Facilitator: 2 x 1.5 h = 3 h at £45 = £135. Nurse: 3 h at £32 = £96. Trainers £231;
    # with printing £20 and materials £10, £261; two completers: £130.50 each.
    cost = cost_of(costed_cohort)

    assert cost.hours_by_role == {"Visiting facilitator": Decimal("3"), "Nurse": Decimal("3")}
    assert cost.cost_by_role == {"Visiting facilitator": Decimal("135"), "Nurse": Decimal("96")}
    assert cost.trainer_cost == Decimal("231.00")
    assert cost.total == Decimal("261.00")
    assert cost.completers == 2
    assert cost.per_completer == Decimal("130.50")
    assert cost.unpriced_roles == ()
    assert cost.costs_recorded


def test_a_role_with_no_hourly_cost_counts_hours_at_nothing_and_is_named(
    costed_cohort, home, users
):
    ot = staff("ot", "occupational_therapist", home)
    costed_cohort.deliveries.get(status="delivered", starts_at__day=5).co_trainers.add(ot)

    cost = cost_of(costed_cohort)

    assert cost.hours_by_role["Occupational therapist"] == Decimal("1.5")
    assert cost.cost_by_role["Occupational therapist"] == 0
    assert cost.unpriced_roles == ("Occupational therapist",)
    assert cost.total == Decimal("261.00")


def test_a_trainer_with_no_staff_role_is_counted_as_not_recorded(costed_cohort, users):
    costed_cohort.deliveries.filter(status="delivered").first().co_trainers.add(users["education"])

    cost = cost_of(costed_cohort)

    assert cost.hours_by_role["Trainer's role not recorded"] == Decimal("1.5")
    assert cost.unpriced_roles == ("Trainer's role not recorded",)


def test_a_cohort_without_costs_or_completers(home):
    cost = cost_of(make_cohort(trainees=2, establishment=home))

    assert cost.total == 0
    assert cost.per_completer is None
    assert not cost.costs_recorded


def test_a_delivery_with_no_named_lead_is_the_visiting_facilitators_time(home):
    cohort = make_cohort(sessions=1, trainees=1, establishment=home)
    hold_sessions(cohort, {"Trainee 1": ["present"]})
    HourlyCost.objects.create(role="visiting_facilitator", pounds_per_hour=Decimal("45.00"))

    cost = cost_of(cohort)

    assert cost.hours_by_role == {"Visiting facilitator": Decimal("1")}
    assert cost.per_completer == Decimal("45.00")


def test_attendance_rate_and_completion(costed_cohort):
    # Six marks, five of them present, late or left early.
    figures = cohort_figures(costed_cohort)

    assert figures.members == 3
    assert figures.attendance_rate == 5 / 6
    assert figures.completion_counts["completed"] == 2
    assert figures.completion_rate == 2 / 3
    assert figures.local_delivery_share == 0.0
    assert figures.cost.per_completer == Decimal("130.50")


def test_absence_reasons_most_first(home):
    cohort = make_cohort(sessions=3, trainees=3, establishment=home)
    deliveries = hold_sessions(cohort, {})
    trainees = list(Trainee.objects.filter(memberships__cohort=cohort).order_by("display_name"))
    reasons = [
        ["regime", "regime", "healthcare"],
        ["regime", "", "legal_visit"],
        ["", "", ""],
    ]
    for trainee, row in zip(trainees, reasons, strict=True):
        for delivery, reason in zip(deliveries, row, strict=True):
            Attendance.objects.create(
                delivery=delivery,
                trainee=trainee,
                mark="absent" if reason else "present",
                absence_reason=reason,
            )

    figures = cohort_figures(cohort)

    assert list(figures.absence_reasons.items()) == [
        ("Regime or lockdown", 3),
        ("Healthcare", 1),
        ("Legal visit", 1),
    ]
    assert figures.attendance_rate == 4 / 9


def test_no_marks_no_rates(home):
    figures = cohort_figures(make_cohort(trainees=2, establishment=home))

    assert figures.attendance_rate is None
    assert figures.absence_reasons == {}
    assert figures.local_delivery_share is None
    assert all(outcome.n == 0 for outcome in figures.outcomes)


def test_outcomes_cover_both_scales_given_before_and_at_the_end(costed_cohort):
    rosenberg = Questionnaire.objects.get(slug="rosenberg-self-esteem")
    for trainee in Trainee.objects.filter(memberships__cohort=costed_cohort):
        for time_point, total in [("before", 14), ("end", 17)]:
            answer(
                rosenberg,
                choices_scoring(rosenberg, total),
                trainee=trainee,
                cohort=costed_cohort,
                time_point=time_point,
            )

    outcomes = {o.questionnaire.slug: o for o in cohort_figures(costed_cohort).outcomes}

    assert set(outcomes) == {"attitudes-to-care", "rosenberg-self-esteem"}
    assert outcomes["rosenberg-self-esteem"].change.mean == 3
    assert outcomes["rosenberg-self-esteem"].n == 3
    assert outcomes["attitudes-to-care"].n == 0


# --- Queries -------------------------------------------------------------------------------


def busy_cohort(home, users, size: int) -> Cohort:
    """``size`` trainees, three held sessions with a co-trainer, marks with absences, and both
    scales answered before and at the end by everyone."""
    cohort = make_cohort(
        sessions=3, trainees=size, establishment=home, lead_trainer=users["facilitator"]
    )
    trainees = list(Trainee.objects.filter(memberships__cohort=cohort))
    nurse = users["trainer"]
    if not hasattr(nurse, "staff_profile"):
        staff("trainer", "nurse", home, users)
    for n, session in enumerate(sessions_of(cohort.programme)):
        delivery = Delivery.objects.create(
            cohort=cohort,
            session=session,
            starts_at=datetime(2026, 1, 5 + n, 9, 30, tzinfo=UTC),
            status="delivered",
            lead_trainer=users["facilitator"],
            led_by="local_staff" if n == 2 else "visiting_facilitator",
        )
        delivery.co_trainers.add(nurse)
        Attendance.objects.bulk_create(
            Attendance(
                delivery=delivery,
                trainee=t,
                mark="absent" if (i + n) % 4 == 0 else "present",
                absence_reason="regime" if (i + n) % 4 == 0 else "",
            )
            for i, t in enumerate(trainees)
        )
    scales = Questionnaire.objects.exclude(scale_name="")
    responses = Response.objects.bulk_create(
        Response(
            questionnaire=q,
            establishment=home,
            trainee=t,
            cohort=cohort,
            time_point=time_point,
            completed_on=date(2026, 1, 5),
        )
        for q in scales
        for t in trainees
        for time_point in ("before", "end")
    )
    items = {
        q.pk: list(q.items.filter(kind=Item.Kind.RATING).order_by("sort_order")) for q in scales
    }
    Answer.objects.bulk_create(
        Answer(response=r, item=item, choice=1)
        for r in responses
        for item in items[r.questionnaire_id]
    )
    CohortCosts.objects.create(cohort=cohort, printing=Decimal("5"))
    return cohort


@pytest.mark.parametrize("size", [5, 50])
def test_cohort_figures_take_the_same_queries_for_5_or_50_trainees(
    size, home, users, django_assert_num_queries
):
    cohort = Cohort.objects.get(pk=busy_cohort(home, users, size).pk)

    # Completion 6 (confirmed self-studies included), deliveries 1, absence reasons 1, scales
    # and their items 2, responses and answers 2, participant codes 3 (found, made, read back),
    # cost 4.
    with django_assert_num_queries(19):
        figures = cohort_figures(cohort)

    assert figures.members == size
    assert [o.n for o in figures.outcomes] == [size, size]
    assert figures.absence_reasons["Regime or lockdown"] > 0


# --- Scheme health -------------------------------------------------------------------------

NAMES = ["Zebedee Quill", "Ozymandias Frost", "Peregrine Vale"]
PRISON_NUMBERS = ["Z9876QQ", "Y1234XW", "X5555VV"]


@pytest.fixture
def scheme(users, home):
    """A finished cohort at home: two named trainees completed (one has since left), one
    stopped; a supervision meeting, a short shadowing placement, feedback after one of two
    sessions, costs entered."""
    cohort = make_cohort(
        sessions=2,
        trainees=0,
        establishment=home,
        status=Cohort.Status.FINISHED,
        start_date=date(2026, 9, 1),
        lead_trainer=users["facilitator"],
    )
    trainees = []
    for name, number in zip(NAMES, PRISON_NUMBERS, strict=True):
        trainee = Trainee.objects.create(
            establishment=home,
            display_name=name,
            prison_number=number,
            consent_recorded_on=None if name == "Peregrine Vale" else date(2026, 9, 1),
        )
        cohort.memberships.create(trainee=trainee)
        trainees.append(trainee)
    deliveries = hold_sessions(
        cohort,
        {NAMES[0]: ["present", "present"], NAMES[1]: ["present", "present"], NAMES[2]: ["present"]},
        first_day=datetime(2026, 9, 1, 13, 30, tzinfo=UTC),
    )
    zebedee, ozymandias, _ = trainees
    Trainee.objects.filter(pk=zebedee.pk).update(role_status=Trainee.RoleStatus.ACTIVE)
    Trainee.objects.filter(pk=ozymandias.pk).update(role_status=Trainee.RoleStatus.LEFT)
    meeting = SupervisionMeeting.objects.create(
        establishment=home, supervisor=users["trainer"], held_on=TODAY - timedelta(days=10)
    )
    SupervisionAttendee.objects.create(meeting=meeting, trainee=zebedee, wellbeing=4)
    ShadowingPlacement.objects.create(
        new_worker=zebedee,
        experienced_worker=ozymandias,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 8),
    )
    feedback = Questionnaire.objects.get(slug="session-feedback")
    answer(
        feedback,
        [4, 1, 3],
        trainee=zebedee,
        cohort=cohort,
        delivery=deliveries[0],
        time_point="after_session",
    )
    CohortCosts.objects.create(cohort=cohort, printing=Decimal("12"))
    return home


def test_scheme_health_covers_the_four_areas_with_evidence(scheme):
    items = scheme_health(scheme, TODAY)

    assert [area for area in HEALTH_AREAS if any(i.area == area for i in items)] == list(
        HEALTH_AREAS
    )
    assert all(i.status in (GOOD, ATTENTION, NO_DATA) for i in items)
    assert all(i.evidence.endswith(".") and i.label for i in items)


def test_scheme_health_never_names_anyone(scheme, users):
    text = " ".join(f"{i.area} {i.label} {i.evidence}" for i in scheme_health(scheme, TODAY))

    for word in [*" ".join(NAMES).split(), *PRISON_NUMBERS, users["trainer"].username]:
        assert word not in text


def test_scheme_health_evidence_from_the_records(scheme):
    items = {i.label: i for i in scheme_health(scheme, TODAY)}

    turnover = items["Trained peer workers staying in the role"]
    assert (turnover.status, turnover.evidence) == (
        ATTENTION,
        "1 of 2 (50%) trained peer workers have left the role.",
    )
    consent = items["Consent recorded"]
    assert consent.status == ATTENTION
    assert "1 of 2 (50%)" in consent.evidence  # the one who left no longer counts
    supervision = items["Supervision happening"]
    assert (supervision.status, supervision.evidence) == (
        GOOD,
        "1 supervision meeting in the last 6 weeks; 0 of 1 active peer workers have not "
        "been supervised in that time.",
    )
    assert items["Shadowing for at least two weeks"].status == ATTENTION
    assert "1 shorter than 14 days" in items["Shadowing for at least two weeks"].evidence
    assert items["Session feedback collected"].evidence == (
        "Feedback was collected after 1 of 2 (50%) sessions held in the last 12 months."
    )
    assert items["Training completed"].evidence.startswith("2 of 3 (67%)")
    assert items["Cost data entered"].status == ATTENTION  # no hourly cost set
    assert "Visiting facilitator" in items["Cost data entered"].evidence


def test_scheme_health_of_a_prison_with_nothing_yet(db):
    empty = Establishment.objects.create(name="HMP Empty", code="hmp-empty")

    items = {i.label: i for i in scheme_health(empty, TODAY)}

    assert items["Cohorts planned and running"].status == ATTENTION
    assert items["Cohorts planned and running"].evidence == "No cohort has been planned yet."
    assert sum(i.status == NO_DATA for i in items.values()) == len(items) - 1
