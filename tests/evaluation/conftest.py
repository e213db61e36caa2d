import pytest

from evaluation.models import Questionnaire


@pytest.fixture
def rosenberg(db):
    return Questionnaire.objects.get(slug="rosenberg-self-esteem")


@pytest.fixture
def attitudes(db):
    return Questionnaire.objects.get(slug="attitudes-to-care")


def answer(questionnaire, choices, trainee=None, cohort=None, **fields):
    """A response to ``questionnaire`` whose rating items, in order, get ``choices`` (choice
    indexes; None leaves an item unanswered). Free-text items get no answer."""
    from datetime import date

    from evaluation.models import Answer, Item, Response

    establishment = fields.pop("establishment", None) or (cohort or trainee).establishment
    response = Response.objects.create(
        questionnaire=questionnaire,
        establishment=establishment,
        trainee=trainee,
        cohort=cohort,
        time_point=fields.pop("time_point", "before"),
        completed_on=fields.pop("completed_on", date(2026, 1, 5)),
        **fields,
    )
    items = questionnaire.items.filter(kind=Item.Kind.RATING).order_by("sort_order")
    Answer.objects.bulk_create(
        Answer(response=response, item=item, choice=choice)
        for item, choice in zip(items, choices, strict=True)
        if choice is not None
    )
    return response


def choices_scoring(questionnaire, total: int) -> list[int]:
    """Choices that score ``total``: every item worth total // n, the first total % n items
    one more; reverse-scored items answered the other way round."""
    from evaluation.models import Item

    items = list(questionnaire.items.filter(kind=Item.Kind.RATING).order_by("sort_order"))
    lowest, highest = questionnaire.lowest_score, questionnaire.highest_score
    each, extra = divmod(total, len(items))
    values = [each + (n < extra) for n in range(len(items))]
    assert all(lowest <= v <= highest for v in values)
    return [
        highest - v if i.reverse_scored else v - lowest for i, v in zip(items, values, strict=True)
    ]
