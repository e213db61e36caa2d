from django import template

from courses.blocks import FRAMEWORKS
from courses.rich_text import clean_rich_text

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


@register.filter
def cms_rich_text(html: str):
    """Rich text reduced to its editor's allow-list (``courses/rich_text.py``)."""
    return clean_rich_text(html)
