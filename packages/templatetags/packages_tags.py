from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def made_on(value: str) -> str:
    """A package's ``made_at`` (ISO 8601, as the manifest holds it) as people read dates."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return format_date(moment, "j F Y H:i")
