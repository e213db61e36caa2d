"""Reflective-practice journals and supervision records.

An entry is private to its author: a trainee (through their Trainee record, which may have no
login) or a member of staff. The author may share it with named supervisors. Nothing here is
registered in the Wagtail admin: no screen but the journal's own shows an entry.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cohorts.models import Delivery, Establishment, Trainee


class Framework(models.TextChoices):
    FREE = "free", "Free writing"
    GIBBS = "gibbs", "Gibbs' reflective cycle"
    WHAT = "what", "What? So what? Now what?"
    QUESTIONS = "questions", "The prompt's own questions"


# Each framework's sections: (key, heading, the question in plain words).
FRAMEWORK_SECTIONS = {
    Framework.FREE: [("text", "Your reflection", "Write about what happened and what you think.")],
    Framework.GIBBS: [
        ("description", "Description", "What happened?"),
        ("feelings", "Feelings", "What were you thinking and feeling?"),
        ("evaluation", "Evaluation", "What went well? What did not?"),
        ("analysis", "Analysis", "Why do you think it went that way?"),
        ("conclusion", "Conclusion", "What else could you have done?"),
        ("action_plan", "Action plan", "If it happened again, what would you do?"),
    ],
    Framework.WHAT: [
        ("what", "What?", "What happened?"),
        ("so_what", "So what?", "Why does it matter? What did you learn?"),
        ("now_what", "Now what?", "What will you do next time?"),
    ],
}
# The most questions of a reflection prompt that an entry keeps as its headings.
QUESTIONS_LIMIT = 10


def framework_sections(framework: str, questions=()) -> list[tuple[str, str, str]]:
    """(key, heading, question) for each section of a framework. An entry started from a
    reflection prompt may be written under the prompt's own questions, each one a heading."""
    if framework == Framework.QUESTIONS:
        return [(f"question_{n}", question, "") for n, question in enumerate(questions, 1)]
    return FRAMEWORK_SECTIONS[Framework(framework)]


def frameworks_for(questions=()) -> list[tuple[str, str]]:
    """The frameworks a writer may choose: the prompt's own questions first, when there are
    some, then the usual three."""
    usual = [(value, label) for value, label in Framework.choices if value != Framework.QUESTIONS]
    if questions:
        return [(Framework.QUESTIONS.value, Framework.QUESTIONS.label), *usual]
    return usual


class JournalEntry(models.Model):
    trainee = models.ForeignKey(
        Trainee, null=True, blank=True, on_delete=models.CASCADE, related_name="journal_entries"
    )
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="journal_entries",
    )
    title = models.CharField(max_length=200)
    written_on = models.DateField()
    framework = models.CharField(max_length=10, choices=Framework.choices, default=Framework.FREE)
    prompt = models.TextField(blank=True, help_text="The reflection prompt it started from.")
    questions = models.JSONField(
        default=list, blank=True, help_text="The questions of the prompt it started from."
    )
    sections = models.JSONField(default=dict, help_text="Markdown text by section key.")
    session = models.ForeignKey(
        "courses.SessionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Staff who typed it up from paper on the trainee's behalf, with consent.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-written_on", "-created_at"]
        verbose_name_plural = "journal entries"
        permissions = [
            ("keep_journal", "Can keep a reflective journal"),
            ("supervise", "Can supervise peer workers and read entries shared with them"),
            ("export_subject_access", "Can export all records of a trainee (subject access)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trainee__isnull=False, staff_author__isnull=True)
                | models.Q(trainee__isnull=True, staff_author__isnull=False),
                name="journal_entry_has_one_author",
            )
        ]

    def __str__(self):
        return f"Journal entry {self.pk}"  # never the title: it may say too much in a log

    def section_list(self):
        """(key, heading, question, text) for each section of the entry's framework."""
        return [
            (key, heading, question, self.sections.get(key, ""))
            for key, heading, question in framework_sections(self.framework, self.questions)
        ]


class Share(models.Model):
    """The author lets one named supervisor read the entry (and comment on it)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="shares")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_shares"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "supervisor"], name="one_share_per_supervisor")
        ]

    def __str__(self):
        return f"Entry {self.entry_id} shared with {self.supervisor}"


class Comment(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment on entry {self.entry_id}"


class SupervisionMeeting(models.Model):
    """A supervision session with one peer worker or a group, led by a member of staff."""

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one"
        GROUP = "group", "Group"
        OFFLOAD = "offload", "Offload after an incident"

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="supervision_meetings"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_meetings"
    )
    held_on = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ONE_TO_ONE)
    framework = models.CharField(
        max_length=10,
        choices=frameworks_for(),
        blank=True,
        help_text="The framework used.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} supervision, {self.held_on}"


class SupervisionAttendee(models.Model):
    """One peer worker at a meeting: their wellbeing check and the notes only they and the
    supervisor may read."""

    meeting = models.ForeignKey(
        SupervisionMeeting, on_delete=models.CASCADE, related_name="attendees"
    )
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="supervision_attendances"
    )
    wellbeing = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (struggling) to 5 (doing well).",
    )
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "trainee"], name="one_row_per_attendee")
        ]

    def __str__(self):
        return f"{self.trainee} at {self.meeting}"


class SupervisionAction(models.Model):
    meeting = models.ForeignKey(
        SupervisionMeeting, on_delete=models.CASCADE, related_name="actions"
    )
    attendee = models.ForeignKey(
        SupervisionAttendee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        help_text="Whose action it is; empty for the whole group.",
    )
    text = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text
