from django import template

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
