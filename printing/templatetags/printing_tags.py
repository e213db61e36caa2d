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
