from django import template

from kernel import clock

from ..presenting import deliveries_to_present

register = template.Library()


@register.simple_tag
def upcoming_deliveries(user):
    """Home's "Present a session": the user's planned deliveries from today on."""
    if not user.has_perm("courses.present_session"):
        return []
    return deliveries_to_present(user, clock.today())
