from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Certificate, TrainerStage
from .viewsets import CohortRecordsGroup, ViewOnly

register_permission_policy(TrainerStage, ViewOnly(TrainerStage))
register_permission_policy(Certificate, ViewOnly(Certificate))


@hooks.register("register_admin_viewset")
def register_cohort_records():
    return CohortRecordsGroup()
