"""Knowledge checks: question, options with which are right and feedback, trainer guidance."""

import importlib
import tomllib
from pathlib import Path

import pytest
from wagtail.blocks import StructBlockValidationError

from courses.blocks import KnowledgeCheckBlock
from courses.models import SessionPage
from courses.rendering import build_slides, session_parts
from tests.helpers import page_text

SOURCES = Path(__file__).resolve().parents[2] / "courses" / "curriculum" / "sessions"
structured = importlib.import_module("courses.migrations.0003_structured_knowledge_checks")


def seeded_strings(value, where=""):
    """(where, text) for every string in a seed file, however deeply nested."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from seeded_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from seeded_strings(item, f"{where}[{i}]")


def seeded_checks():
    for path in sorted(SOURCES.glob("*.toml")):
        data = tomllib.loads(path.read_text())
        for block in data["body"]:
            if block["type"] == "knowledge_check":
                yield path.name, block


def test_no_seeded_field_starts_with_trainer_only():
    labelled = [
        f"{path.name}{where}"
        for path in sorted(SOURCES.glob("*.toml"))
        for where, text in seeded_strings(tomllib.loads(path.read_text()))
        if text.strip().lower().startswith("trainer only")
    ]
    assert labelled == []


def test_the_18_seeded_checks_each_have_a_right_option_and_feedback_on_every_option():
    checks = list(seeded_checks())
    assert len(checks) == 18
    for name, check in checks:
        options = check["options"]
        assert len(options) >= 3, name
        assert [o for o in options if o.get("right")], f"{name}: no right option"
        assert all(o["feedback"].strip() for o in options), f"{name}: an option lacks feedback"
        assert check["guidance"].strip(), f"{name}: no guidance for the trainer"


def test_a_check_with_no_right_option_is_refused():
    block = KnowledgeCheckBlock()
    value = block.to_python(
        {
            "question": "Which?",
            "options": [
                {"text": "One", "right": False, "feedback": "No."},
                {"text": "Two", "right": False, "feedback": "No."},
            ],
        }
    )
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert "Mark at least one option as right" in str(refused.value.block_errors["options"])


def check_of(session):
    return next(child for child in session.body if child.block_type == "knowledge_check")


def test_reading_page_shows_the_options_but_not_which_is_right_or_the_feedback(client_for):
    session = SessionPage.objects.live().get(slug="hand-hygiene")
    check = check_of(session)
    text = page_text(client_for("trainee").get(session.url))
    for option in check.value["options"]:
        assert option["text"] in text
        assert option["feedback"] not in text
    assert "Right" not in text.split("Check what you know")[1].split("What you will learn")[0]
    parts = [p for p in session_parts(session, "workbook") if p.block_type == "knowledge_check"]
    assert [set(option) for option in parts[0].value["options"]] == [{"text"}] * 4


def test_trainer_page_shows_the_right_option_feedback_and_guidance(client_for):
    session = SessionPage.objects.live().get(slug="hand-hygiene")
    check = check_of(session)
    text = page_text(client_for("trainer").get(session.url + "trainer/"))
    right = next(o for o in check.value["options"] if o["right"])
    assert f"C, right: {right['text']}" in text
    for option in check.value["options"]:
        assert option["feedback"] in text
    assert "Gloves do not replace washing" in text


def test_slides_carry_the_options_and_the_presenter_the_right_ones(db):
    session = SessionPage.objects.live().get(slug="communication-in-care")
    slide = next(s for s in build_slides(session) if s.kind == "knowledge_check")
    assert [set(option) for option in slide.value["options"]] == [{"text"}] * 4
    assert slide.right == [2]
    assert slide.notes[0][0] == "Trainer guidance"


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("The third answer is right. Because.", [False, False, True]),
        ("Trainer only. The right answer is 'Two'. Because.", [False, True, False]),
        ("Nobody wrote which.", [False, False, False]),
    ],
)
def test_stored_checks_are_structured_by_the_migration(answer, right):
    old = {
        "appears_in": ["slides", "workbook", "trainer"],
        "question": "Which?",
        "options": [{"type": "item", "value": t, "id": t} for t in ("One", "Two", "Three")],
        "answer": answer,
    }
    new = structured.StructureKnowledgeCheck().apply(old)
    assert [o["text"] for o in new["options"]] == ["One", "Two", "Three"]
    assert [o["right"] for o in new["options"]] == right
    assert not new["guidance"].lower().startswith("<p>trainer only")
    assert "answer" not in new
