"""The printed documents: what each one contains, and how it is put together.

The registry other code builds against (the print page, background builds, the CLI):

- ``DOCUMENT_KINDS``: kind -> label, for ``"workbook"``, ``"large_print_workbook"``,
  ``"trainer_book"`` and ``"handout"``.
- ``render_document(kind, programme, session=None, edition=None) -> bytes``: the PDF.
- ``document_sources(kind, programme, session=None) -> list[Page | Model]``: the published
  pages and snippets whose content goes in, for the fingerprint of a built edition.
- ``document_title(kind, programme, session=None) -> str``.
- ``TEMPLATE_FILES``: the files (templates, CSS, fonts, the two modules that assemble and
  render) whose content also decides the PDF, for the fingerprint.

Which sessions go in, in what order and showing what, is the outline's answer
(``courses.outline``): the workbook and handouts take its workbook view of each session, with
every trainer-only field removed before a template sees the value; the trainer book takes its
trainer view. Workbook-only chapters come from ``workbook_content``, trainer-only chapters and
forms from ``trainer_resources`` (both through the outline); the trainer book's evaluation
questionnaires, after its forms, from ``evaluation`` (the same paper forms staff print one at a
time).
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.dateformat import format as format_date

from courses.blocks import TRAINER, WORKBOOK
from courses.models import ProgrammePage, SessionPage
from courses.outline import OutlineSession, outline
from evaluation.forms import PAPER_FORM_CSS, paper_form
from evaluation.models import Questionnaire
from kernel import clock
from pdf import rendering
from pdf.rendering import PRINT_BASE_URL, PrintingError, html_for, render_pdf, typeset_plain
from trainer_resources.models import TrainerChapter

from .booklet import impose

WORKBOOK_KIND = "workbook"
LARGE_PRINT_KIND = "large_print_workbook"
TRAINER_BOOK_KIND = "trainer_book"
HANDOUT_KIND = "handout"
WORKBOOK_BOOKLET_KIND = "workbook_booklet"
TRAINER_BOOKLET_KIND = "trainer_book_booklet"
FORMS_KIND = "forms"
LARGE_PRINT_FORMS_KIND = "large_print_forms"

DOCUMENT_KINDS = {
    WORKBOOK_KIND: "Peer Support Workbook",
    LARGE_PRINT_KIND: "Peer Support Workbook (large print)",
    TRAINER_BOOK_KIND: "Trainer Resource Book",
    WORKBOOK_BOOKLET_KIND: "Peer Support Workbook (A5 booklet)",
    TRAINER_BOOKLET_KIND: "Trainer Resource Book (A5 booklet)",
    FORMS_KIND: "Forms to photocopy",
    LARGE_PRINT_FORMS_KIND: "Forms to photocopy (large print)",
    HANDOUT_KIND: "Session handout",
}
# What build_books makes when no document is named.
DEFAULT_BOOKS = [WORKBOOK_KIND, LARGE_PRINT_KIND, TRAINER_BOOK_KIND]
FORM_KINDS = (FORMS_KIND, LARGE_PRINT_FORMS_KIND)
# A form chapter that a questionnaire replaces (by slug): one "Session feedback" form, the one
# whose answers are keyed in to the evaluation.
FORMS_REPLACED_BY_QUESTIONNAIRES = {"session_feedback": "session-feedback"}
# A booklet is its book laid out on A5 and imposed two-up on A4 (``printing.booklet``).
BOOKLET_OF = {WORKBOOK_BOOKLET_KIND: WORKBOOK_KIND, TRAINER_BOOKLET_KIND: TRAINER_BOOK_KIND}

TEMPLATES = {
    WORKBOOK_KIND: "printing/workbook.html",
    LARGE_PRINT_KIND: "printing/workbook.html",
    TRAINER_BOOK_KIND: "printing/trainer_book.html",
    HANDOUT_KIND: "printing/handout.html",
    FORMS_KIND: "printing/forms.html",
    LARGE_PRINT_FORMS_KIND: "printing/forms.html",
}

PRINT_CSS = "printing/print.css"
LARGE_PRINT_CSS = "printing/large-print.css"
BOOKLET_CSS = "printing/booklet.css"
FORMS_CSS = "printing/forms.css"
LARGE_PRINT_FORMS_CSS = "printing/large-print-forms.css"

_ROOT = Path(__file__).resolve().parent
_TEMPLATES = settings.BASE_DIR / "templates" / "printing"
_FONTS = settings.BASE_DIR / "static_build" / "fonts"
TEMPLATE_FILES: list[Path] = sorted(
    {
        *(_TEMPLATES / Path(name).name for name in ("base.html", *TEMPLATES.values())),
        *(_TEMPLATES / "includes").glob("*.html"),
        *(_TEMPLATES / "parts").glob("*.html"),
        *(_TEMPLATES / "blocks").glob("*.html"),
        *(_ROOT / "static" / "printing").glob("*.css"),
        *(_ROOT / "static" / "printing").glob("*.svg"),
        *_FONTS.glob("atkinson-hyperlegible-*.woff2"),
        _ROOT / "templatetags" / "printing_tags.py",
        Path(rendering.__file__),
        _ROOT / "documents.py",
        _ROOT / "booklet.py",
    }
)

# How the workbook lays out a reflection prompt: the framework's headings, each with a
# question in plain words and ruled lines to write on.
REFLECTION_LAYOUTS = {
    "gibbs": [
        ("Description", "What happened?", 3),
        ("Feelings", "What were you thinking and feeling?", 3),
        ("Evaluation", "What was good about it? What was bad?", 3),
        ("Analysis", "Why did it go that way?", 3),
        ("Conclusion", "What else could you have done?", 3),
        ("Action plan", "What will you do next time?", 3),
    ],
    "what_so_what": [
        ("What?", "What happened? Who was there? What did you do?", 5),
        ("So what?", "Why does it matter? What did you learn?", 5),
        ("Now what?", "What will you do next? What help do you need?", 5),
    ],
    "free": [("My thoughts", "Write, or draw, whatever comes to mind.", 10)],
}


@dataclass
class ContentsEntry:
    label: str
    anchor: str
    level: int = 1
    note: str = ""


def programme_sessions(programme: ProgrammePage, rendering: str) -> list[OutlineSession]:
    """The live sessions of ``programme`` in programme order, numbered from 1 (the outline)."""
    return outline(programme, rendering).sessions


def _check(kind: str, programme, session) -> None:
    if kind not in DOCUMENT_KINDS:
        raise PrintingError("unknown_kind", f"No printed document called {kind!r}.")
    if kind == HANDOUT_KIND and session is None:
        raise PrintingError("no_session", "A handout is for one session: name the session.")
    if kind != HANDOUT_KIND and programme is None:
        raise PrintingError("no_programme", f"A {DOCUMENT_KINDS[kind]} is for one programme.")


def document_title(kind: str, programme: ProgrammePage | None, session=None) -> str:
    """The title on the cover and in the PDF's metadata.

    "Peer Support Workbook: Three-day programme", "Handout: Building Resilience" ...
    """
    _check(kind, programme, session)
    if kind == HANDOUT_KIND:
        return f"Handout: {session.title}"
    return f"{DOCUMENT_KINDS[kind]}: {programme.title}"


def document_sources(kind: str, programme: ProgrammePage | None, session=None) -> list:
    """The published pages and snippets whose content goes into the document, in order.

    Every item is a ``Page`` (the programme, its live sessions) or a chapter snippet
    (``WorkbookChapter`` / ``TrainerChapter``, live ones only). All of them have revisions:
    the row holds the published content and ``live_revision_id`` changes on every publish, so
    ``(content type, pk, live_revision_id)`` per item fingerprints the content. A handout's
    sources are its session and, when given, the programme named in its footer.
    """
    _check(kind, programme, session)
    kind = BOOKLET_OF.get(kind, kind)
    if kind == HANDOUT_KIND:
        return [session] + ([programme] if programme is not None else [])
    book = outline(programme, TRAINER if kind in (TRAINER_BOOK_KIND, *FORM_KINDS) else WORKBOOK)
    sessions = list({item.session.pk: item.session for item in book.sessions}.values())
    if kind in FORM_KINDS:
        chapters = [chapter for chapter in book.chapters if chapter.is_form]
        questionnaires = []
        for questionnaire in book_questionnaires():
            questionnaires += [questionnaire, *questionnaire.items.all()]
        return [programme, *sessions, *chapters, *questionnaires]
    if kind == TRAINER_BOOK_KIND:
        questionnaires = []
        for questionnaire in book_questionnaires():
            questionnaires += [questionnaire, *questionnaire.items.all()]
        return [programme, *sessions, *book.chapters, *questionnaires]
    return [programme, *sessions, *book.chapters]


def book_questionnaires() -> list[Questionnaire]:
    """The questionnaires printed in the trainer book: the trainees' first, then the form for
    people receiving support. Their questions (``items``) are prefetched."""
    questionnaires = Questionnaire.objects.prefetch_related("items")
    return sorted(
        questionnaires, key=lambda q: (q.audience != Questionnaire.Audience.TRAINEE, q.title)
    )


def book_forms(chapters: dict, questionnaires: list[Questionnaire]) -> list:
    """The trainer book's form chapters, without those a questionnaire replaces."""
    slugs = {questionnaire.slug for questionnaire in questionnaires}
    return [
        chapters[key]
        for key in TrainerChapter.FORMS
        if key in chapters and FORMS_REPLACED_BY_QUESTIONNAIRES.get(key) not in slugs
    ]


