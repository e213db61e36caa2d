"""Template tags of journals and supervision."""

import datetime

from django import template
from django.conf import settings

from kernel import clock

from .. import services
from ..rendering import MARKDOWN_LIMIT, markdown_to_html

register = template.Library()


@register.filter
def markdown(text: str):
    """A writer's Markdown as sanitised HTML: the only way their text becomes HTML."""
    return markdown_to_html(text)


@register.simple_tag
def markdown_limit() -> int:
    """The most characters a Markdown box takes (for the character count)."""
    return MARKDOWN_LIMIT


WELLBEING_TAGS = {1: "red", 2: "orange", 3: "yellow", 4: "turquoise", 5: "green"}


@register.filter
def wellbeing_label(score: int) -> str:
    """The words for a wellbeing score: 1 "Struggling" to 5 "Doing well"."""
    return services.WELLBEING_LABELS.get(score, "")


@register.filter
def wellbeing_tag(score: int) -> str:
    return f"govuk-tag--{WELLBEING_TAGS.get(score, 'grey')}"


@register.simple_tag
def supervision_overdue(establishment, today: datetime.date | None = None):
    """Active peer workers of ``establishment`` overdue supervision (one query):
    ``{% supervision_overdue establishment as overdue %}``."""
    return services.supervision_overdue(establishment, today or clock.today())


@register.simple_tag
def supervision_weeks() -> int:
    """How many weeks without supervision count as overdue."""
    return settings.SUPERVISION_INTERVAL_WEEKS


@register.simple_tag
def supervision_overdue_counts(rows, today: datetime.date | None = None):
    """How many are overdue supervision at each prison of ``rows`` (each with an
    ``establishment``), by establishment id, in one query."""
    establishments = [row.establishment for row in rows]
    return services.supervision_overdue_counts(establishments, today or clock.today())
