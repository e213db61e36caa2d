"""Questionnaires, hourly costs and cohort costs in the Wagtail admin, under one "Evaluation"
menu. Facilitators add, change and view them (``kernel.roles``); nobody deletes a
questionnaire that has answers (``Response.questionnaire`` protects it).

Cohort costs belong to a cohort, so they are scoped like the cohort records: a facilitator sees
and chooses only cohorts of their own establishments (``cohorts.access.staff_establishments``),
a superuser every one; another prison's record answers 404.
"""

from django.db.models import QuerySet
from wagtail.admin.panels import ObjectList
from wagtail.admin.panels.base import get_form_for_model
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from cohorts.access import staff_establishments
from cohorts.admin_views import ScopedObject
from cohorts.viewsets import ScopedForm

from .forms import QuestionnaireForm
from .models import CohortCosts, HourlyCost, Questionnaire, TimePoint


def time_points_text(questionnaire: Questionnaire) -> str:
    return ", ".join(TimePoint(value).label for value in questionnaire.time_points)


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "list-ul"
    menu_label = "Questionnaires"
    menu_item_is_registered = True  # in the Evaluation menu, not under Snippets
    edit_handler = ObjectList(Questionnaire.panels, base_form_class=QuestionnaireForm)
    list_display = [
        "title",
        "audience",
        Column("time_points", label="When it is given", accessor=time_points_text),
        Column("scale_name", label="Score"),
    ]
    list_filter = ["audience"]
    search_fields = ["title", "introduction"]
    copy_view_enabled = False
    ordering = ["title"]


class HourlyCostViewSet(ModelViewSet):
    model = HourlyCost
    icon = "pick"
    menu_label = "Hourly costs"
    url_prefix = "evaluation/hourly-costs"
    url_namespace = "evaluation_hourly_costs"
    form_fields = ["role", "pounds_per_hour"]
    list_display = ["role", "pounds_per_hour"]
    copy_view_enabled = False
    search_backend_name = None


def costs_in_scope(queryset: QuerySet, user) -> QuerySet:
    if user.is_superuser:
        return queryset
    return queryset.filter(cohort__establishment__in=staff_establishments(user))


class CohortCostsForm(ScopedForm):
    """The cohort choice: cohorts of the user's prisons that have no costs yet (or this one's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cohort" in self.fields:
            field = self.fields["cohort"]
            taken = CohortCosts.objects.exclude(pk=self.instance.pk).values("cohort")
            field.queryset = field.queryset.exclude(pk__in=taken)


class CohortCostsIndexView(generic.IndexView):
    def get_base_queryset(self):
        return costs_in_scope(super().get_base_queryset(), self.request.user)


class CohortCostsEditView(ScopedObject, generic.EditView):
    def get_queryset(self):
        return costs_in_scope(super().get_queryset(), self.request.user)


class CohortCostsDeleteView(ScopedObject, generic.DeleteView):
    def get_queryset(self):
        return costs_in_scope(super().get_queryset(), self.request.user)


class CohortCostsHistoryView(ScopedObject, history.HistoryView):
    def get_base_object_queryset(self):
        return costs_in_scope(super().get_base_object_queryset(), self.request.user)


class CohortCostsUsageView(ScopedObject, usage.UsageView):
    def get_base_object_queryset(self):
        return costs_in_scope(super().get_base_object_queryset(), self.request.user)


class CohortCostsViewSet(ModelViewSet):
    model = CohortCosts
    icon = "doc-full"
    menu_label = "Cohort costs"
    url_prefix = "evaluation/cohort-costs"
    url_namespace = "evaluation_cohort_costs"
    form_class = CohortCostsForm
    form_fields = ["cohort", "printing", "materials", "notes"]
    index_view_class = CohortCostsIndexView
    edit_view_class = CohortCostsEditView
    delete_view_class = CohortCostsDeleteView
    history_view_class = CohortCostsHistoryView
    usage_view_class = CohortCostsUsageView
    list_display = ["cohort", "printing", "materials", "notes"]
    copy_view_enabled = False
    search_backend_name = None

    def get_index_view_kwargs(self, **kwargs):
        queryset = CohortCosts.objects.select_related("cohort__establishment")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)

    def get_form_class(self, for_update=False):
        return get_form_for_model(
            self.model, form_class=self.form_class, fields=self.get_form_fields()
        )


class EvaluationGroup(ViewSetGroup):
    menu_label = "Evaluation"
    menu_icon = "table"
    menu_order = 260
    items = (QuestionnaireViewSet, HourlyCostViewSet, CohortCostsViewSet)
