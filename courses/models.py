from csp.constants import SELF
from csp.decorators import csp_replace
from django.db import models
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import AbstractGroupApprovalTask, Page
from wagtail.search import index

from kernel import clock

from . import blocks
from .panels import NamedRichTextPanel
from .views import offline_manifest, render_session


class HomePage(Page):
    """The site's front page: programmes and a quick way to present a session."""

    intro = models.CharField(max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CurriculumIndexPage"]
    max_count = 1
    template = "courses/home_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = ProgrammePage.objects.live().order_by("path")
        context["today"] = clock.today().isoformat()
        context["sessions"] = (
            SessionPage.objects.live().order_by("title").only("id", "title", "slug", "url_path")
        )
        return context


class CurriculumIndexPage(Page):
    """Home > Curriculum: holds every programme and session."""

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.ProgrammePage", "courses.SessionPage"]
    max_count = 1
    template = "courses/curriculum_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = ProgrammePage.objects.child_of(self).live()
        context["sessions_by_module"] = SessionPage.by_module(
            SessionPage.objects.child_of(self).live()
        )
        return context


class ProgrammePage(Page):
    """A training template: days with ordered session slots. Which of them count, in what
    order, is ``courses.outline``'s to say."""

    purpose = models.TextField(help_text="What this programme is for, in a sentence or two.")
    format = models.CharField(max_length=80, help_text='For example: "Three full days".')
    refresher_months = models.PositiveSmallIntegerField(
        default=12, help_text="Months after completing before a refresher session is due."
    )
    days = StreamField([("day", blocks.DayBlock())], use_json_field=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        FieldPanel("format"),
        FieldPanel("refresher_months"),
        FieldPanel("days"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("purpose")]
    parent_page_types = ["courses.CurriculumIndexPage"]
    subpage_types = []
    template = "courses/programme_page.html"


class SessionPage(RoutablePageMixin, Page):
    """One modular training session, rendered as reading page, slides and book pages."""

    MODULES = [
        ("core", "Core"),
        ("practical", "Practical skills"),
        ("hospice", "Peer hospice worker extension"),
    ]
    DELIVERERS = [
        ("visiting_facilitator", "Visiting facilitator"),
        ("nurse", "Nurse"),
        ("prison_officer", "Prison officer"),
        ("dlo", "Disability Liaison Officer"),
        ("occupational_therapist", "Occupational therapist"),
        ("peer_worker", "Experienced peer worker"),
    ]

    summary = models.TextField()
    duration = models.PositiveIntegerField(help_text="Minutes.")
    module = models.CharField(max_length=20, choices=MODULES, default="core")
    suggested_deliverer = models.CharField(max_length=30, choices=DELIVERERS)
    learning_outcomes = StreamField(
        [("outcome", blocks.LineBlock(max_length=250, label="Learning outcome"))],
        use_json_field=True,
    )
    materials = StreamField(
        [("item", blocks.LineBlock(max_length=200, label="Material"))],
        use_json_field=True,
        blank=True,
    )
    room_setup = models.TextField(blank=True)
    safeguarding = RichTextField(
        blank=True, features=blocks.TEXT_FEATURES, help_text="Trainer only."
    )
    plan = StreamField(
        [("step", blocks.PlanStepBlock())],
        use_json_field=True,
        blank=True,
        help_text="Trainer only. The minutes should add up to the session's duration.",
    )
    body = StreamField(blocks.SessionBodyBlock(), use_json_field=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("duration"),
                FieldPanel("module"),
                FieldPanel("suggested_deliverer"),
            ],
            heading="About this session",
        ),
        FieldPanel("learning_outcomes"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("materials"),
                FieldPanel("room_setup"),
                NamedRichTextPanel("safeguarding"),
                FieldPanel("plan"),
            ],
            heading="For trainers",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.CurriculumIndexPage"]
    subpage_types = []
    template = "courses/session_page.html"

    class Meta:
        permissions = [
            ("view_trainer_material", "Can read trainer guidance, answers and notes"),
            ("present_session", "Can present sessions on the projector"),
        ]

    @property
    def preview_modes(self):
        return [
            ("", "Reading page"),
            ("trainer", "Trainer page"),
            ("slides", "Slides"),
            ("workbook", "Workbook page"),
            ("trainer_book", "Trainer book page"),
        ]

    def serve_preview(self, request, mode_name):
        return self.render(request, mode_name or "reading")

    def render(self, request, mode: str):
        return render_session(request, self, mode)

    def plan_minutes(self) -> int:
        return sum(step.value["minutes"] for step in self.plan)

    @path("")
    def reading_page(self, request):
        return self.render(request, "reading")

    @path("trainer/")
    def trainer_page(self, request):
        return self.render(request, "trainer")

    @path("slides/")
    @method_decorator(xframe_options_sameorigin)  # the presenter view shows the deck in frames
    @method_decorator(csp_replace({"frame-ancestors": [SELF]}))
    def slides(self, request):
        return self.render(request, "slides")

    @path("presenter/")
    def presenter(self, request):
        return self.render(request, "presenter")

    @path("offline/")
    def offline(self, request):
        return offline_manifest(request, self)

    @staticmethod
    def by_module(sessions):
        groups = {label: [] for _, label in SessionPage.MODULES}
        for session in sessions:
            groups[session.get_module_display()].append(session)
        return {label: items for label, items in groups.items() if items}


class CurriculumReviewTask(AbstractGroupApprovalTask):
    """Group approval where the person who submitted a change may not approve it."""

    def _is_requester(self, obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return bool(state and state.requested_by_id == user.pk)

    def get_actions(self, obj, user):
        if self._is_requester(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return "Another member of the chosen groups approves; nobody approves their own change."

    class Meta:
        verbose_name = "Curriculum review task"