@dataclass
class FormMaster:
    """One form to photocopy: its short code, and a form chapter or a questionnaire."""

    code: str
    title: str
    chapter: TrainerChapter | None = None
    paper: object = None  # evaluation.forms.PaperForm


def form_masters(chapters: dict, questionnaires: list[Questionnaire]) -> list[FormMaster]:
    """Every form and questionnaire with its document code: PST-F1, PST-F2 ... for the forms,
    PST-Q1 ... for the questionnaires, in book order."""
    forms = book_forms(chapters, questionnaires)
    return [
        *(FormMaster(f"PST-F{n}", c.title, chapter=c) for n, c in enumerate(forms, 1)),
        *(
            FormMaster(f"PST-Q{n}", q.title, paper=paper_form(q))
            for n, q in enumerate(questionnaires, 1)
        ),
    ]


def edition_line(kind: str, programme, session, edition) -> str:
    """The line in every footer: document, programme, edition number and date."""
    name = DOCUMENT_KINDS[kind] if kind != HANDOUT_KIND else "Handout"
    what = programme.title if programme is not None else session.title
    if edition is None:
        when = f"Unnumbered copy printed {format_date(clock.today(), 'j F Y')}"
    else:
        when = f"Edition {edition.number}, {format_date(edition.date, 'j F Y')}"
    if kind == LARGE_PRINT_KIND:  # large type leaves room for less
        return f"{what} · {when}"
    return f"{name} · {what} · {when}"


