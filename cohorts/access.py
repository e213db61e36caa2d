"""Who may see which cohort records: the establishment scoping every cohort view goes through.

Staff (facilitators, local trainers, the education department) see the establishments listed
on their staff profile; a superuser sees every one. Anything outside those answers 404, never
403, so a trainer in one prison cannot even learn that another prison's record exists; the
request is audited (``NotTheirs``), so that probing leaves a trace. A peer support worker sees
only their own progress.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.permission_policies.base import ModelPermissionPolicy

from audit.services import NotTheirs
from kernel.people import person_name

from .models import (
    Attendance,
    Certificate,
    Cohort,
    Delivery,
    Establishment,
    Membership,
    SelfStudy,
    ShadowingLogEntry,
    ShadowingPlacement,
    StaffProfile,
    Trainee,
    TrainerStage,
)

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


def found_in_scope(queryset: QuerySet, user, pk):
    """Record ``pk`` of ``queryset`` (already scoped to the user). 404 when there is none; when
    it exists in another establishment, the 404 is ``NotTheirs`` and the request is audited."""
    try:
        return get_object_or_404(queryset, pk=pk)
    except Http404:
        if hidden_from(user, queryset.model, pk):
            raise NotTheirs(f"{queryset.model._meta.verbose_name} {pk}") from None
        raise


def cohort_for(user, pk: int) -> Cohort:
    related = ("establishment", "programme", "lead_trainer")
    return found_in_scope(visible_cohorts(user).select_related(*related), user, pk)


def delivery_for(user, pk: int) -> Delivery:
    deliveries = Delivery.objects.filter(cohort__in=visible_cohorts(user)).select_related(
        "cohort__establishment", "cohort__programme", "session", "lead_trainer"
    )
    return found_in_scope(deliveries, user, pk)


def trainee_for(user, pk: int) -> Trainee:
    """A trainee record: staff of the same establishment, or the trainee themself."""
    trainee = get_object_or_404(Trainee.objects.select_related("establishment"), pk=pk)
    if trainee.user_id is not None and trainee.user_id == user.pk:
        return trainee
    if not staff_establishments(user).filter(pk=trainee.establishment_id).exists():
        raise NotTheirs(f"trainee {trainee.pk}")
    return trainee


def establishment_for(user, code: str) -> Establishment:
    return establishment_in(staff_establishments(user), code)


def establishment_in(establishments: QuerySet[Establishment], code: str) -> Establishment:
    """The establishment ``code`` among those a user may see; ``NotTheirs`` (audited) when it
    exists but is not theirs, a plain 404 when it does not exist."""
    try:
        return get_object_or_404(establishments, code=code)
    except Http404:
        if Establishment.objects.filter(code=code).exists():
            raise NotTheirs(f"establishment {code}") from None
        raise


# How each cohort record reaches the establishment it belongs to. Another app's record of a
# cohort joins with ``belongs_to_establishment``.
ESTABLISHMENT_PATHS: dict[type[Model], str] = {
    Establishment: "pk",
    StaffProfile: "establishments",
    Trainee: "establishment",
    Cohort: "establishment",
    Membership: "cohort__establishment",
    Delivery: "cohort__establishment",
    Attendance: "delivery__cohort__establishment",
    TrainerStage: "evidence__cohort__establishment",
    ShadowingPlacement: "new_worker__establishment",
    ShadowingLogEntry: "placement__new_worker__establishment",
    Certificate: "cohort__establishment",
    SelfStudy: "membership__cohort__establishment",
}


def belongs_to_establishment(model: type[Model], path: str) -> None:
    ESTABLISHMENT_PATHS[model] = path


def in_scope(queryset: QuerySet, user) -> QuerySet:
    """The part of ``queryset`` this user may see: records of their establishments; for user
    accounts, the staff of those establishments. A superuser sees everything."""
    if user.is_superuser:
        return queryset
    model = queryset.model
    establishments = staff_establishments(user)
    if model is get_user_model():
        staff = StaffProfile.objects.filter(establishments__in=establishments)
        return queryset.filter(pk__in=staff.values("user"))
    path = ESTABLISHMENT_PATHS.get(model)
    if path is None:
        return queryset
    mine = model._default_manager.filter(**{f"{path}__in": establishments})
    return queryset.filter(pk__in=mine.values("pk"))


class EstablishmentPolicy(ModelPermissionPolicy):
    """Wagtail's permission policy for a cohort record: the model permission, and only for
    records of the user's establishments. The admin asks it before it names or links a record
    anywhere (usage listings, site history, edit links)."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return in_scope(super().instances_user_has_any_permission_for(user, actions), user)

    def _in_scope(self, user, instance) -> bool:
        """One query per model and request, however many records a listing names."""
        if user.is_superuser:
            return True
        known = user.__dict__.setdefault("_records_in_scope", {})
        if self.model not in known:
            records = in_scope(self.model._default_manager.all(), user)
            known[self.model] = set(records.values_list("pk", flat=True))
        return instance.pk in known[self.model]


def log_entries_out_of_scope(user) -> Q:
    """Admin log entries about cohort records outside the user's establishments (the entry's
    label is the record's name). Entries of a deleted record have no establishment left: only
    a superuser sees them."""
    hidden = Q()
    types = ContentType.objects.get_for_models(*ESTABLISHMENT_PATHS, for_concrete_models=False)
    for model, content_type in types.items():
        visible = in_scope(model._default_manager.all(), user)
        keys = visible.annotate(key=Cast("pk", CharField())).values("key")
        hidden |= Q(content_type=content_type) & ~Q(object_id__in=keys)
    return hidden


def hidden_from(user, model: type[Model], pk) -> bool:
    """Whether a record asked for exists but is outside this user's establishments (as
    opposed to not existing at all): such a request is audited."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return False
    if not -(2**63) <= number < 2**63:
        return False
    records = model._default_manager.filter(pk=number)
    return records.exists() and not in_scope(records, user).exists()


def label_delivery(delivery: Delivery) -> str:
    return f"{delivery.cohort.name}: {delivery}"


def scope_choices(fields, user) -> None:
    """Limit the model choices of form or filter fields to the user's establishments."""
    for field in fields:
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        queryset = in_scope(queryset, user)
        if queryset.model is Delivery:
            queryset = queryset.select_related("session", "cohort")
            field.label_from_instance = label_delivery
        elif queryset.model is Cohort:
            queryset = queryset.select_related("establishment")
        elif queryset.model is get_user_model():
            queryset = queryset.order_by("first_name", "last_name", "username")
            field.label_from_instance = person_name
        field.queryset = queryset
