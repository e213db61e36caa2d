"""The rules of journals: who writes an entry, what is kept of it, who it may be shared with,
and who may comment. Views call these; none of them re-implements a rule."""

from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q, QuerySet

from cohorts.models import Trainee
from trainingsite.errors import DomainError
from trainingsite.people import person_name as full_name
from trainingsite.people import spreadsheet_cell

from .access import own_trainee
from .models import (
    QUESTIONS_LIMIT,
    Comment,
    Framework,
    JournalEntry,
    Share,
    framework_sections,
    frameworks_for,
)
from .rendering import too_long_message

# --- Entries ---

PROMPT_LIMIT = 300  # the longest prompt a curriculum block holds


class JournalError(DomainError):
    """A journal rule refused something: a save, a share, a comment."""


def section_keys(framework: str, questions=()) -> list[str]:
    return [key for key, _, _ in framework_sections(framework, questions)]


def entry_author(user) -> tuple[Trainee | None, object | None]:
    """Who a new entry by this person belongs to: (trainee, None) for a peer support worker,
    (None, user) for staff. A peer support worker with no trainee record cannot write yet."""
    if user.has_perm("cohorts.view_own_progress"):
        trainee = own_trainee(user)
        if trainee is None:
            raise JournalError(
                "no_trainee_record",
                "Your account is not linked to a trainee record yet. Ask your trainer to link "
                "it, then you can write in your journal.",
            )
        return trainee, None
    return None, user


def carry_sections(old_framework: str, new_framework: str, sections: dict, questions=()) -> dict:
    """The text of one framework's sections placed in another's, so changing the framework
    never loses writing: section by section in order, and whatever does not fit goes into the
    last section under its old heading."""
    if old_framework == new_framework:
        return {key: sections.get(key, "") for key in section_keys(new_framework, questions)}
    old = [
        (heading, sections.get(key, "").strip())
        for key, heading, _ in framework_sections(old_framework, questions)
    ]
    new_keys = section_keys(new_framework, questions) or section_keys(Framework.FREE)
    carried = dict.fromkeys(new_keys, "")
    for index, (heading, text) in enumerate(old):
        if not text:
            continue
        key = new_keys[min(index, len(new_keys) - 1)]
        if index >= len(new_keys) - 1 and len(old) > len(new_keys):
            text = f"**{heading}**\n\n{text}"
        carried[key] = f"{carried[key]}\n\n{text}".strip() if carried[key] else text
    return carried


def save_entry(
    entry: JournalEntry,
    *,
    title: str,
    written_on: date,
    framework: str,
    sections: dict,
    prompt: str = "",
    questions=(),
    session=None,
) -> JournalEntry:
    """Save what the writer typed. Only the chosen framework's sections are kept."""
    questions = [str(question).strip()[:PROMPT_LIMIT] for question in questions][:QUESTIONS_LIMIT]
    if framework not in dict(frameworks_for(questions)):
        raise JournalError("framework", "Choose a way to write your reflection.")
    title = title.strip()
    if not title:
        raise JournalError("title", "Enter a title")
    for key, heading, _ in framework_sections(framework, questions):
        if message := too_long_message(sections.get(key) or "", f"“{heading}”"):
            raise JournalError("too_long", message)
    entry.title = title[:200]
    entry.written_on = written_on
    entry.framework = framework
    entry.prompt = prompt.strip()[:PROMPT_LIMIT]
    entry.session = session
    entry.questions = questions
    entry.sections = {key: (sections.get(key) or "") for key in section_keys(framework, questions)}
    entry.save()
    return entry


def draft_title(written_on: date) -> str:
    """The title of a draft saved before the writer gave it one."""
    return f"Reflection of {written_on:%-d %B %Y}"


def supervisors_for(entry_or_trainee) -> QuerySet:
    """The people an entry may be shared with: staff who supervise, at the trainee author's
    establishment (or, for a staff author, at one of theirs), never the author."""
    User = get_user_model()
    supervise = Permission.objects.get(content_type__app_label="journals", codename="supervise")
    holders = User.objects.filter(
        Q(groups__permissions=supervise) | Q(user_permissions=supervise) | Q(is_superuser=True),
        is_active=True,
    )
    if isinstance(entry_or_trainee, Trainee):
        establishments = [entry_or_trainee.establishment_id]
        author = entry_or_trainee.user_id
    elif entry_or_trainee.trainee_id is not None:
        establishments = [entry_or_trainee.trainee.establishment_id]
        author = entry_or_trainee.trainee.user_id
    else:
        author = entry_or_trainee.staff_author_id
        establishments = (
            list(
                entry_or_trainee.staff_author.staff_profile.establishments.values_list(
                    "pk", flat=True
                )
            )
            if hasattr(entry_or_trainee.staff_author, "staff_profile")
            else []
        )
    people = User.objects.filter(
        pk__in=holders.filter(staff_profile__establishments__in=establishments).values("pk")
    )
    if author is not None:
        people = people.exclude(pk=author)
    return people.order_by("first_name", "last_name", "username")


