"""The cohort records in the Wagtail admin, under one "Cohorts" menu.

Every listing, export, form and object page is scoped to the user's establishments
(``cohorts.access.staff_establishments``): a record of another prison answers 404, and the
choices in forms and filters offer only records of the user's own prisons. Trainer stages and
certificates are only viewed here; they are made through ``cohorts.services`` and the staff
screens. Exports never carry a prison number (DESIGN.md, "Trainees and privacy").
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels.base import get_form_for_model
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from audit.models import AuditEvent
from audit.services import record
from courses.outline import session_ids
from kernel import roles
from kernel.people import person_name

from .access import staff_establishments
from .models import (
    Attendance,
    Certificate,
    Cohort,
    Delivery,
    Establishment,
    Membership,
    ShadowingLogEntry,
    ShadowingPlacement,
    StaffProfile,
    Trainee,
    TrainerStage,
)

# How each record reaches the establishment it belongs to.
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
}


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


def label_delivery(delivery: Delivery) -> str:
    return f"{delivery.cohort.name}: {delivery}"


def person(user) -> str:
    return "" if user is None else person_name(user)


def person_column(name: str, label: str) -> Column:
    return Column(
        name, label=label, accessor=lambda record: person(getattr(record, name)), sort_key=name
    )


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
            field.label_from_instance = person
        field.queryset = queryset


class ScopedFilterSet(WagtailFilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        for name, filter_ in self.filters.items():
            if "__" in name:
                *_, last = name.split("__")
                filter_.label = capfirst(last.replace("_", " "))
        if request is not None:
            scope_choices([f.field for f in self.filters.values()], request.user)


class ScopedForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        if self.for_user is not None:
            scope_choices(self.fields.values(), self.for_user)


class TraineeForm(ScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            accounts = get_user_model().objects.filter(groups__name=roles.PEER_SUPPORT_WORKER)
            self.fields["user"].queryset = accounts.exclude(
                trainee__isnull=False, trainee__pk__in=Trainee.objects.exclude(pk=self.instance.pk)
            )


class StaffProfileForm(ScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        peer_workers = Group.objects.filter(name=roles.PEER_SUPPORT_WORKER)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.exclude(groups__in=peer_workers)
            .exclude(staff_profile__isnull=False, staff_profile__pk__in=self._other_profiles())
            .order_by("username")
        )

    def _other_profiles(self) -> QuerySet:
        return StaffProfile.objects.exclude(pk=self.instance.pk)

    def clean_establishments(self):
        chosen = self.cleaned_data["establishments"]
        if self.instance.pk is None:
            return chosen
        offered = self.fields["establishments"].queryset
        kept = self.instance.establishments.exclude(pk__in=offered.values("pk"))
        return Establishment.objects.filter(pk__in=[e.pk for e in [*chosen, *kept]])


def same_establishment(form, first: str, second: str, message: str) -> None:
    a, b = form.cleaned_data.get(first), form.cleaned_data.get(second)
    if a is not None and b is not None and a.establishment_id != b.establishment_id:
        form.add_error(second, message)


class MembershipForm(ScopedForm):
    def clean(self):
        cleaned = super().clean()
        same_establishment(self, "cohort", "trainee", "Choose a trainee of the cohort's prison.")
        return cleaned


class DeliveryForm(ScopedForm):
    def clean(self):
        cleaned = super().clean()
        cohort, session = cleaned.get("cohort"), cleaned.get("session")
        if cohort and session and session.pk not in session_ids(cohort.programme):
            self.add_error("session", "Choose a session of the cohort's programme.")
        return cleaned


class AttendanceForm(ScopedForm):
    def clean(self):
        cleaned = super().clean()
        delivery, trainee = cleaned.get("delivery"), cleaned.get("trainee")
        if delivery and trainee and not delivery.cohort.memberships.filter(trainee=trainee):
            self.add_error("trainee", "Choose a member of the session's cohort.")
        return cleaned


class ShadowingPlacementForm(ScopedForm):
    def clean(self):
        cleaned = super().clean()
        same_establishment(
            self,
            "new_worker",
            "experienced_worker",
            "Choose someone in the same prison as the new worker.",
        )
        return cleaned


# Views: each finds its records through ``in_scope``, so another prison's record is a 404.


class IndexView(generic.IndexView):
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


class EditView(generic.EditView):
    def get_queryset(self):
        return in_scope(super().get_queryset(), self.request.user)


class DeleteView(generic.DeleteView):
    def get_queryset(self):
        return in_scope(super().get_queryset(), self.request.user)


class InspectView(generic.InspectView):
    def get_object(self, queryset=None):
        queryset = in_scope(self.model._default_manager.all(), self.request.user)
        return get_object_or_404(queryset, pk=self.pk)


class HistoryView(history.HistoryView):
    def get_base_object_queryset(self):
        return in_scope(super().get_base_object_queryset(), self.request.user)


class UsageView(usage.UsageView):
    def get_base_object_queryset(self):
        return in_scope(super().get_base_object_queryset(), self.request.user)


class CohortRecordViewSet(ModelViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    inspect_view_class = InspectView
    history_view_class = HistoryView
    usage_view_class = UsageView
    copy_view_enabled = False
    search_backend_name = None
    form_class = ScopedForm
    select_related: tuple[str, ...] = ()
    # Fields holding a user account, exported as the person's name.
    people: tuple[str, ...] = ()
    slug = ""

    @property
    def url_prefix(self):
        return f"cohorts/{self.slug}"

    @property
    def url_namespace(self):
        return f"cohorts_{self.slug.replace('-', '_')}"

    @property
    def export_filename(self):
        return self.slug

    def get_index_view_kwargs(self, **kwargs):
        queryset = self.model._default_manager.select_related(*self.select_related)
        as_name = {"csv": person, "xlsx": person}
        return super().get_index_view_kwargs(
            queryset=queryset,
            custom_field_preprocess=dict.fromkeys(self.people, as_name),
            **kwargs,
        )

    def get_form_class(self, for_update=False):
        return get_form_for_model(
            self.model, form_class=self.form_class, fields=self.get_form_fields()
        )


class EstablishmentCreateView(CreateView):
    def after_create(self, instance) -> None:
        """Whoever adds a prison works there; otherwise they could not see it afterwards."""
        profile = StaffProfile.objects.filter(user=self.request.user).first()
        if profile is not None:
            profile.establishments.add(instance)


class EstablishmentViewSet(CohortRecordViewSet):
    model = Establishment
    slug = "establishments"
    icon = "home"
    menu_label = "Establishments"
    add_view_class = EstablishmentCreateView
    list_display = ["name", "code", "certificate_signatory"]
    list_export = ["name", "code", "certificate_signatory"]
    search_fields = ["name", "code"]
    form_fields = ["name", "code", "certificate_signatory"]


class StaffProfileViewSet(CohortRecordViewSet):
    model = StaffProfile
    slug = "staff-trainers"
    icon = "user"
    menu_label = "Staff trainers"
    form_class = StaffProfileForm
    select_related = ("user",)
    list_display = ["__str__", "user", "discipline"]
    list_filter = ["discipline", "establishments"]
    list_export = ["user", "user.username", "get_discipline_display"]
    people = ("user",)
    export_headings = {
        "user": "Name",
        "user.username": "Username",
        "get_discipline_display": "Discipline",
    }
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    form_fields = ["user", "discipline", "establishments"]


class CohortViewSet(CohortRecordViewSet):
    model = Cohort
    slug = "cohorts"
    icon = "group"
    menu_label = "Cohorts"
    select_related = ("establishment", "programme", "lead_trainer")
    people = ("lead_trainer",)
    list_display = [
        "name",
        "establishment",
        "programme",
        "start_date",
        person_column("lead_trainer", "Lead trainer"),
        "status",
    ]
    list_filter = ["status", "programme", "establishment", "start_date"]
    list_export = [
        "name",
        "establishment.name",
        "programme.title",
        "start_date",
        "lead_trainer",
        "get_status_display",
    ]
    export_headings = {
        "establishment.name": "Establishment",
        "programme.title": "Programme",
        "get_status_display": "Status",
    }
    search_fields = ["name"]
    form_fields = [
        "establishment",
        "programme",
        "name",
        "start_date",
        "status",
        "lead_trainer",
        "co_trainers",
    ]


class MembershipViewSet(CohortRecordViewSet):
    model = Membership
    slug = "members"
    icon = "list-ul"
    menu_label = "Cohort members"
    form_class = MembershipForm
    select_related = ("cohort__establishment", "trainee")
    list_display = ["trainee", "cohort", "joined_on"]
    list_filter = ["cohort", "cohort__establishment"]
    list_export = ["trainee.display_name", "cohort.name", "joined_on"]
    export_headings = {"trainee.display_name": "Trainee", "cohort.name": "Cohort"}
    search_fields = ["trainee__display_name", "cohort__name"]
    form_fields = ["cohort", "trainee", "joined_on"]


class TraineeViewSet(CohortRecordViewSet):
    model = Trainee
    slug = "trainees"
    icon = "user"
    menu_label = "Trainees"
    form_class = TraineeForm
    select_related = ("establishment",)
    list_display = [
        "display_name",
        "prison_number",
        "establishment",
        "role_status",
        "consent_recorded_on",
    ]
    list_filter = ["role_status", "establishment", "cohorts"]
    # Never the prison number: exports leave the prison.
    list_export = [
        "display_name",
        "establishment.name",
        "get_role_status_display",
        "consent_recorded_on",
    ]
    export_headings = {
        "display_name": "Name",
        "establishment.name": "Establishment",
        "get_role_status_display": "Role status",
        "consent_recorded_on": "Consent recorded on",
    }
    search_fields = ["display_name", "prison_number"]
    form_fields = [
        "establishment",
        "display_name",
        "prison_number",
        "role_status",
        "consent_recorded_on",
        "user",
    ]


class DeliveryViewSet(CohortRecordViewSet):
    model = Delivery
    slug = "deliveries"
    icon = "calendar"
    menu_label = "Deliveries"
    form_class = DeliveryForm
    select_related = ("session", "cohort__establishment", "lead_trainer")
    people = ("lead_trainer",)
    list_display = [
        "__str__",
        "cohort",
        "location",
        "led_by",
        person_column("lead_trainer", "Lead trainer"),
        "status",
    ]
    list_filter = ["status", "led_by", "cohort", "cohort__establishment", "starts_at"]
    list_export = [
        "session.title",
        "cohort.name",
        "starts_at",
        "location",
        "get_led_by_display",
        "lead_trainer",
        "get_status_display",
        "disruption_reason",
        "notes",
    ]
    export_headings = {
        "session.title": "Session",
        "cohort.name": "Cohort",
        "get_led_by_display": "Led by",
        "get_status_display": "Status",
    }
    search_fields = ["session__title", "cohort__name", "location"]
    form_fields = [
        "cohort",
        "session",
        "starts_at",
        "location",
        "led_by",
        "lead_trainer",
        "co_trainers",
        "status",
        "disruption_reason",
        "notes",
    ]


class AttendanceCreateView(CreateView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class AttendanceEditView(EditView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class AttendanceViewSet(CohortRecordViewSet):
    model = Attendance
    slug = "attendance"
    icon = "tick-inverse"
    menu_label = "Attendance"
    form_class = AttendanceForm
    add_view_class = AttendanceCreateView
    edit_view_class = AttendanceEditView
    select_related = ("trainee", "delivery__session", "delivery__cohort", "recorded_by")
    people = ("recorded_by",)
    list_display = [
        "trainee",
        "delivery",
        "mark",
        "absence_reason",
        "remark",
        BooleanColumn("from_paper", label="From paper"),
    ]
    list_filter = [
        "mark",
        "absence_reason",
        "from_paper",
        "delivery__cohort",
        "delivery__cohort__establishment",
    ]
    list_export = [
        "trainee.display_name",
        "delivery.cohort.name",
        "delivery.session.title",
        "delivery.starts_at",
        "get_mark_display",
        "get_absence_reason_display",
        "remark",
        "from_paper",
        "recorded_by",
        "recorded_at",
    ]
    export_headings = {
        "trainee.display_name": "Trainee",
        "delivery.cohort.name": "Cohort",
        "delivery.session.title": "Session",
        "delivery.starts_at": "Date",
        "get_mark_display": "Mark",
        "get_absence_reason_display": "Absence reason",
    }
    search_fields = ["trainee__display_name", "remark"]
    form_fields = ["delivery", "trainee", "mark", "absence_reason", "remark", "from_paper"]


class ViewOnly(ModelPermissionPolicy):
    """Records made only through the rules in cohorts/services.py: nobody adds, changes or
    deletes them in the admin, a superuser neither."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a == "view"])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


