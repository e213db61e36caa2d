"""Scale scores, spreads and paired change, against figures worked out by hand."""

from datetime import date

import pytest

from cohorts.models import Membership, Trainee
from evaluation.models import ParticipantCode, Questionnaire, Response
from evaluation.services import (
    EvaluationError,
    paired_change,
    participant_code,
    participant_codes,
    scale_score,
    spread,
)
from tests.evaluation.conftest import answer, choices_scoring
from tests.factories import make_cohort

SD, D, A, SA = 0, 1, 2, 3  # Rosenberg's answers, as indexes into its choices


def test_rosenberg_is_scored_by_hand(home, rosenberg):
    # Items 2, 5, 6, 8 and 9 are reverse-scored (SA=0 ... SD=3); the others SA=3 ... SD=0.
    #  item:    1   2   3   4   5   6   7   8   9  10
    #  answer:  SA  D   A   A   SD  D   SA  A   SD  A
    #  value:   3   2   2   2   3   2   3   1   3   2   -> 23
    response = answer(rosenberg, [SA, D, A, A, SD, D, SA, A, SD, A], establishment=home)

    assert scale_score(response) == 23


def test_rosenberg_runs_from_0_to_30(home, rosenberg):
    reverse = [False, True, False, False, True, True, False, True, True, False]
    best = [SD if r else SA for r in reverse]  # agree with the good, disagree with the bad
    worst = [SA if r else SD for r in reverse]

    assert scale_score(answer(rosenberg, best, establishment=home)) == 30
    assert scale_score(answer(rosenberg, worst, establishment=home)) == 0


def test_agreeing_with_everything_scores_only_the_positive_items(home, rosenberg):
    # Five items at 3 (SA), five reversed items at 0.
    assert scale_score(answer(rosenberg, [SA] * 10, establishment=home)) == 15


def test_attitudes_to_care_scores_from_1_and_reverses_within_1_to_5(home, attitudes):
    # Choices 0..4 score 1..5; items 3, 5, 8 and 10 reversed as (1 + 5) - value.
    #  item:    1  2  3  4  5  6  7  8  9  10
    #  choice:  4  3  0  3  1  4  2  0  3  1
    #  value:   5  4  1  4  2  5  3  1  4  2
    #  scored:  5  4  5  4  4  5  3  5  4  4    -> 43
    response = answer(attitudes, [4, 3, 0, 3, 1, 4, 2, 0, 3, 1], establishment=home)

    assert scale_score(response) == 43


def test_agreeing_with_every_attitude_statement(home, attitudes):
    # "Agree" scores 4; on the four reversed items it scores (1 + 5) - 4 = 2: 6 x 4 + 4 x 2.
    assert scale_score(answer(attitudes, [3] * 10, establishment=home)) == 32


def test_an_unanswered_item_leaves_no_score(home, rosenberg):
    response = answer(rosenberg, [SA, D, A, A, None, D, SA, A, SD, A], establishment=home)

    assert scale_score(response) is None


def test_an_answer_outside_the_choices_leaves_no_score(home, rosenberg):
    response = answer(rosenberg, [SA, D, A, A, 4, D, SA, A, SD, A], establishment=home)

    assert scale_score(response) is None


def test_a_questionnaire_that_is_not_a_scale_has_no_score(home):
    feedback = Questionnaire.objects.get(slug="session-feedback")

    assert scale_score(answer(feedback, [4, 1, 3], establishment=home)) is None


def test_items_left_out_of_the_score_do_not_count(home, rosenberg):
    item = rosenberg.items.order_by("sort_order").first()
    item.in_score = False
    item.save()
    response = answer(rosenberg, [None, D, A, A, SD, D, SA, A, SD, A], establishment=home)

    assert scale_score(response) == 20  # 23 less item 1's 3, and its missing answer ignored


def test_spread_of_nothing_and_of_one():
    assert spread([]).n == 0
    assert spread([]).mean is None
    one = spread([7])
    assert (one.n, one.mean, one.median, one.sd, one.low, one.high) == (1, 7, 7, None, 7, 7)


def test_spread_by_hand():
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5, median (4 + 5) / 2 = 4.5; squared deviations
    # 9, 1, 1, 1, 0, 0, 4, 16 = 32; sample variance 32 / 7; sd 2.138.
    result = spread([2, 4, 4, 4, 5, 5, 7, 9])

    assert (result.n, result.mean, result.median, result.low, result.high) == (8, 5, 4.5, 2, 9)
    assert round(result.sd, 3) == 2.138


@pytest.fixture
def cohort(home):
    return make_cohort(trainees=0, establishment=home)


def member(cohort, name):
    trainee = Trainee.objects.create(establishment=cohort.establishment, display_name=name)
    Membership.objects.create(cohort=cohort, trainee=trainee)
    return trainee


def scores(rosenberg, cohort, trainee, time_point, total, day=5):
    choices = choices_scoring(rosenberg, total)
    return answer(
        rosenberg,
        choices,
        trainee=trainee,
        cohort=cohort,
        time_point=time_point,
        completed_on=date(2026, 1, day),
    )


