from django.db import models
from wagtail import hooks
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from .access import ESTABLISHMENT_PATHS, EstablishmentPolicy
from .admin_views import ViewOnly
from .models import Certificate, ScopedModelLogEntry, SelfStudy, TrainerStage
from .viewsets import CohortRecordsGroup

# Made only through cohorts.services. A self-study has no admin screen at all: the learning
# view is where a trainer sees and confirms it.
VIEW_ONLY = (TrainerStage, Certificate, SelfStudy)

for model in ESTABLISHMENT_PATHS:
    policy_class = ViewOnly if model in VIEW_ONLY else EstablishmentPolicy
    register_permission_policy(model, policy_class(model))


@hooks.register("register_log_actions", order=1)
def log_admin_edits_in_scope(actions):
    """After Wagtail's own registration (order 0): every model's admin log is read through
    ``ScopedModelLogEntry``, and the unscoped ``ModelLogEntry`` leaves the reports."""
    actions.log_entry_models.discard(ModelLogEntry)
    actions.register_model(models.Model, ScopedModelLogEntry)


@hooks.register("register_admin_viewset")
def register_cohort_records():
    return CohortRecordsGroup()
