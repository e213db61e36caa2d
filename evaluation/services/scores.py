"""Scale scores and their change before and after a programme, paired by trainee and shown
under participant codes, never names."""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from cohorts.models import (
    Cohort,
    Trainee,
)

from ..models import (
    Answer,
    Item,
    Questionnaire,
    Response,
    TimePoint,
)
from .participants import participant_codes
from .questionnaires import EvaluationError


@dataclass(frozen=True)
class Spread:
    """n, mean, median, standard deviation (None under 2), smallest and largest."""

    n: int
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class PairedRow:
    trainee: Trainee
    before: int
    after: int
    code: str = ""  # the trainee's participant code: what reports show instead of a name

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class PairedChange:
    """A scale's scores before and after, for the trainees who gave both (paired)."""

    questionnaire: Questionnaire
    rows: tuple[PairedRow, ...]
    before: Spread
    after: Spread
    change: Spread
    answered_before: int = 0  # members with a score at the first time point, paired or not
    answered_after: int = 0  # members with a score at the second time point, paired or not

    @property
    def n(self) -> int:
        return len(self.rows)


def _scored_items(questionnaire: Questionnaire) -> list[Item]:
    return [i for i in questionnaire.items.all() if i.kind == Item.Kind.RATING and i.in_score]


def _score(questionnaire: Questionnaire, scored_items: list[Item], choices: dict) -> int | None:
    """``choices``: item id -> choice index (or None). The scale score, or None."""
    if not questionnaire.scale_name or not scored_items:
        return None
    lowest, highest = questionnaire.lowest_score, questionnaire.highest_score
    total = 0
    for item in scored_items:
        choice = choices.get(item.pk)
        if choice is None or not 0 <= choice < len(questionnaire.choices):
            return None
        value = lowest + choice
        total += (lowest + highest) - value if item.reverse_scored else value
    return total


def scale_score(response: Response) -> int | None:
    """The response's score on its questionnaire's scale: each scored rating item's value
    (lowest_score + choice index), reversed for reverse-scored items as (lowest_score +
    highest_score) - value; None if any scored item is unanswered or the questionnaire has no
    scale. Uses ``questionnaire.items.all()`` and ``answers.all()``, so prefetch both."""
    questionnaire = response.questionnaire
    if not questionnaire.scale_name:
        return None
    choices = {answer.item_id: answer.choice for answer in response.answers.all()}
    return _score(questionnaire, _scored_items(questionnaire), choices)


def spread(values) -> Spread:
    """n, mean, median, sample standard deviation (None for fewer than 2), lowest, highest."""
    values = [float(v) for v in values]
    if not values:
        return Spread(0)
    return Spread(
        n=len(values),
        mean=statistics.fmean(values),
        median=float(statistics.median(values)),
        sd=statistics.stdev(values) if len(values) >= 2 else None,
        low=min(values),
        high=max(values),
    )


def paired_change(
    cohort: Cohort, questionnaire: Questionnaire, before: str = "before", after: str = "end"
) -> PairedChange:
    """The scale's scores of the cohort's members who answered at both time points (the
    latest scored response of each, if several), sorted by participant code, never by name.
    Only responses recorded against this cohort count."""
    return paired_changes(cohort, [questionnaire], before, after)[0]


def paired_changes(cohort: Cohort, questionnaires, before: str, after: str) -> list:
    """paired_change for several questionnaires in a fixed number of queries."""
    if before not in TimePoint.values or after not in TimePoint.values or before == after:
        raise EvaluationError("unknown_time_points", "Choose two different time points to compare.")
    if not questionnaires:
        return []
    prefetch_related_objects(
        questionnaires, Prefetch("items", queryset=Item.objects.order_by("sort_order"))
    )
    by_pk = {q.pk: q for q in questionnaires}
    scored = {q.pk: _scored_items(q) for q in questionnaires}
    responses = (
        Response.objects.filter(
            cohort=cohort,
            questionnaire__in=list(by_pk),
            time_point__in=(before, after),
            trainee__memberships__cohort=cohort,
        )
        .select_related("trainee")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.only("response_id", "item_id", "choice"))
        )
        .order_by("completed_on", "created_at", "pk")
    )
    scores: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)  # (q, time) -> trainee
    trainees: dict[int, Trainee] = {}
    for response in responses:
        questionnaire = by_pk[response.questionnaire_id]
        choices = {answer.item_id: answer.choice for answer in response.answers.all()}
        score = _score(questionnaire, scored[questionnaire.pk], choices)
        if score is None:
            continue
        scores[(questionnaire.pk, response.time_point)][response.trainee_id] = score  # latest
        trainees[response.trainee_id] = response.trainee
    paired = {
        q.pk: scores[(q.pk, before)].keys() & scores[(q.pk, after)].keys() for q in questionnaires
    }
    codes = participant_codes(set().union(*paired.values()))
    changes = []
    for questionnaire in questionnaires:
        firsts, seconds = scores[(questionnaire.pk, before)], scores[(questionnaire.pk, after)]
        rows = sorted(
            (
                PairedRow(trainees[pk], firsts[pk], seconds[pk], codes[pk])
                for pk in paired[questionnaire.pk]
            ),
            key=lambda row: row.code,
        )
        changes.append(
            PairedChange(
                questionnaire=questionnaire,
                rows=tuple(rows),
                before=spread(row.before for row in rows),
                after=spread(row.after for row in rows),
                change=spread(row.change for row in rows),
                answered_before=len(firsts),
                answered_after=len(seconds),
            )
        )
    return changes


def outcome_scales() -> list[Questionnaire]:
    """The trainees' scales given both before the programme and at its end."""
    return [
        q
        for q in Questionnaire.objects.exclude(scale_name="").filter(
            audience=Questionnaire.Audience.TRAINEE
        )
        if TimePoint.BEFORE in q.time_points and TimePoint.END in q.time_points
    ]