def _unplaced(session: SessionPage, rendering: str) -> OutlineSession:
    """A session printed on its own, outside any programme."""
    return OutlineSession(session=session, number=None, day="", audience=rendering)


def _workbook_contents(sessions, chapters) -> list[ContentsEntry]:
    entries = []
    if "how_to_use" in chapters:
        entries.append(ContentsEntry(chapters["how_to_use"].title, "chapter-how_to_use"))
    entries.append(ContentsEntry("Part 1: Your training sessions", "part-1"))
    entries += [ContentsEntry(item.session.title, item.anchor, 2, item.day) for item in sessions]
    entries.append(ContentsEntry("Part 2: Being a peer support worker", "part-2"))
    for key in ("role", "boundaries", "looking_after_yourself"):
        if key in chapters:
            entries.append(ContentsEntry(chapters[key].title, f"chapter-{key}", 2))
    entries.append(ContentsEntry("Part 3: To keep", "part-3"))
    if "glossary" in chapters:
        entries.append(ContentsEntry(chapters["glossary"].title, "chapter-glossary", 2))
    entries.append(ContentsEntry("Record of sessions attended", "record", 2))
    entries.append(ContentsEntry("Notes", "notes", 2))
    return entries


def _trainer_contents(sessions, chapters, questionnaires) -> list[ContentsEntry]:
    entries = [ContentsEntry("Part 1: Delivering the programme", "part-1")]
    if "train_the_trainers" in chapters:
        entries.append(
            ContentsEntry(chapters["train_the_trainers"].title, "chapter-train_the_trainers", 2)
        )
    entries.append(ContentsEntry("Part 2: The sessions", "part-2"))
    entries.append(ContentsEntry("Programme timetable", "timetable", 2))
    entries += [ContentsEntry(item.session.title, item.anchor, 2, item.day) for item in sessions]
    entries.append(ContentsEntry("Part 3: Supervision and forms", "part-3"))
    if "supervision_guide" in chapters:
        entries.append(
            ContentsEntry(chapters["supervision_guide"].title, "chapter-supervision_guide", 2)
        )
    for chapter in book_forms(chapters, questionnaires):
        entries.append(ContentsEntry(chapter.title, f"chapter-{chapter.key}", 2))
    for questionnaire in questionnaires:
        entries.append(
            ContentsEntry(
                f"Questionnaire: {questionnaire.title}", f"questionnaire-{questionnaire.slug}", 2
            )
        )
    return entries


