"""The rules of journal entries: who writes one, what is kept of it, who it may be shared
with, and who may comment. Views call these; none of them re-implements a rule."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q, QuerySet

from cohorts.models import Trainee
from kernel.errors import DomainError

from ..access import own_trainee
from ..models import (
    QUESTIONS_LIMIT,
    Comment,
    Framework,
    JournalEntry,
    Share,
    framework_sections,
    frameworks_for,
)
from ..rendering import too_long_message

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
