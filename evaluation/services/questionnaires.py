"""The seeded questionnaires, and the error every evaluation rule raises."""

from django.db import transaction

from kernel.errors import DomainError

from ..models import (
    Item,
    Questionnaire,
)
from ..questionnaires import QUESTIONNAIRES


class EvaluationError(DomainError):
    """A response or figure the evaluation rules refuse."""


@transaction.atomic
def load_questionnaires() -> int:
    """Add the seeded questionnaires that are missing (by slug); never change existing ones.
    Returns how many were added."""
    added = 0
    for definition in QUESTIONNAIRES:
        if Questionnaire.objects.filter(slug=definition["slug"]).exists():
            continue
        fields = {k: v for k, v in definition.items() if k != "items"}
        questionnaire = Questionnaire.objects.create(**fields)
        Item.objects.bulk_create(
            Item(
                questionnaire=questionnaire,
                sort_order=n,
                text=text,
                kind=kind,
                reverse_scored=reverse,
                in_score=in_score,
            )
            for n, (text, kind, reverse, in_score) in enumerate(definition["items"])
        )
        added += 1
    return added
