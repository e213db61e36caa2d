"""Exports: an author's journal as Markdown files, and everything kept about one trainee for a
subject access request. The writer's own Markdown goes out as they typed it: nothing is
rendered here."""

import csv
import io
import json
import zipfile
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.text import slugify

from cohorts.models import Attendance, Trainee
from kernel.people import person_name, spreadsheet_cell

from ..access import own_trainee
from ..models import (
    Comment,
    Framework,
    JournalEntry,
    SupervisionAction,
    SupervisionAttendee,
)
from .supervision import WELLBEING_LABELS

EXPORT_SLUG_LIMIT = 60


def author_display_name(user) -> str:
    """How the journal's author is named on their own export."""
    trainee = own_trainee(user) if user.has_perm("cohorts.view_own_progress") else None
    return trainee.display_name if trainee else person_name(user)


def entries_for_export(entries: QuerySet) -> QuerySet:
    """Entries oldest first, with what the export shows of each in as few queries as possible."""
    return (
        entries.select_related("session", "entered_by")
        .prefetch_related(Prefetch("comments", queryset=Comment.objects.select_related("author")))
        .order_by("written_on", "created_at", "pk")
    )


def _front_matter_value(value) -> str:
    """A YAML scalar: JSON strings are valid YAML, whatever quotes or colons they hold."""
    return json.dumps(value, ensure_ascii=False)