def document_context(
    kind: str, programme: ProgrammePage | None, session=None, edition=None
) -> dict:
    """Everything the print templates need for one document."""
    _check(kind, programme, session)
    rendering = TRAINER if kind == TRAINER_BOOK_KIND else WORKBOOK
    book = outline(programme, rendering) if programme is not None else None
    if kind == HANDOUT_KIND:
        placed = [s for s in book.sessions if s.session.pk == session.pk] if book else []
        sessions = placed[:1] or [_unplaced(session, WORKBOOK)]
    else:
        sessions = book.sessions
    context = {
        "kind": kind,
        "book_name": DOCUMENT_KINDS[kind],
        "title": document_title(kind, programme, session),
        "programme": programme,
        "edition": edition,
        "edition_line": edition_line(kind, programme, session, edition),
        "printed_on": edition.date if edition is not None else clock.today(),
        "rendering": rendering,
        "large_print": kind == LARGE_PRINT_KIND,
        "stylesheets": [PRINT_CSS, LARGE_PRINT_CSS] if kind == LARGE_PRINT_KIND else [PRINT_CSS],
        "sessions": sessions,
        "days": book.days if kind != HANDOUT_KIND else [],
        "total_minutes": sum(item.session.duration for item in sessions),
        "reflection_layouts": REFLECTION_LAYOUTS,
        "notes_pages": range(2),
        "notes_lines": 18 if kind == LARGE_PRINT_KIND else 24,
    }
    chapters = {chapter.key: chapter for chapter in book.chapters} if book else {}
    if kind in (WORKBOOK_KIND, LARGE_PRINT_KIND):
        context["chapters"] = chapters
        context["contents"] = _workbook_contents(sessions, chapters)
    elif kind == TRAINER_BOOK_KIND:
        questionnaires = book_questionnaires()
        context["chapters"] = chapters
        context["contents"] = _trainer_contents(sessions, chapters, questionnaires)
        context["forms"] = book_forms(chapters, questionnaires)
        context["questionnaire_forms"] = [paper_form(q) for q in questionnaires]
        context["stylesheets"] = [PRINT_CSS, PAPER_FORM_CSS]
    elif kind in FORM_KINDS:
        large = kind == LARGE_PRINT_FORMS_KIND
        context["large_print"] = large
        trainer_chapters = {c.key: c for c in outline(programme, TRAINER, "id").chapters}
        context["masters"] = form_masters(trainer_chapters, book_questionnaires())
        context["stylesheets"] = [
            PRINT_CSS,
            PAPER_FORM_CSS,
            FORMS_CSS,
            *([LARGE_PRINT_FORMS_CSS] if large else []),
        ]
        context["edition_text"] = (
            f"Edition {edition.number}, {format_date(edition.date, 'j F Y')}"
            if edition is not None
            else f"Printed {format_date(context['printed_on'], 'j F Y')}"
        )
    return context