def share_entry(entry: JournalEntry, supervisor) -> Share:
    if not supervisors_for(entry).filter(pk=supervisor.pk).exists():
        raise JournalError(
            "not_a_supervisor", "You can only share with a supervisor of your prison."
        )
    share, _ = Share.objects.get_or_create(entry=entry, supervisor=supervisor)
    return share


def stop_sharing(entry: JournalEntry, supervisor) -> None:
    Share.objects.filter(entry=entry, supervisor=supervisor).delete()


def add_comment(entry: JournalEntry, author, text: str) -> Comment:
    """A comment by the author or a supervisor the entry is shared with."""
    text = text.strip()
    if not text:
        raise JournalError("empty", "Write your comment before you send it.")
    if message := too_long_message(text, "your comment"):
        raise JournalError("too_long", message)
    return Comment.objects.create(entry=entry, author=author, text=text)


@transaction.atomic
def type_up_entry(
    trainee: Trainee,
    typist,
    *,
    consent: bool,
    supervisors,
    **fields,
) -> JournalEntry:
    """A reflection typed up from a paper workbook by staff, with the trainee's consent. It
    belongs to the trainee; it is shared with the supervisors chosen."""
    if not consent:
        raise JournalError(
            "consent",
            "Tick the box to say the trainee agreed to this being typed up and shared",
        )
    entry = save_entry(JournalEntry(trainee=trainee, entered_by=typist), **fields)
    allowed = supervisors_for(trainee)
    for supervisor in supervisors:
        if not allowed.filter(pk=supervisor.pk).exists():
            raise JournalError("not_a_supervisor", "Choose supervisors of the trainee's prison.")
        Share.objects.create(entry=entry, supervisor=supervisor)
    return entry


# --- Supervision ---
# Meetings with peer workers: who was there, how each was doing, the notes only that peer worker
# and the supervisor may read, and the actions agreed. Also who is overdue a meeting.

import datetime  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db.models import F, Max  # noqa: E402

from cohorts.access import staff_establishments  # noqa: E402
from cohorts.models import Establishment  # noqa: E402

from .models import (  # noqa: E402
    SupervisionAction,
    SupervisionAttendee,
    SupervisionMeeting,
)

WELLBEING_LABELS = {
    1: "Struggling",
    2: "Finding things hard",
    3: "Getting by",
    4: "Doing OK",
    5: "Doing well",
}
SUPERVISED_ROLES = (Trainee.RoleStatus.ACTIVE, Trainee.RoleStatus.ASPIRING)


class SupervisionError(DomainError):
    """A supervision meeting that cannot be recorded as it is."""


@dataclass(frozen=True)
class AttendeeRecord:
    trainee: Trainee
    wellbeing: int | None
    notes: str = ""


@dataclass(frozen=True)
class ActionRecord:
    text: str
    due_on: datetime.date | None = None
    trainee: Trainee | None = None  # whose action; None for the whole group


def supervisable_workers(establishment: Establishment):
    """The peer workers a supervisor may meet at this prison: active or aspiring."""
    return Trainee.objects.filter(establishment=establishment, role_status__in=SUPERVISED_ROLES)


