from wagtail.snippets.models import register_snippet

from .viewsets import EvaluationGroup

# Registered as snippets so the questionnaire's questions (an InlinePanel) are edited in place.
register_snippet(EvaluationGroup)