class ViewOnlyViewSet(CohortRecordViewSet):
    inspect_view_enabled = True

    def get_urlpatterns(self):
        changes = {"add", "edit", "delete"}
        return [p for p in super().get_urlpatterns() if p.name not in changes]


class TrainerStageViewSet(ViewOnlyViewSet):
    model = TrainerStage
    slug = "trainer-stages"
    icon = "success"
    menu_label = "Trainer stages"
    select_related = ("trainer", "session", "evidence__session", "evidence__cohort", "recorded_by")
    people = ("trainer", "recorded_by")
    list_display = [
        "session",
        person_column("trainer", "Trainer"),
        "stage",
        Column(
            "evidence",
            label="Evidence",
            accessor=lambda stage: (
                f"{stage.evidence.cohort.name}, {stage.evidence.starts_at:%d %b %Y}"
            ),
            sort_key="evidence__starts_at",
        ),
        person_column("recorded_by", "Recorded by"),
        "recorded_at",
    ]
    list_filter = ["stage", "session", "evidence__cohort__establishment"]
    list_export = [
        "trainer",
        "session.title",
        "get_stage_display",
        "evidence",
        "recorded_by",
        "recorded_at",
    ]
    export_headings = {
        "session.title": "Session",
        "get_stage_display": "Stage",
        "evidence": "Evidence",
    }
    search_fields = ["trainer__username", "trainer__last_name", "session__title"]
    form_fields = ["stage"]


