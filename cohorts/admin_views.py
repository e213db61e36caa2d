"""The generic admin views of the cohort records: each finds its records through
``cohorts.access.in_scope``, so another prison's record answers 404 (and the request is
audited, ``audit.services.record_hidden``). Spreadsheet downloads are audited and pass every
text cell through ``spreadsheet_cell``, so that no name can run as a formula."""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from audit.models import AuditEvent
from audit.services import record, record_hidden
from kernel.people import spreadsheet_cell

from .access import EstablishmentPolicy, hidden_from, in_scope, scope_choices
from .models import StaffProfile


class ScopedFilterSet(WagtailFilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        for name, filter_ in self.filters.items():
            if "__" in name:
                *_, last = name.split("__")
                filter_.label = capfirst(last.replace("_", " "))
        if request is not None:
            scope_choices([f.field for f in self.filters.values()], request.user)


class FormulaSafeExport:
    """For Wagtail's ``SpreadsheetExportMixin``: every text cell of a CSV or XLSX download goes
    through the site's one formula guard. Dates and numbers keep their type."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_cell(value) if isinstance(value, str) else value


class SiteHistoryView(FormulaSafeExport, LogEntriesView):
    """Wagtail's site history report, its downloads formula-safe: its "Name" column is each
    record's name, a trainee's included. (Its rows are scoped by ``ScopedModelLogEntry``.)"""


class ScopedObject:
    """An object view that answers 404 for another prison's record, and audits that."""

    def get_object(self, *args, **kwargs):
        try:
            return super().get_object(*args, **kwargs)
        except Http404:
            pk = unquote(str(self.kwargs.get("pk", "")))
            if hidden_from(self.request.user, self.model, pk):
                name = self.model._meta.verbose_name
                record_hidden(self.request, f"{self.request.path} ({name} {pk})")
            raise


class IndexView(FormulaSafeExport, generic.IndexView):
    base_filterset_class = ScopedFilterSet

    def get_base_queryset(self):
        return in_scope(super().get_base_queryset(), self.request.user)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """Spreadsheets of cohort records name people: each download is audited."""
        record(
            self.request,
            AuditEvent.Action.EXPORT,
            what=f"{self.model._meta.verbose_name_plural} ({spreadsheet_format.upper()})",
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class CreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        self.after_create(instance)
        return instance

    def after_create(self, instance) -> None:
        pass


class EditView(ScopedObject, generic.EditView):
    def get_queryset(self):
        return in_scope(super().get_queryset(), self.request.user)


class DeleteView(ScopedObject, generic.DeleteView):
    def get_queryset(self):
        return in_scope(super().get_queryset(), self.request.user)


class InspectInScope(generic.InspectView):
    def get_object(self, queryset=None):
        queryset = in_scope(self.model._default_manager.all(), self.request.user)
        return get_object_or_404(queryset, pk=self.pk)


class InspectView(ScopedObject, InspectInScope):
    pass


class HistoryView(ScopedObject, history.HistoryView):
    def get_base_object_queryset(self):
        return in_scope(super().get_base_object_queryset(), self.request.user)


class UsageView(ScopedObject, usage.UsageView):
    def get_base_object_queryset(self):
        return in_scope(super().get_base_object_queryset(), self.request.user)


class AttendanceCreateView(CreateView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class AttendanceEditView(EditView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class EstablishmentCreateView(CreateView):
    def after_create(self, instance) -> None:
        """Whoever adds a prison works there; otherwise they could not see it afterwards."""
        profile = StaffProfile.objects.filter(user=self.request.user).first()
        if profile is not None:
            profile.establishments.add(instance)


class ViewOnly(EstablishmentPolicy):
    """Records made only through the rules in cohorts/services.py: nobody adds, changes or
    deletes them in the admin, a superuser neither."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a == "view"])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


class LogEntryCreateView(CreateView):
    def save_instance(self):
        self.form.instance.written_by = self.request.user
        return super().save_instance()
