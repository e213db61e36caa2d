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
from django.db.models import QuerySet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels.base import get_form_for_model
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from courses.outline import session_ids
from kernel import roles
from kernel.people import person_name

from .access import scope_choices
from .admin_views import (
    AttendanceCreateView,
    AttendanceEditView,
    CreateView,
    DeleteView,
    EditView,
    EstablishmentCreateView,
    HistoryView,
    IndexView,
    InspectView,
    LogEntryCreateView,
    UsageView,
)
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


def person(user) -> str:
    return "" if user is None else person_name(user)


def person_column(name: str, label: str) -> Column:
    return Column(
        name, label=label, accessor=lambda record: person(getattr(record, name)), sort_key=name
    )


class ScopedForm(WagtailAdminModelForm):
    """A form whose record choices are the user's establishments' only."""

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
    """The account of a member of staff: one with no staff profile yet (or this one's). A
    facilitator is offered only staff accounts that belong to no prison yet, never an
    administrator's, an evaluator's or another prison's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = (
            get_user_model()
            .objects.exclude(groups__name=roles.PEER_SUPPORT_WORKER)
            .exclude(staff_profile__isnull=False, staff_profile__pk__in=self._other_profiles())
            .order_by("username")
        )
        if self.for_user is not None and not self.for_user.is_superuser:
            staff = Group.objects.filter(
                name__in=[roles.FACILITATOR, roles.LOCAL_TRAINER, roles.EDUCATION]
            )
            accounts = (
                accounts.filter(is_superuser=False, groups__in=staff)
                .exclude(groups__name=roles.EVALUATOR)
                .distinct()
            )
            self.fields[
                "user"
            ].help_text = (
                "Staff accounts that are not at a prison yet. An administrator makes new accounts."
            )
        self.fields["user"].queryset = accounts

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
        "large_print",
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
