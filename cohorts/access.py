"""Who may see which cohort records: the establishment scoping every cohort view goes through.

Staff (facilitators, local trainers, the education department) see the establishments listed
on their staff profile; a superuser sees every one. Anything outside those answers 404, never
403, so a trainer in one prison cannot even learn that another prison's record exists. A peer
support worker sees only their own progress.
"""

from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Cohort, Delivery, Establishment, Trainee

VIEW_COHORTS = "cohorts.view_cohort"
TAKE_REGISTER = "cohorts.take_register"
RUN_COHORTS = "cohorts.run_cohort"

staff_only = permission_required(VIEW_COHORTS, raise_exception=True)
register_takers_only = permission_required(TAKE_REGISTER, raise_exception=True)


def staff_establishments(user) -> QuerySet[Establishment]:
    """The establishments whose cohort records this person may see."""
    if not user.is_authenticated or not user.has_perm(VIEW_COHORTS):
        return Establishment.objects.none()
    if user.is_superuser:
        return Establishment.objects.all()
    return Establishment.objects.filter(staff__user=user)


def shows_prison_number(user, establishment: Establishment) -> bool:
    """The prison number is for staff of the trainee's own establishment, and nobody else."""
    return staff_establishments(user).filter(pk=establishment.pk).exists()


def visible_cohorts(user) -> QuerySet[Cohort]:
    return Cohort.objects.filter(establishment__in=staff_establishments(user))


def cohort_for(user, pk: int) -> Cohort:
    return get_object_or_404(
        visible_cohorts(user).select_related("establishment", "programme", "lead_trainer"), pk=pk
    )


def delivery_for(user, pk: int) -> Delivery:
    return get_object_or_404(
        Delivery.objects.filter(cohort__in=visible_cohorts(user)).select_related(
            "cohort__establishment", "cohort__programme", "session", "lead_trainer"
        ),
        pk=pk,
    )


def trainee_for(user, pk: int) -> Trainee:
    """A trainee record: staff of the same establishment, or the trainee themself."""
    trainee = get_object_or_404(Trainee.objects.select_related("establishment"), pk=pk)
    if trainee.user_id is not None and trainee.user_id == user.pk:
        return trainee
    if not staff_establishments(user).filter(pk=trainee.establishment_id).exists():
        raise Http404
    return trainee


def establishment_for(user, code: str) -> Establishment:
    return get_object_or_404(staff_establishments(user), code=code)
