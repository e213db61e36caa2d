from django import template

register = template.Library()


@register.filter
def minutes(duration) -> int:
    """A timedelta as whole minutes, for sentences like "wait 15 minutes"."""
    return round(duration.total_seconds() / 60)
