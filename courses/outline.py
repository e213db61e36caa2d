"""The curriculum outline: which sessions a programme has, in what order, and what an audience
may see of each. It is the only code that answers that question; the programme page, the
books and handouts, the print page and its fingerprints, completion and catch-ups, local
delivery readiness and the evaluation figures all read it.

A slot's session counts only while it is published (live). A slot whose session was deleted
or unpublished is left out for every reader: it is not printed, not numbered, not on the
programme page, not required for completion, not in readiness, and nobody can print a
handout of it. What happened already stays on record: a delivery of that session keeps its
register, and the cohort timetable still shows it.

An audience is one of ``AUDIENCES`` (trainee and workbook, trainer, projector, and the learner
studying on their own). What an audience sees of one session is ``courses.rendering.visible``.
A new audience adds a key there and here; a translation adds a ``language`` that
picks the session's translated page before ``visible`` runs.
"""

from dataclasses import dataclass, field
from datetime import time
from functools import cached_property

from .blocks import SLIDES, TRAINER, WORKBOOK, DayBlock
from .chapters import chapter_model
from .models import ProgrammePage, SessionPage
from .rendering import LEARNER, visible

TRAINEE = WORKBOOK  # the trainee reading page and the workbook show the same
PROJECTOR = SLIDES
AUDIENCES = (WORKBOOK, TRAINER, SLIDES, LEARNER)
LANGUAGE = "en-GB"  # the only language written so far

_SLOT = DayBlock().child_blocks["slots"].child_block


@dataclass(frozen=True)
class Slot:
    """One place in a programme's timetable, as stored: no query."""

    day: str
    day_index: int
    session_id: int | None
    start_time: time | None
    local_staff: bool


@dataclass
class OutlineSession:
    """A live session in its place: numbered from 1 in timetable order (a handout of a session
    outside any programme has no number)."""

    session: SessionPage
    number: int | None
    day: str
    audience: str
    day_index: int = 0
    start_time: time | None = None
    local_staff: bool = False

    @property
    def anchor(self) -> str:
        return f"session-{self.number or self.session.pk}"

    @cached_property
    def parts(self) -> list:
        """What ``audience`` may see of the session: parts of the page, or slides."""
        return visible(self.session, self.audience)


@dataclass
class Outline:
    programme: ProgrammePage
    audience: str
    sessions: list[OutlineSession] = field(default_factory=list)
    language: str = LANGUAGE

    @property
    def session_ids(self) -> list[int]:
        """Each live session once, in timetable order."""
        return list(dict.fromkeys(item.session.pk for item in self.sessions))

    @property
    def days(self) -> list[tuple[str, list[OutlineSession]]]:
        """The days that have a live session, each with its sessions in order."""
        days: dict[int, tuple[str, list[OutlineSession]]] = {}
        for item in self.sessions:
            days.setdefault(item.day_index, (item.day, []))[1].append(item)
        return list(days.values())

    @property
    def total_minutes(self) -> int:
        return sum(item.session.duration for item in self.sessions)

    @property
    def has_local_staff_slots(self) -> bool:
        return any(item.local_staff for item in self.sessions)

    @cached_property
    def chapters(self) -> list:
        """The live chapters only this audience's book carries, in book order."""
        model = chapter_model(self.audience)
        return model.in_book_order() if model is not None else []


def slots(programme: ProgrammePage) -> list[Slot]:
    """The programme's timetable as stored, read without a query. A slot may name a session
    deleted or unpublished since: ``outline`` looks the ids up."""
    found = []
    for day_index, day in enumerate(programme.days.raw_data):
        value = day.get("value") or {}
        for slot in value.get("slots") or []:
            if isinstance(slot, dict) and isinstance(slot.get("value"), dict):
                slot = slot["value"]  # a list item as the admin saves it
            if not isinstance(slot, dict):
                continue
            found.append(
                Slot(
                    day=value.get("title", ""),
                    day_index=day_index,
                    session_id=slot.get("session") or None,
                    start_time=_SLOT.child_blocks["start_time"].to_python(slot.get("start_time")),
                    local_staff=bool(slot.get("local_staff")),
                )
            )
    return found


def outline(programme: ProgrammePage, audience: str = WORKBOOK, *fields: str) -> Outline:
    """The programme's live sessions in timetable order, numbered, for ``audience``: one query.
    ``fields`` loads only those fields of each session (``"title"``, ``"duration"`` ...)
    when the content itself is not wanted."""
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}")
    timetable = slots(programme)
    pages = SessionPage.objects.live()
    if fields:
        pages = pages.only(*fields)
    found = pages.in_bulk({slot.session_id for slot in timetable if slot.session_id})
    result = Outline(programme, audience)
    for slot in timetable:
        session = found.get(slot.session_id)
        if session is None:
            continue
        result.sessions.append(
            OutlineSession(
                session=session,
                number=len(result.sessions) + 1,
                day=slot.day,
                day_index=slot.day_index,
                audience=audience,
                start_time=slot.start_time,
                local_staff=slot.local_staff,
            )
        )
    return result


def session_ids(programme: ProgrammePage) -> list[int]:
    """Each live session of the programme once, in timetable order, without its content."""
    return outline(programme, WORKBOOK, "id").session_ids


def session_ids_of(programmes) -> dict[int, list[int]]:
    """``session_ids`` for many programmes at once, by programme id: one query."""
    timetables = {p.pk: [s.session_id for s in slots(p) if s.session_id] for p in programmes}
    wanted = {pk for ids in timetables.values() for pk in ids}
    live = set(SessionPage.objects.live().filter(pk__in=wanted).values_list("pk", flat=True))
    return {pk: list(dict.fromkeys(i for i in ids if i in live)) for pk, ids in timetables.items()}


def programmes_containing(session: SessionPage) -> list[ProgrammePage]:
    """The live programmes with a slot for ``session``."""
    return [
        programme
        for programme in ProgrammePage.objects.live().order_by("path")
        if any(slot.session_id == session.pk for slot in slots(programme))
    ]
