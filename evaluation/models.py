"""Questionnaires and their responses, costs, and the random participant codes of anonymised
exports. The figures made from them are computed in ``services.py``, never stored."""

import secrets

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from cohorts.models import Cohort, Delivery, Establishment, StaffProfile, Trainee


class TimePoint(models.TextChoices):
    BEFORE = "before", "Before the programme"
    END = "end", "At the end of the programme"
    FOLLOW_UP = "follow_up", "Three months after the end"
    AFTER_SESSION = "after_session", "After each session"


class Questionnaire(ClusterableModel):
    """A questionnaire or scale, edited by facilitators in the CMS (Snippets)."""

    class Audience(models.TextChoices):
        TRAINEE = "trainee", "Trainees"
        SUPPORTED = "supported", "People receiving support"

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    introduction = models.TextField(
        blank=True, help_text="What the person filling it in is told first, in plain words."
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.TRAINEE)
    time_points = models.JSONField(
        default=list, help_text="When it is given: before, end, follow_up, after_session."
    )
    choices = models.JSONField(
        default=list,
        help_text='The answer labels of its rating items, lowest score first, e.g. ["Strongly '
        'disagree", "Disagree", "Agree", "Strongly agree"]; the first scores `lowest_score`.',
    )
    lowest_score = models.SmallIntegerField(default=0)
    scale_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="If its scored items add up to a score (e.g. self-esteem), what the score is.",
    )
    higher_is_better = models.BooleanField(default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("introduction"),
        FieldPanel("audience"),
        FieldPanel("time_points"),
        MultiFieldPanel(
            [
                FieldPanel("choices"),
                FieldPanel("lowest_score"),
                FieldPanel("scale_name"),
                FieldPanel("higher_is_better"),
            ],
            heading="Rating answers and score",
        ),
        InlinePanel("items", heading="Questions", label="Question"),
    ]

    class Meta:
        ordering = ["title"]
        permissions = [
            ("view_reports", "Can see evaluation reports and anonymised exports"),
            ("enter_responses", "Can key in questionnaire responses from paper"),
        ]

    def __str__(self):
        return self.title

    @property
    def highest_score(self) -> int:
        return self.lowest_score + max(len(self.choices) - 1, 0)


class Item(Orderable):
    """One question: a rating on the questionnaire's answer scale, or free text."""

    class Kind(models.TextChoices):
        RATING = "rating", "Rating"
        TEXT = "text", "Free text"

    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RATING)
    reverse_scored = models.BooleanField(
        default=False, help_text="Agreeing shows less of what the scale measures."
    )
    in_score = models.BooleanField(default=True, help_text="Counts towards the scale's score.")

    panels = [
        FieldPanel("text"),
        FieldPanel("kind"),
        FieldPanel("reverse_scored"),
        FieldPanel("in_score"),
    ]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One filled-in questionnaire: a trainee's at a time point, or an anonymous one from a
    person receiving support (no trainee)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="responses"
    )
    trainee = models.ForeignKey(
        Trainee, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    time_point = models.CharField(max_length=15, choices=TimePoint.choices)
    completed_on = models.DateField()
    from_paper = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-created_at"]

    def __str__(self):
        return f"Response {self.pk} to {self.questionnaire}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    choice = models.SmallIntegerField(
        null=True, blank=True, help_text="Index into the questionnaire's choices."
    )
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")
        ]

    def __str__(self):
        return f"Answer to {self.item_id}"


class HourlyCost(models.Model):
    """What an hour of a trainer's time costs, by who they are, for the cost figures."""

    ROLES = [("visiting_facilitator", "Visiting facilitator"), *StaffProfile.Discipline.choices]

    role = models.CharField(max_length=30, choices=ROLES, unique=True)
    pounds_per_hour = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["role"]

    def __str__(self):
        return f"{self.get_role_display()}: £{self.pounds_per_hour}/hour"


class CohortCosts(models.Model):
    """What a cohort cost besides trainer time."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="costs")
    printing = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    materials = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "cohort costs"

    def __str__(self):
        return f"Costs of {self.cohort}"


def new_participant_code() -> str:
    return "P-" + secrets.token_hex(5).upper()


class ParticipantCode(models.Model):
    """A trainee's code in anonymised exports: random, made once, kept, so the same person has
    the same code in every export, and nothing about them can be worked out from it."""

    trainee = models.OneToOneField(
        Trainee, on_delete=models.CASCADE, related_name="participant_code"
    )
    code = models.CharField(max_length=20, unique=True, default=new_participant_code)

    def __str__(self):
        return self.code
