"""A facilitator's overview: one row per prison they hold."""

from django.template.response import TemplateResponse

from kernel import clock

from .. import services
from ..access import staff_establishments, staff_only


@staff_only
def overview(request):
    today = clock.today()
    establishments = staff_establishments(request.user).order_by("name")
    context = {"rows": services.prison_overview(establishments, today), "today": today}
    return TemplateResponse(request, "cohorts/overview.html", context)
