"""What a trainee is asked to fill in, and saving an answered questionnaire, on screen or keyed
in from paper."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from cohorts.models import (
    Attendance,
    Cohort,
    Delivery,
    Establishment,
    Trainee,
)
from cohorts.services import (
    COMPLETED,
    cohort_completion,
)

from ..models import (
    Answer,
    Item,
    Questionnaire,
    Response,
    TimePoint,
)
from .questionnaires import EvaluationError

JUST_STARTED_DAYS = 14  # "before" stays open this long after a cohort's first held session
FOLLOW_UP_MONTHS = 3
SESSION_FEEDBACK_DAYS = 14  # how long after a session its feedback can be given


@dataclass(frozen=True)
class Due:
    """One questionnaire a trainee is asked to fill in now."""

    questionnaire: Questionnaire
    cohort: Cohort
    time_point: str
    delivery: Delivery | None = None

    @property
    def time_point_label(self) -> str:
        return TimePoint(self.time_point).label

    @property
    def query(self) -> dict[str, str]:
        """The fill-in page's query string for this questionnaire."""
        query = {"cohort": str(self.cohort.pk), "time_point": self.time_point}
        if self.delivery is not None:
            query["delivery"] = str(self.delivery.pk)
        return query


def _cohort_time_points(cohort: Cohort, status: str | None, held: list, today: date) -> set:
    """The programme-level time points open for one member of ``cohort`` today."""
    from cohorts.services import add_months

    open_now = set()
    finished = cohort.status == Cohort.Status.FINISHED
    if cohort.status == Cohort.Status.CANCELLED:
        return open_now
    first = held[0].starts_at.date() if held else None
    if not finished and (first is None or today <= first + timedelta(days=JUST_STARTED_DAYS)):
        open_now.add(TimePoint.BEFORE)
    if status == COMPLETED or finished:
        last = held[-1].starts_at.date() if held else None
        if last is not None and today >= add_months(last, FOLLOW_UP_MONTHS):
            open_now.add(TimePoint.FOLLOW_UP)
        else:
            open_now.add(TimePoint.END)
    return open_now


def questionnaires_due(trainee: Trainee, today: date) -> list[Due]:
    """What ``trainee`` is asked to fill in today, for each of their cohorts, leaving out what
    they have answered: "before" until two weeks after the cohort's first session; "end" once
    they completed or the cohort finished, until the follow-up is due three months after its
    last session; feedback on each session they came to in the last two weeks."""
    questionnaires = list(
        Questionnaire.objects.filter(audience=Questionnaire.Audience.TRAINEE).order_by("title")
    )
    if not questionnaires:
        return []
    answered = set(
        Response.objects.filter(trainee=trainee).values_list(
            "questionnaire_id", "cohort_id", "time_point", "delivery_id"
        )
    )
    due = []
    memberships = trainee.memberships.select_related("cohort__programme", "cohort__establishment")
    for membership in memberships:
        cohort = membership.cohort
        held = list(
            cohort.deliveries.filter(status__in=Delivery.HELD)
            .select_related("session")
            .order_by("starts_at")
        )
        status = cohort_completion(cohort)[trainee.pk].status if held else None
        open_now = _cohort_time_points(cohort, status, held, today)
        attended = set(
            Attendance.objects.filter(
                trainee=trainee, delivery__in=held, mark__in=Attendance.ATTENDED
            ).values_list("delivery_id", flat=True)
        )
        recent = [
            d
            for d in held
            if d.pk in attended
            and today - timedelta(days=SESSION_FEEDBACK_DAYS) <= d.starts_at.date() <= today
        ]
        for questionnaire in questionnaires:
            for time_point in questionnaire.time_points:
                if time_point == TimePoint.AFTER_SESSION:
                    due += [
                        Due(questionnaire, cohort, time_point, delivery)
                        for delivery in reversed(recent)
                        if (questionnaire.pk, cohort.pk, time_point, delivery.pk) not in answered
                    ]
                elif time_point in open_now:
                    if (questionnaire.pk, cohort.pk, time_point, None) not in answered:
                        due.append(Due(questionnaire, cohort, time_point))
    return due