def test_paired_change_on_three_trainees_by_hand(cohort, rosenberg):
    # Before 12, 15, 20; end 18, 15, 23; change +6, 0, +3.
    # before: mean 47 / 3 = 15.67, median 15, squared deviations 13.44 + 0.44 + 18.78 = 32.67,
    #         sd sqrt(32.67 / 2) = 4.04; end: mean 56 / 3 = 18.67, median 18, sd 4.04 (same
    #         deviations); change: mean 3, median 3, squared deviations 9 + 9 + 0, sd 3.00.
    for name, before, end in [("Alex", 12, 18), ("Billie", 15, 15), ("Casey", 20, 23)]:
        trainee = member(cohort, name)
        scores(rosenberg, cohort, trainee, "before", before)
        scores(rosenberg, cohort, trainee, "end", end, day=30)

    change = paired_change(cohort, rosenberg)

    assert change.n == 3
    assert sorted((row.before, row.after, row.change) for row in change.rows) == [
        (12, 18, 6),
        (15, 15, 0),
        (20, 23, 3),
    ]
    assert (change.before.n, round(change.before.mean, 2), change.before.median) == (3, 15.67, 15)
    assert round(change.before.sd, 2) == 4.04
    assert (round(change.after.mean, 2), change.after.median) == (18.67, 18)
    assert round(change.after.sd, 2) == 4.04
    assert (change.change.mean, change.change.median, round(change.change.sd, 2)) == (3, 3, 3.0)
    assert (change.change.low, change.change.high) == (0, 6)


def test_trainees_with_one_time_point_are_left_out(cohort, rosenberg):
    both = member(cohort, "Alex")
    scores(rosenberg, cohort, both, "before", 12)
    scores(rosenberg, cohort, both, "end", 18, day=30)
    scores(rosenberg, cohort, member(cohort, "Drew"), "before", 14)
    scores(rosenberg, cohort, member(cohort, "Eli"), "end", 25, day=30)
    unfinished = member(cohort, "Flo")
    scores(rosenberg, cohort, unfinished, "before", 16)
    answer(rosenberg, [SA] * 9 + [None], trainee=unfinished, cohort=cohort, time_point="end")

    change = paired_change(cohort, rosenberg)

    assert [row.trainee for row in change.rows] == [both]
    assert (change.answered_before, change.answered_after) == (3, 2)


def test_the_latest_response_at_a_time_point_counts(cohort, rosenberg):
    trainee = member(cohort, "Casey")
    scores(rosenberg, cohort, trainee, "before", 10, day=2)
    scores(rosenberg, cohort, trainee, "before", 20, day=5)
    scores(rosenberg, cohort, trainee, "end", 23, day=30)

    (row,) = paired_change(cohort, rosenberg).rows

    assert (row.before, row.after) == (20, 23)


def test_responses_given_in_another_cohort_do_not_count(cohort, rosenberg, home):
    other = make_cohort(trainees=0, establishment=home)
    trainee = member(cohort, "Alex")
    Membership.objects.create(cohort=other, trainee=trainee)
    scores(rosenberg, cohort, trainee, "before", 12)
    scores(rosenberg, other, trainee, "end", 18, day=30)

    assert paired_change(cohort, rosenberg).n == 0
    assert paired_change(other, rosenberg).n == 0


def test_rows_are_in_participant_code_order_not_name_order(cohort, rosenberg):
    for name in ["Alex", "Billie", "Casey", "Drew", "Eli"]:
        trainee = member(cohort, name)
        scores(rosenberg, cohort, trainee, "before", 12)
        scores(rosenberg, cohort, trainee, "end", 14, day=30)

    rows = paired_change(cohort, rosenberg).rows

    codes = [row.code for row in rows]
    assert codes == sorted(codes)
    assert codes == [participant_code(row.trainee) for row in rows]


def test_comparing_a_time_point_with_itself_is_refused(cohort, rosenberg):
    with pytest.raises(EvaluationError) as error:
        paired_change(cohort, rosenberg, "end", "end")

    assert error.value.code == "unknown_time_points"


def test_a_participant_code_is_made_once_and_kept(home):
    trainee = Trainee.objects.create(
        establishment=home, display_name="Alex", prison_number="A1234BC"
    )

    code = participant_code(trainee)

    assert participant_code(trainee) == code
    assert ParticipantCode.objects.filter(trainee=trainee).count() == 1
    assert code.startswith("P-")
    assert "Alex" not in code and "A1234BC" not in code  # a short number could be hex by chance


def test_participant_codes_in_bulk_match_the_ones_made_one_at_a_time(home):
    first = Trainee.objects.create(establishment=home, display_name="Alex")
    others = [Trainee.objects.create(establishment=home, display_name=n) for n in "BCD"]
    known = participant_code(first)

    codes = participant_codes([first, *others])

    assert codes[first.pk] == known
    assert {codes[t.pk] for t in others} == {participant_code(t) for t in others}
    assert len(set(codes.values())) == 4
    assert ParticipantCode.objects.count() == 4


def test_scores_come_from_prefetched_answers_without_more_queries(
    home, rosenberg, django_assert_num_queries
):
    answer(rosenberg, [SA, D, A, A, SD, D, SA, A, SD, A], establishment=home)
    answer(rosenberg, [SA] * 10, establishment=home)
    responses = Response.objects.select_related("questionnaire").prefetch_related(
        "answers", "questionnaire__items"
    )

    with django_assert_num_queries(3):
        assert sorted(scale_score(r) for r in responses) == [15, 23]