class ShadowingPlacementViewSet(CohortRecordViewSet):
    model = ShadowingPlacement
    slug = "shadowing"
    icon = "glasses"
    menu_label = "Shadowing placements"
    form_class = ShadowingPlacementForm
    select_related = ("new_worker__establishment", "experienced_worker")
    list_display = [
        "__str__",
        "starts_on",
        "ends_on",
        BooleanColumn("too_short", label="Under 14 days"),
    ]
    list_filter = ["new_worker__establishment", "starts_on"]
    list_export = [
        "new_worker.display_name",
        "experienced_worker.display_name",
        "starts_on",
        "ends_on",
        "too_short",
    ]
    export_headings = {
        "new_worker.display_name": "New worker",
        "experienced_worker.display_name": "Experienced worker",
        "too_short": "Under 14 days",
    }
    search_fields = ["new_worker__display_name", "experienced_worker__display_name"]
    form_fields = ["new_worker", "experienced_worker", "starts_on", "ends_on"]


class LogEntryCreateView(CreateView):
    def save_instance(self):
        self.form.instance.written_by = self.request.user
        return super().save_instance()


class ShadowingLogEntryViewSet(CohortRecordViewSet):
    model = ShadowingLogEntry
    slug = "shadowing-log"
    icon = "doc-full"
    menu_label = "Shadowing log"
    add_view_class = LogEntryCreateView
    select_related = ("placement__new_worker", "placement__experienced_worker", "written_by")
    people = ("written_by",)
    list_display = ["placement", "day", person_column("written_by", "Written by")]
    list_filter = ["placement", "day"]
    list_export = ["placement", "day", "note", "written_by"]
    search_fields = ["note"]
    form_fields = ["placement", "day", "note"]


