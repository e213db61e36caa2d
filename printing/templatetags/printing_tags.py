from django import template
from django.utils.safestring import SafeString, mark_safe

from courses.blocks import DRAWINGS

register = template.Library()


@register.inclusion_tag("printing/includes/lines.html")
def lines(count) -> dict:
    """``count`` ruled lines to write on."""
    return {"lines": range(int(count or 0))}


@register.filter
def reflection_steps(framework: str) -> list[tuple[str, str, int]]:
    """The workbook layout of a reflection framework: (heading, question, lines) per step."""
    from printing.documents import REFLECTION_LAYOUTS

    return REFLECTION_LAYOUTS.get(framework, REFLECTION_LAYOUTS["free"])


@register.filter
def reflection_write_in(prompt) -> list[tuple[str, str, int]]:
    """Where the workbook gives room to write for a reflection prompt: under each of its
    questions, or, for a prompt without questions, under its framework's headings."""
    questions = list(prompt.get("questions") or [])
    if questions:
        return [(question, "", 4) for question in questions]
    return reflection_steps(prompt["framework"])


@register.filter
def plain_text(text: str) -> SafeString:
    """A plain text field as printed: blank-line paragraphs, and "- " lines as a list rather
    than hyphens (``text_to_html``, which escapes everything)."""
    from courses.services import text_to_html

    return mark_safe(text_to_html(text or ""))  # noqa: S308 (escaped by text_to_html)


# What the books say about where to write, for each reflection framework: whole sentences,
# never a framework's name dropped into a template sentence.
WORKBOOK_HINTS = {
    "gibbs": "Write under each heading below. They are the six steps of Gibbs’ reflective cycle.",
    "what_so_what": "Write under each of the three headings below: what happened, why it "
    "matters, and what you will do next.",
    "free": "Write, or draw, whatever comes to mind in the space below.",
}
TRAINER_HINTS = {
    "gibbs": (
        "Trainees write under each question, or under the six steps of Gibbs’ reflective cycle.",
        "Trainees write this up under the six steps of Gibbs’ reflective cycle: Description, "
        "Feelings, Evaluation, Analysis, Conclusion and Action plan.",
    ),
    "what_so_what": (
        "Trainees write under each question, or under three headings: What? So what? Now what?",
        "Trainees write this up under three headings: What? So what? Now what?",
    ),
    "free": (
        "Trainees write under each question, or freely.",
        "Trainees write freely about this, with no headings.",
    ),
}
FRAMEWORK_GUIDE = "The supervision guide explains the framework."


@register.filter
def reflection_hint(prompt, rendering: str) -> str:
    """The sentence under a reflection prompt: in the workbook, where to write; in the trainer
    book, how trainees write it up."""
    framework = prompt.get("framework") if prompt.get("framework") in WORKBOOK_HINTS else "free"
    questions = bool(prompt.get("questions"))
    if rendering == "workbook":
        return "Write under each question." if questions else WORKBOOK_HINTS[framework]
    sentence = TRAINER_HINTS[framework][0 if questions else 1]
    return sentence if framework == "free" else f"{sentence} {FRAMEWORK_GUIDE}"


@register.filter
def alphabetical(terms) -> list:
    """Glossary terms in A to Z order."""
    return sorted(terms, key=lambda term: term["term"].lower())


@register.filter
def times(count) -> range:
    """``{% for _ in 3|times %}``: repeat a row or a line."""
    return range(int(count or 0))


@register.inclusion_tag("printing/includes/drawing.html")
def drawing(key: str) -> dict:
    """One of ``courses.blocks.DRAWINGS``, as a figure with its alternative text."""
    if key not in DRAWINGS:
        return {}
    label, path, alt = DRAWINGS[key]
    return {"label": label, "path": path, "alt": alt}
