"""Turn a session's blocks into what each audience may see.

One source, three renderings (see ``courses.blocks``). Trainer-only fields are removed here,
before any template sees the value, so a template mistake cannot leak them.
"""

from dataclasses import dataclass, field

from .blocks import EVERYWHERE, SLIDES, TRAINER, WORKBOOK

# A peer support worker studying a session on their own: the blocks the workbook carries, with
# every trainer-only field removed, but a knowledge check's right options and feedback kept
# (feedback is written for the learner, and it gives the right options away anyway).
LEARNER = "learner"


@dataclass
class Part:
    block_type: str
    value: dict
    template: str
    id: str


@dataclass
class Slide:
    kind: str
    value: dict
    notes: list[tuple[str, object]] = field(default_factory=list)
    options: list[dict] = field(default_factory=list)

    @property
    def right(self) -> list[int]:
        """Indexes of the right options of a knowledge check: what A marks on the projector."""
        return [i for i, option in enumerate(self.options) if option["right"]]


NOTE_LABELS = {
    "guidance": "Trainer guidance",
    "guide": "Discussion guide",
    "minutes": "Minutes",
    "text": "Trainer note",
}


def appears_in(child, rendering: str) -> bool:
    fixed = getattr(child.block.meta, "renderings", None)
    if fixed:
        return rendering in fixed
    return rendering in child.value.get("appears_in", EVERYWHERE)


def visible_value(child, rendering: str) -> dict:
    if rendering == TRAINER:
        return dict(child.value)
    hidden = getattr(child.block.meta, "trainer_only", ())
    value = {name: value for name, value in child.value.items() if name not in hidden}
    answers = getattr(child.block.meta, "answers", ())
    if answers and rendering == LEARNER:
        value["options"] = [dict(option) for option in value["options"]]
    elif answers:
        value["options"] = [
            {name: v for name, v in option.items() if name not in answers}
            for option in value["options"]
        ]
    return value


def trainer_only_value(child) -> dict:
    """What only trainers see of a block; a knowledge check's answers as one list per field."""
    if getattr(child.block.meta, "renderings", None) == (TRAINER,):
        return dict(child.value)
    value = {name: child.value[name] for name in getattr(child.block.meta, "trainer_only", ())}
    for name in getattr(child.block.meta, "answers", ()):
        value[name] = [option[name] for option in child.value["options"]]
    return value


def session_parts(session, rendering: str) -> list[Part]:
    """The session body as ``rendering`` (workbook, trainer or learner) shows it. The learner
    studies the blocks the workbook carries."""
    shown_in = WORKBOOK if rendering == LEARNER else rendering
    return [
        Part(child.block_type, visible_value(child, rendering), child.block.meta.template, child.id)
        for child in session.body
        if appears_in(child, shown_in)
    ]


def build_slides(session) -> list[Slide]:
    """The projector deck: title, outcomes, then one slide per block shown on slides.

    Trainer notes and guidance go to ``Slide.notes``, and a knowledge check's options with
    which are right and their feedback to ``Slide.options``, for the presenter view; the
    audience deck is built from ``kind`` and ``value`` only.
    """
    slides = [
        Slide(
            "title",
            {"title": session.title, "summary": session.summary},
            notes=[("Safeguarding", session.safeguarding)] if session.safeguarding else [],
        ),
        Slide("outcomes", {"outcomes": [outcome.value for outcome in session.learning_outcomes]}),
    ]
    for child in session.body:
        if appears_in(child, SLIDES):
            slide = Slide(child.block_type, visible_value(child, SLIDES))
            hidden = getattr(child.block.meta, "trainer_only", ())
            slide.notes = [(NOTE_LABELS.get(name, name), child.value[name]) for name in hidden]
            if getattr(child.block.meta, "answers", ()):
                slide.options = [dict(option) for option in child.value["options"]]
            slides.append(slide)
        elif child.block_type == "trainer_note":
            slides[-1].notes.append((NOTE_LABELS["text"], child.value["text"]))
    return slides


def visible(session, audience: str) -> list:
    """What ``audience`` may see of one session: the parts of the trainee (workbook) or trainer
    page, or the projector's slides. The reading and trainer pages, slides, presenter view and
    books and the learner's study page all take a session's content through here."""
    if audience == SLIDES:
        return build_slides(session)
    if audience in (WORKBOOK, TRAINER, LEARNER):
        return session_parts(session, audience)
    raise ValueError(f"Unknown audience {audience!r}")