class CertificateViewSet(ViewOnlyViewSet):
    model = Certificate
    slug = "certificates"
    icon = "form"
    menu_label = "Certificates"
    select_related = ("trainee", "cohort__establishment", "issued_by")
    people = ("issued_by",)
    list_display = [
        "reference",
        "trainee",
        "cohort",
        "completed_on",
        "issued_on",
        person_column("issued_by", "Issued by"),
    ]
    list_filter = ["cohort", "cohort__establishment", "issued_on"]
    list_export = [
        "reference",
        "trainee.display_name",
        "cohort.name",
        "completed_on",
        "signatory",
        "issued_on",
        "issued_by",
    ]
    export_headings = {"trainee.display_name": "Trainee", "cohort.name": "Cohort"}
    search_fields = ["reference", "trainee__display_name"]
    form_fields = ["signatory"]


class CohortRecordsGroup(ViewSetGroup):
    menu_label = "Cohorts"
    menu_icon = "group"
    menu_order = 250
    items = (
        CohortViewSet,
        TraineeViewSet,
        MembershipViewSet,
        DeliveryViewSet,
        AttendanceViewSet,
        ShadowingPlacementViewSet,
        ShadowingLogEntryViewSet,
        StaffProfileViewSet,
        TrainerStageViewSet,
        CertificateViewSet,
        EstablishmentViewSet,
    )
