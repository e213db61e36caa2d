from django import template

from kernel.people import person_name as name_of

register = template.Library()


@register.filter
def person_name(user) -> str:
    """``{{ user|person_name }}``: how the site names a person (``kernel.people``)."""
    return name_of(user)
