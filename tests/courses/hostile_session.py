"""A published session whose every CMS field holds inputs of the hostile corpus, as a stolen
facilitator account (or a hand-made import) could store them: raw HTML in rich text, which the
editor would never write, and the same text through the curriculum loader's ``text_to_html``.

The corpus is spread over the body's block types in turn, so each kind of field gets a share
of it and every input is in some field. Used by the browser test (run in the test server's
database through ``manage.py shell``) and by the PDF test.
"""

import uuid

from courses.models import SessionPage
from courses.services import text_to_html
from tests.journals.hostile_inputs import HOSTILE

SLUG = "hostile-content"
TITLE = "<script>window.__pwned = 1</script><img src=x onerror=alert(1)> Hostile"


def _block(kind: str, value=None, **fields) -> dict:
    return {"type": kind, "value": fields if value is None else value, "id": str(uuid.uuid4())}


def _blocks(index: int, text: str) -> list[dict]:
    short = text[:80]
    kinds = [
        _block("section", heading=text[:120], text=text, slide_points=[short]),
        _block("section", heading="Loaded", text=text_to_html(text), slide_points=[short]),
        _block("key_points", points=[text[:200]]),
        _block("knowledge_check", question=text[:300], options=[text[:200], "Safe"], answer=text),
        _block("case_study", title=text[:120], story=text, questions=[text[:300]], guide=text),
        _block("discussion", question=text[:300], prompts=[text[:200]], guide=text),
        _block(
            "activity",
            title=text[:120],
            minutes=5,
            instructions=text,
            guidance=text,
            write_in_lines=1,
        ),
        _block("reflection_prompt", prompt=text[:300], framework="gibbs"),
        _block("trainer_note", text=text),
    ]
    return [kinds[index % len(kinds)]]


def plant() -> SessionPage:
    """The hostile session, published next to the seeded ones (made once)."""
    existing = SessionPage.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    source = SessionPage.objects.live().get(slug="communication-in-care")
    page = source.copy(update_attrs={"slug": SLUG, "title": TITLE}, keep_live=False)
    page = page.specific
    page.summary = HOSTILE[0].text
    page.room_setup = HOSTILE[1].text
    page.safeguarding = HOSTILE[2].text
    page.learning_outcomes = [_block("outcome", h.text[:250]) for h in HOSTILE[:20]]
    page.materials = [_block("item", h.text[:200]) for h in HOSTILE[20:40]]
    page.body = [b for index, h in enumerate(HOSTILE) for b in _blocks(index, h.text)]
    page.save_revision().publish()
    return page