def document_html(kind: str, programme, session=None, edition=None) -> str:
    """The HTML WeasyPrint lays out (saved by benchmarks to time WeasyPrint alone)."""
    book = BOOKLET_OF.get(kind)
    if book is None:
        return html_for(TEMPLATES[kind], document_context(kind, programme, session, edition))
    context = document_context(book, programme, session, edition)
    context["stylesheets"] = [*context["stylesheets"], BOOKLET_CSS]
    return html_for(TEMPLATES[book], context)


def render_document(
    kind: str, programme: ProgrammePage | None, session=None, edition=None, *, inspect=None
) -> bytes:
    """Build one printed document as PDF bytes.

    ``kind`` is a key of ``DOCUMENT_KINDS``. ``programme`` is a ``ProgrammePage`` (may be
    ``None`` for a handout). ``session`` is the ``SessionPage`` of a handout (ignored by the
    books). ``edition`` is ``None`` or any object with ``number`` (int) and ``date`` (a
    ``datetime.date``), printed on the cover and in every footer. Raises ``PrintingError``
    (with a ``code``) when the request makes no sense or a resource cannot be fetched.
    ``inspect`` is handed to ``render_pdf``.
    """
    title = document_title(kind, programme, session)
    subject = session.summary if kind == HANDOUT_KIND else programme.purpose
    # Set once here, so that a booklet's imposed PDF carries the same title as its book.
    title, subject = typeset_plain(title), typeset_plain(subject)
    meta = {"title": title, "author": settings.WAGTAIL_SITE_NAME, "subject": subject}
    pdf = render_pdf(
        document_html(kind, programme, session, edition),
        base_url=PRINT_BASE_URL,
        language="en-GB",
        typographic=True,
        inspect=inspect,
        **meta,
    )
    return impose(pdf, **meta) if kind in BOOKLET_OF else pdf


def session_page_context(session: SessionPage, rendering: str) -> dict:
    """Context for the editor's "Workbook page" and "Trainer book page" previews (HTML only)."""
    kind = TRAINER_BOOK_KIND if rendering == TRAINER else WORKBOOK_KIND
    return {
        "kind": kind,
        "book_name": DOCUMENT_KINDS[kind],
        "title": f"{session.title} ({DOCUMENT_KINDS[kind]} preview)",
        "edition_line": f"{DOCUMENT_KINDS[kind]} · preview",
        "rendering": rendering,
        "large_print": False,
        "stylesheets": [PRINT_CSS],
        "preview": True,
        "item": _unplaced(session, rendering),
        "reflection_layouts": REFLECTION_LAYOUTS,
    }


def chapter_preview_context(chapter, request) -> dict:
    """Context for the admin preview of a workbook or trainer book chapter."""
    trainer = isinstance(chapter, TrainerChapter)
    kind = TRAINER_BOOK_KIND if trainer else WORKBOOK_KIND
    programme = ProgrammePage.objects.live().order_by("path").first()
    sessions = outline(programme).sessions if programme is not None else []
    return {
        "kind": kind,
        "book_name": DOCUMENT_KINDS[kind],
        "title": f"{chapter.title} ({DOCUMENT_KINDS[kind]} preview)",
        "edition_line": f"{DOCUMENT_KINDS[kind]} · preview",
        "rendering": TRAINER if trainer else WORKBOOK,
        "large_print": False,
        "stylesheets": [PRINT_CSS],
        "preview": True,
        "chapter": chapter,
        "programme": programme,
        "sessions": sessions,
    }
