"""Knowledge checks: question, options with which are right and feedback, trainer guidance."""

import importlib
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from wagtail.blocks import StructBlockValidationError

from courses.blocks import KnowledgeCheckBlock
from courses.models import SessionPage
from courses.rendering import build_slides, session_parts
from tests.helpers import fold, html_text, page_text

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


def test_no_seeded_field_starts_with_trainer_only():
    labelled = [
        f"{path.name}{where}"
        for path in sorted(SOURCES.glob("*.toml"))
        for where, text in seeded_strings(tomllib.loads(path.read_text()))
        if text.strip().lower().startswith("trainer only")
    ]
    assert labelled == []


def checks_of(session) -> list[dict]:
    return [child.value for child in session.body if child.block_type == "knowledge_check"]


def test_every_seeded_session_has_four_checks_with_feedback_on_every_option(db):
    """Three options (two for a true or false), feedback on each, guidance for the trainer."""
    sessions = list(SessionPage.objects.live())
    assert len(sessions) == len(list(SOURCES.glob("*.toml")))
    short = []
    for session in sessions:
        checks = checks_of(session)
        if len(checks) < 4:
            short.append(f"{session.title}: {len(checks)} checks")
        if len({fold(check["question"]).lower() for check in checks}) < len(checks):
            short.append(f"{session.title}: the same question twice")
        for check in checks:
            options = check["options"]
            if len(options) not in (2, 3):
                short.append(f"{session.title}: {len(options)} options to {check['question']}")
            if not all(fold(option["feedback"]) for option in options):
                short.append(f"{session.title}: an option without feedback: {check['question']}")
            if not html_text(str(check["guidance"])).strip():
                short.append(f"{session.title}: no trainer guidance: {check['question']}")
    assert short == []


def test_exactly_the_right_options_are_flagged(db):
    """One option in each check is right, and the feedback agrees with the flag: feedback on
    the right option starts "Yes.", feedback on any other option never does."""
    wrong = []
    for session in SessionPage.objects.live():
        for check in checks_of(session):
            flags = [option["right"] for option in check["options"]]
            if flags.count(True) != 1:
                wrong.append(f"{session.title}: {flags.count(True)} right in {check['question']}")
            for option in check["options"]:
                if option["right"] != option["feedback"].startswith("Yes."):
                    wrong.append(f"{session.title}: {option['text']} / {option['feedback']}")
    assert wrong == []


def test_the_right_option_is_not_mostly_in_one_place(db):
    """A learner who always picks B (or A, or C) gets at most half of the checks right."""
    places = Counter(
        [option["right"] for option in check["options"]].index(True)
        for session in SessionPage.objects.live()
        for check in checks_of(session)
    )
    assert places.total() >= 4 * 17
    assert max(places.values()) <= places.total() // 2


NO_LIFT = re.compile(r"\blift|help (him|me) up|pull (him|me) up|take (his|your) weight", re.I)


def test_only_one_check_in_the_curriculum_tests_the_no_lift_rule(db):
    """The rule is taught in Boundaries; other sessions' checks test their own points."""
    about_lifting = [
        session.slug
        for session in SessionPage.objects.live()
        for check in checks_of(session)
        if NO_LIFT.search(" ".join([check["question"], *(o["text"] for o in check["options"])]))
    ]
    assert about_lifting == ["boundaries"]


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
    assert [set(option) for option in parts[0].value["options"]] == [{"text"}] * 3


def test_trainer_page_shows_the_right_option_feedback_and_guidance(client_for):
    session = SessionPage.objects.live().get(slug="hand-hygiene")
    check = check_of(session)
    text = page_text(client_for("trainer").get(session.url + "trainer/"))
    right = next(o for o in check.value["options"] if o["right"])
    assert f"B, right: {right['text']}" in text
    for option in check.value["options"]:
        assert option["feedback"] in text
    assert "Gloves do not replace washing" in text


def test_slides_carry_the_options_and_the_presenter_the_right_ones(db):
    session = SessionPage.objects.live().get(slug="communication-in-care")
    slide = next(s for s in build_slides(session) if s.kind == "knowledge_check")
    assert [set(option) for option in slide.value["options"]] == [{"text"}] * 3
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
