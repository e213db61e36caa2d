from django import template

from kernel.people import person_name

register = template.Library()

# GOV.UK tag colours for the states shown on the cohort screens.
TAG_COLOURS = {
    # completion
    "completed": "green",
    "in_progress": "blue",
    "partial": "orange",
    "not_started": "grey",
    # deliveries
    "planned": "grey",
    "delivered": "green",
    "cancelled": "red",
    "disrupted": "orange",
    # cohorts
    "running": "blue",
    "finished": "green",
    # attendance
    "present": "green",
    "late": "yellow",
    "left_early": "yellow",
    "absent": "red",
    # catch-ups
    "needed": "red",
    "waiting": "yellow",
    "caught_up": "green",
}


@register.filter
def tag_class(state: str) -> str:
    return f"govuk-tag--{TAG_COLOURS.get(state, 'grey')}"


STAGE_COLOURS = {0: "grey", 1: "light-blue", 2: "blue", 3: "yellow", 4: "green"}


@register.filter
def stage_class(stage: int) -> str:
    """Trainer stages, from none (grey) to signed off (green)."""
    return f"govuk-tag--{STAGE_COLOURS.get(stage, 'grey')}"


@register.filter
def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


@register.filter
def person(user) -> str:
    if user is None:
        return "–"
    return person_name(user)


@register.filter
def of(mapping: dict, key):
    """``{{ counts|of:establishment.pk }}``: one value of a dictionary, or None."""
    return mapping.get(key)