def already_answered(
    trainee: Trainee,
    questionnaire: Questionnaire,
    *,
    cohort_id: int | None,
    time_point: str,
    delivery_id: int | None,
) -> bool:
    """One response per trainee, questionnaire, cohort, time point and session."""
    return Response.objects.filter(
        trainee=trainee,
        questionnaire=questionnaire,
        cohort_id=cohort_id,
        time_point=time_point,
        delivery_id=delivery_id,
    ).exists()


def find_due(
    trainee: Trainee,
    questionnaire: Questionnaire,
    today: date,
    *,
    cohort_id: int,
    time_point: str,
    delivery_id: int | None = None,
) -> Due | None:
    """The one due questionnaire these say, or None when it is not due (or not theirs)."""
    for item in questionnaires_due(trainee, today):
        if (
            item.questionnaire.pk == questionnaire.pk
            and item.cohort.pk == cohort_id
            and item.time_point == time_point
            and (item.delivery.pk if item.delivery else None) == delivery_id
        ):
            return item
    return None


@transaction.atomic
def record_response(
    questionnaire: Questionnaire,
    answers: dict[int, int | str | None],
    *,
    trainee: Trainee | None = None,
    establishment: Establishment,
    cohort: Cohort | None = None,
    delivery: Delivery | None = None,
    time_point: str,
    completed_on: date,
    entered_by=None,
    from_paper: bool = False,
) -> Response:
    """Save one filled-in questionnaire. ``answers`` maps item ids to a choice index (rating
    items) or text (free-text items); every rating item needs an answer, free text may be left
    empty. A trainee's response belongs to one of their cohorts; a response from a person
    receiving support names nobody. Raises ``EvaluationError`` with a code."""
    if time_point not in questionnaire.time_points:
        raise EvaluationError(
            "time_point_not_offered", "This questionnaire is not given at that time."
        )
    supported = questionnaire.audience == Questionnaire.Audience.SUPPORTED
    if supported and (trainee is not None or cohort is not None):
        raise EvaluationError("anonymous_form", "This form is filled in without a name.")
    if not supported and trainee is None:
        raise EvaluationError("no_trainee", "Say whose answers these are.")
    if trainee is not None:
        if trainee.establishment_id != establishment.pk:
            raise EvaluationError("wrong_establishment", "The trainee is at another prison.")
        if cohort is None or not cohort.memberships.filter(trainee=trainee).exists():
            raise EvaluationError("not_in_cohort", "Choose a cohort the trainee is in.")
    if time_point == TimePoint.AFTER_SESSION:
        if delivery is None or cohort is None or delivery.cohort_id != cohort.pk:
            raise EvaluationError("no_session", "Choose the session this feedback is about.")
        if delivery.status not in Delivery.HELD:
            raise EvaluationError("no_session", "That session has not taken place.")
    elif delivery is not None:
        raise EvaluationError("no_session", "Only session feedback is about one session.")
    if trainee is not None and already_answered(
        trainee,
        questionnaire,
        cohort_id=cohort.pk if cohort else None,
        time_point=time_point,
        delivery_id=delivery.pk if delivery else None,
    ):
        raise EvaluationError("already_answered", "These answers are already saved for that time.")

    items = {item.pk: item for item in questionnaire.items.all()}
    unknown = set(answers) - set(items)
    if unknown:
        raise EvaluationError("unknown_item", "An answer is for a question not on this form.")
    rows = []
    for pk, item in items.items():
        value = answers.get(pk)
        if item.kind == Item.Kind.RATING:
            if value is None or value == "":
                raise EvaluationError("missing_answer", f"Choose an answer for “{item.text}”.")
            if isinstance(value, bool) or not isinstance(value, int):
                raise EvaluationError("choice_out_of_range", "An answer is not one of the choices.")
            if not 0 <= value < len(questionnaire.choices):
                raise EvaluationError("choice_out_of_range", "An answer is not one of the choices.")
            rows.append(Answer(item=item, choice=value))
        else:
            text = (value or "").strip() if isinstance(value, str) else ""
            if value is not None and not isinstance(value, str):
                raise EvaluationError("not_text", "A written answer must be text.")
            if text:
                rows.append(Answer(item=item, text=text))
    response = Response.objects.create(
        questionnaire=questionnaire,
        establishment=establishment,
        trainee=trainee,
        cohort=cohort,
        delivery=delivery,
        time_point=time_point,
        completed_on=completed_on,
        from_paper=from_paper,
        entered_by=entered_by,
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response
