from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cohorts.access import EstablishmentPolicy, belongs_to_establishment

from .models import CohortCosts
from .viewsets import EvaluationGroup

# A cohort's costs are a cohort record: seen, named and logged only within its establishment.
belongs_to_establishment(CohortCosts, "cohort__establishment")
register_permission_policy(CohortCosts, EstablishmentPolicy(CohortCosts))

# Registered as snippets so the questionnaire's questions (an InlinePanel) are edited in place.
register_snippet(EvaluationGroup)
