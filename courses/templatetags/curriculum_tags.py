from urllib.parse import urlencode

from django import template
from django.urls import reverse

from courses.blocks import FRAMEWORKS
from courses.outline import outline
from courses.rich_text import clean_rich_text

register = template.Library()

# The journal names "What? So what? Now what?" differently from the curriculum.
JOURNAL_FRAMEWORKS = {"what_so_what": "what"}


@register.filter
def hours(minutes) -> str:
    """90 -> "1 hour 30 minutes"; 810 -> "13 hours 30 minutes"."""
    if minutes in (None, ""):
        return ""
    whole, rest = divmod(int(minutes), 60)
    parts = []
    if whole:
        parts.append(f"{whole} hour{'s' if whole != 1 else ''}")
    if rest or not whole:
        parts.append(f"{rest} minutes")
    return " ".join(parts)


@register.filter
def framework_name(code: str) -> str:
    return dict(FRAMEWORKS).get(code, code)


@register.simple_tag
def programme_outline(programme):
    """The programme's outline (``courses.outline``): its live sessions by day."""
    return outline(programme)


@register.filter
def option_letter(index: int) -> str:
    """0 -> "A", the letter of a knowledge check option as the projector shows it."""
    return "ABCDEFGHIJ"[int(index)]


@register.simple_tag
def write_about_url(prompt, session) -> str:
    """The journal's new-entry address, filled in from a reflection prompt: the prompt, its
    questions (the entry's headings; else its framework's) and the session."""
    framework = JOURNAL_FRAMEWORKS.get(prompt["framework"], prompt["framework"])
    query = {
        "prompt": prompt["prompt"],
        "question": list(prompt.get("questions") or []),
        "framework": "questions" if prompt.get("questions") else framework,
        "session": session.slug,
    }
    return f"{reverse('journals:new_entry')}?{urlencode(query, doseq=True)}"


@register.filter
def cms_rich_text(html: str):
    """Rich text reduced to its editor's allow-list (``courses/rich_text.py``)."""
    return clean_rich_text(html)
