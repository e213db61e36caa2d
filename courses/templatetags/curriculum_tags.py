from django import template

from courses.blocks import FRAMEWORKS
from courses.outline import outline

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """90 -> "1 hour 30 minutes"; 810 -> "13 hours 30 minutes"."""
    if minutes in (None, ""):
        return ""
    whole, rest = divmod(int(minutes), 60)
    parts = []
    if whole:
        parts.append(f"{whole} hour{'s' if whole != 1 else ''}")
    if rest or not whole:
        parts.append(f"{rest} minutes")
    return " ".join(parts)


@register.filter
def framework_name(code: str) -> str:
    return dict(FRAMEWORKS).get(code, code)


@register.simple_tag
def programme_outline(programme):
    """The programme's outline (``courses.outline``): its live sessions by day."""
    return outline(programme)


@register.filter
def option_letter(index: int) -> str:
    """0 -> "A", the letter of a knowledge check option as the projector shows it."""
    return "ABCDEFGHIJ"[int(index)]
