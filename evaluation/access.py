"""Who sees which reports. Reports and exports are anonymous for everyone: no name or prison
number reaches any of them. Evaluators see every establishment; staff who may see reports see
their own establishments (cohorts.access)."""

from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet

from cohorts.access import establishment_in, found_in_scope, staff_establishments
from cohorts.models import Cohort, Establishment
from kernel.roles import EVALUATOR

VIEW_REPORTS = "evaluation.view_reports"
ENTER_RESPONSES = "evaluation.enter_responses"

report_readers_only = permission_required(VIEW_REPORTS, raise_exception=True)
response_keyers_only = permission_required(ENTER_RESPONSES, raise_exception=True)


def report_establishments(user) -> QuerySet[Establishment]:
    if not user.has_perm(VIEW_REPORTS):
        return Establishment.objects.none()
    if user.is_superuser or user.groups.filter(name=EVALUATOR).exists():
        return Establishment.objects.all()
    return staff_establishments(user)


def report_cohorts(user) -> QuerySet[Cohort]:
    return Cohort.objects.filter(establishment__in=report_establishments(user))


def report_cohort(user, pk: int) -> Cohort:
    """404 for another prison's cohort, audited (``NotTheirs``)."""
    return found_in_scope(
        report_cohorts(user).select_related("establishment", "programme"), user, pk
    )


def report_establishment(user, code: str) -> Establishment:
    return establishment_in(report_establishments(user), code)