def entry_markdown(entry: JournalEntry) -> str:
    """One entry as a Markdown file: a front matter block, the prompt, each section as
    "## Heading" and the author's own Markdown, then the comments."""
    facts = [
        ("title", entry.title),
        ("date", entry.written_on.isoformat()),
        ("framework", entry.get_framework_display()),
    ]
    if entry.session_id:
        facts.append(("session", entry.session.title))
    if entry.prompt:
        facts.append(("prompt", entry.prompt))
    if entry.entered_by_id:
        facts.append(("typed_up_by", person_name(entry.entered_by)))
    front = [f"{key}: {_front_matter_value(value)}" for key, value in facts]
    front[1] = f"date: {entry.written_on.isoformat()}"  # a YAML date, unquoted
    lines = ["---", *front, "---"]
    lines += ["", f"# {entry.title}", ""]
    if entry.prompt:
        lines += [f"> {line}" for line in entry.prompt.splitlines()] + [""]
    if entry.questions and entry.framework != Framework.QUESTIONS:
        lines += [f"> - {question}" for question in entry.questions] + [""]
    for _, heading, _, text in entry.section_list():
        lines += [f"## {heading}", "", text.strip() or "_Nothing written._", ""]
    comments = list(entry.comments.all())
    if comments:
        lines += ["## Comments", ""]
        for comment in comments:
            when = f"{comment.created_at:%-d %B %Y, %H:%M}"
            lines += [f"### {person_name(comment.author)}, {when}", "", comment.text.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def entry_file_name(entry: JournalEntry, taken: set[str]) -> str:
    """A safe file name from the date and the title, unique among ``taken``."""
    slug = slugify(entry.title)[:EXPORT_SLUG_LIMIT].strip("-") or "entry"
    stem = f"{entry.written_on.isoformat()}-{slug}"
    name, number = f"{stem}.md", 2
    while name in taken:
        name, number = f"{stem}-{number}.md", number + 1
    taken.add(name)
    return name


def journal_markdown_files(entries) -> list[tuple[str, str]]:
    """(file name, Markdown) for each entry."""
    taken: set[str] = set()
    return [(entry_file_name(entry, taken), entry_markdown(entry)) for entry in entries]


def zip_of(files: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            archive.writestr(name, text)
    return buffer.getvalue()


def attendance_csv(trainee: Trainee) -> str:
    marks = (
        Attendance.objects.filter(trainee=trainee)
        .select_related("delivery__session", "delivery__cohort")
        .order_by("delivery__starts_at")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "session", "cohort", "mark", "reason", "remark"])
    for mark in marks:
        writer.writerow(
            [
                spreadsheet_cell(mark.delivery.starts_at.date().isoformat()),
                spreadsheet_cell(mark.delivery.session.title),
                spreadsheet_cell(mark.delivery.cohort.name),
                spreadsheet_cell(mark.get_mark_display()),
                spreadsheet_cell(mark.get_absence_reason_display()),
                spreadsheet_cell(mark.remark),
            ]
        )
    return out.getvalue()


def supervision_markdown(trainee: Trainee) -> str:
    """The trainee's own rows of each supervision meeting: never another attendee's."""
    rows = (
        SupervisionAttendee.objects.filter(trainee=trainee)
        .select_related("meeting")
        .prefetch_related(
            Prefetch(
                "meeting__actions",
                queryset=SupervisionAction.objects.filter(
                    Q(attendee__trainee=trainee) | Q(attendee__isnull=True)
                ),
            )
        )
        .order_by("meeting__held_on", "meeting__created_at")
    )
    lines = [f"# Supervision of {trainee.display_name}", ""]
    for row in rows:
        meeting = row.meeting
        lines += [f"## {meeting.held_on:%-d %B %Y}: {meeting.get_kind_display()}", ""]
        if meeting.framework:
            lines += [f"- Framework: {meeting.get_framework_display()}"]
        if row.wellbeing:
            label = WELLBEING_LABELS[row.wellbeing]
            lines += [f"- Wellbeing: {row.wellbeing} out of 5 ({label})"]
        lines += ["", "### Notes", "", row.notes.strip() or "_No notes._", ""]
        actions = list(meeting.actions.all())
        if actions:
            lines += ["### Actions", ""]
            for action in actions:
                due = f", due {action.due_on:%-d %B %Y}" if action.due_on else ""
                state = "done" if action.done else "not done yet"
                lines += [f"- {action.text}{due} ({state})"]
            lines += [""]
    if not rows:
        lines += ["No supervision meetings are on record.", ""]
    return "\n".join(lines).rstrip() + "\n"


def trainee_record_markdown(trainee: Trainee) -> str:
    memberships = trainee.memberships.select_related(
        "cohort__programme", "cohort__establishment"
    ).order_by("cohort__start_date")
    lines = [
        f"# Trainee record of {trainee.display_name}",
        "",
        f"- Name: {trainee.display_name}",
        f"- Prison number: {trainee.prison_number or 'not recorded'}",
        f"- Prison: {trainee.establishment.name}",
        f"- Role: {trainee.get_role_status_display()}",
        "- Consent recorded on: "
        + (f"{trainee.consent_recorded_on:%-d %B %Y}" if trainee.consent_recorded_on else "no"),
        "",
        "## Cohorts",
        "",
    ]
    for membership in memberships:
        cohort = membership.cohort
        joined = f", joined {membership.joined_on:%-d %B %Y}" if membership.joined_on else ""
        lines.append(
            f"- {cohort.name}: {cohort.programme.title} at {cohort.establishment.name}, "
            f"starting {cohort.start_date:%-d %B %Y}{joined}"
        )
    if not memberships:
        lines.append("Not in any cohort.")
    return "\n".join(lines).rstrip() + "\n"


SUBJECT_ACCESS_README = """Everything this training site keeps about one trainee,
exported on {today} for a subject access request.

- record.md: the trainee record (name, prison number, role, consent, cohorts)
- journal/: each journal entry as a Markdown file, with any comments
- attendance.csv: every register mark (date, session, cohort, mark, reason, remark)
- supervision.md: the trainee's own part of each supervision meeting (wellbeing, notes,
  actions)
"""


def subject_access_files(trainee: Trainee, today: date) -> list[tuple[str, str]]:
    entries = entries_for_export(JournalEntry.objects.filter(trainee=trainee))
    return [
        ("README.txt", SUBJECT_ACCESS_README.format(today=f"{today:%-d %B %Y}")),
        ("record.md", trainee_record_markdown(trainee)),
        *[(f"journal/{name}", text) for name, text in journal_markdown_files(entries)],
        ("attendance.csv", attendance_csv(trainee)),
        ("supervision.md", supervision_markdown(trainee)),
    ]