def record_meeting(
    *,
    establishment: Establishment,
    supervisor,
    held_on: datetime.date,
    kind: str,
    framework: str = "",
    attendees: list[AttendeeRecord],
    actions: list[ActionRecord] = (),
    today: datetime.date | None = None,
) -> SupervisionMeeting:
    """Save a supervision meeting with its attendees and actions, or raise SupervisionError."""
    today = today or datetime.date.today()
    if held_on > today:
        raise SupervisionError("in_the_future", "The meeting date cannot be in the future.")
    if kind not in SupervisionMeeting.Kind.values:
        raise SupervisionError("unknown_kind", "Choose the kind of meeting.")
    if not attendees:
        raise SupervisionError("nobody_there", "Choose who was at the meeting.")
    if kind == SupervisionMeeting.Kind.ONE_TO_ONE and len(attendees) != 1:
        raise SupervisionError(
            "one_to_one_needs_one", "A one-to-one meeting is with one peer worker."
        )
    allowed = set(supervisable_workers(establishment).values_list("pk", flat=True))
    present = set()
    for attendee in attendees:
        if attendee.trainee.pk not in allowed:
            raise SupervisionError(
                "not_a_peer_worker_here", "Choose peer workers of this prison only."
            )
        if attendee.wellbeing not in WELLBEING_LABELS:
            raise SupervisionError(
                "wellbeing_out_of_range",
                f"Choose how {attendee.trainee.display_name} is doing, from 1 to 5.",
            )
        if message := too_long_message(
            attendee.notes, f"the notes about {attendee.trainee.display_name}"
        ):
            raise SupervisionError("too_long", message)
        present.add(attendee.trainee.pk)
    if len(present) != len(attendees):
        raise SupervisionError("listed_twice", "Each peer worker is listed once.")
    for action in actions:
        if not action.text.strip():
            raise SupervisionError("empty_action", "Write what the action is.")
        if action.trainee is not None and action.trainee.pk not in present:
            raise SupervisionError(
                "action_for_someone_absent", "An action can only be for someone who was there."
            )
    with transaction.atomic():
        meeting = SupervisionMeeting.objects.create(
            establishment=establishment,
            supervisor=supervisor,
            held_on=held_on,
            kind=kind,
            framework=framework,
        )
        rows = {
            a.trainee.pk: SupervisionAttendee.objects.create(
                meeting=meeting, trainee=a.trainee, wellbeing=a.wellbeing, notes=a.notes
            )
            for a in attendees
        }
        for action in actions:
            SupervisionAction.objects.create(
                meeting=meeting,
                attendee=rows[action.trainee.pk] if action.trainee else None,
                text=action.text.strip(),
                due_on=action.due_on,
            )
    return meeting


def meetings_recorded_by(supervisor):
    """The meetings this member of staff led, at the prisons they still work in."""
    return SupervisionMeeting.objects.filter(
        supervisor=supervisor, establishment__in=staff_establishments(supervisor)
    )


def attendances_of(trainee: Trainee):
    """A peer worker's own rows of the meetings they were at, newest first."""
    return (
        SupervisionAttendee.objects.filter(trainee=trainee)
        .select_related("meeting__supervisor")
        .order_by("-meeting__held_on", "-meeting__created_at")
    )


def can_complete(user, action: SupervisionAction) -> bool:
    """The supervisor may tick off any action of their meeting; a peer worker their own."""
    if action.meeting.supervisor_id == user.pk:
        return True
    return action.attendee is not None and action.attendee.trainee.user_id == user.pk


def complete_action(user, action: SupervisionAction) -> SupervisionAction:
    if not can_complete(user, action):
        raise SupervisionError("not_yours", "Only the supervisor or the peer worker can do this.")
    action.done = True
    action.save(update_fields=["done"])
    return action


def is_overdue(action: SupervisionAction, today: datetime.date) -> bool:
    return not action.done and action.due_on is not None and action.due_on < today


@dataclass(frozen=True)
class OverdueSupervision:
    trainee: Trainee
    last_met: datetime.date | None  # None: never supervised


def supervision_interval() -> datetime.timedelta:
    return datetime.timedelta(weeks=settings.SUPERVISION_INTERVAL_WEEKS)


def supervision_overdue(
    establishment: Establishment, today: datetime.date
) -> list[OverdueSupervision]:
    """Active peer workers whose last supervision meeting was more than
    ``SUPERVISION_INTERVAL_WEEKS`` weeks before ``today``, or who never had one. One query."""
    since = today - supervision_interval()
    workers = (
        Trainee.objects.filter(establishment=establishment, role_status=Trainee.RoleStatus.ACTIVE)
        .annotate(last_met=Max("supervision_attendances__meeting__held_on"))
        .filter(Q(last_met__isnull=True) | Q(last_met__lt=since))
        .order_by(F("last_met").asc(nulls_first=True), "display_name")
    )
    return [OverdueSupervision(worker, worker.last_met) for worker in workers]


def supervision_overdue_counts(establishments, today: datetime.date) -> dict[int, int]:
    """How many active peer workers are overdue supervision, by establishment id, for any
    number of establishments: one query (``supervision_overdue`` says who)."""
    since = today - supervision_interval()
    overdue = (
        Trainee.objects.filter(
            establishment__in=establishments, role_status=Trainee.RoleStatus.ACTIVE
        )
        .annotate(last_met=Max("supervision_attendances__meeting__held_on"))
        .filter(Q(last_met__isnull=True) | Q(last_met__lt=since))
        .values_list("establishment_id", flat=True)
    )
    return dict(Counter(overdue))


# --- Exports ---
# An author's journal as Markdown files, and everything kept about one trainee for a subject
# access request. The writer's own Markdown goes out as they typed it: nothing is rendered here.

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import zipfile  # noqa: E402

from django.db.models import Prefetch  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from cohorts.models import Attendance  # noqa: E402

EXPORT_SLUG_LIMIT = 60


def person_name(user) -> str:
    if user is None:
        return "Someone who no longer has an account"
    return full_name(user)


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
