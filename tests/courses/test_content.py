"""The seeded curriculum meets the content minimums and reads at the right level."""

import re

import pytest
import textstat
from django.utils.html import strip_tags

from courses.models import ProgrammePage, SessionPage
from tests.factories import sessions_of
from tests.helpers import fold, html_text

MINIMUMS = {
    "section": 4,
    "activity": 1,
    "knowledge_check": 1,
    "reflection_prompt": 1,
    "key_points": 1,
    "trainer_note": 1,
}


def block_counts(session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for child in session.body:
        counts[child.block_type] = counts.get(child.block_type, 0) + 1
    return counts


def as_texts(value) -> list[str]:
    if isinstance(value, int):
        return []
    if isinstance(value, str) or hasattr(value, "source"):  # text or rich text
        return [html_text(str(value))]
    return [html_text(str(item)) for item in value]  # a list block


def trainee_text(session) -> str:
    """What a trainee reads of a session: summary, outcomes and the workbook fields."""
    parts = [session.summary, *[o.value for o in session.learning_outcomes]]
    for child in session.body:
        if child.block_type in ("trainer_note", "table", "image"):
            continue
        hidden = child.block.meta.trainer_only
        for name, value in child.value.items():
            if name == "options":  # a knowledge check: the learner reads options and feedback
                parts += [text for option in value for text in (option["text"], option["feedback"])]
            elif name not in hidden and name not in ("appears_in", "framework", "drawing"):
                parts += as_texts(value)
    return "\n".join(parts)


def test_at_least_17_live_sessions(db):
    assert SessionPage.objects.live().count() >= 17


def test_every_session_meets_the_content_minimums(db):
    shortfalls = []
    for session in SessionPage.objects.live():
        counts = block_counts(session)
        for block_type, minimum in MINIMUMS.items():
            if counts.get(block_type, 0) < minimum:
                shortfalls.append(f"{session.title}: {counts.get(block_type, 0)} {block_type}")
        if counts.get("discussion", 0) + counts.get("case_study", 0) < 1:
            shortfalls.append(f"{session.title}: no discussion or case study")
        if len(session.learning_outcomes) < 3:
            shortfalls.append(f"{session.title}: fewer than 3 learning outcomes")
        if not (session.summary and session.duration and session.suggested_deliverer):
            shortfalls.append(f"{session.title}: summary, duration or deliverer missing")
        for child in session.body:
            if (
                child.block_type == "activity"
                and not strip_tags(str(child.value["guidance"])).strip()
            ):
                shortfalls.append(f"{session.title}: activity without trainer guidance")
    assert shortfalls == []


def test_session_plans_add_up_to_the_duration(db):
    wrong = [
        f"{s.title}: plan {s.plan_minutes()} min, duration {s.duration} min"
        for s in SessionPage.objects.live()
        if s.plan_minutes() != s.duration
    ]
    assert wrong == []


def test_trainee_text_reads_below_an_age_11_level(db):
    """Flesch-Kincaid grade under 6 (a US grade 6 reader is 11 to 12); no sentence over 20 words."""
    too_hard = []
    for session in SessionPage.objects.live():
        text = trainee_text(session)
        lines = [fold(line) for line in re.split(r"(?<=[.!?])\s+|\n", text) if line.strip()]
        grade = textstat.flesch_kincaid_grade(". ".join(lines))
        long_sentences = [line for line in lines if len(line.split()) > 20]
        if grade >= 6 or long_sentences:
            too_hard.append((session.title, grade, long_sentences[:2]))
    assert too_hard == []


def test_every_check_question_and_feedback_reads_at_grade_6_or_below(db):
    """Each question and each option's feedback on its own: a learner meets them one at a time."""
    too_hard = [
        (session.title, round(textstat.flesch_kincaid_grade(fold(text)), 1), text)
        for session in SessionPage.objects.live()
        for child in session.body
        if child.block_type == "knowledge_check"
        for text in [child.value["question"], *(o["feedback"] for o in child.value["options"])]
        if textstat.flesch_kincaid_grade(fold(text)) > 6
    ]
    assert too_hard == []


FALLS_GUIDANCE = re.compile(r"has fallen|someone falls|if (he|they) falls?\b", re.I)


def reading_text(session) -> str:
    """What a trainee reads, with the cells of the session's tables."""
    cells = [
        cell
        for child in session.body
        if child.block_type == "table"
        for row in child.value["table"]["data"]
        for cell in row
        if cell
    ]
    return "\n".join([trainee_text(session), *cells])


def test_falls_guidance_always_says_no_food_or_drink_with_the_other_steps(db):
    """Wherever a session tells a buddy what to do after a fall, it gives every step."""
    sessions = [s for s in SessionPage.objects.live() if FALLS_GUIDANCE.search(reading_text(s))]
    assert len(sessions) >= 5
    missing = []
    for session in sessions:
        text = fold(reading_text(session)).lower()
        for step in ("food or drink", "operation", "lift", "warm", "stay with", "staff"):
            if step not in text:
                missing.append(f"{session.title}: {step}")
    assert missing == []


def test_boundaries_session_says_a_buddy_never_lifts_or_gives_personal_care(db):
    boundaries = SessionPage.objects.live().get(slug="boundaries")
    text = trainee_text(boundaries).lower()
    assert "never" in text and "lift" in text
    for personal_care in ("wash", "dress", "shower"):
        assert personal_care in text


def slot_titles(programme_slug: str) -> list[list[tuple[str, bool]]]:
    programme = ProgrammePage.objects.live().get(slug=programme_slug)
    return [
        [(slot["session"].title, slot["local_staff"]) for slot in day.value["slots"]]
        for day in programme.days
    ]


def test_three_day_programme_as_piloted_is_laid_out_as_table_2(db):
    assert slot_titles("three-day-programme-as-piloted") == [
        [
            ("Course Introduction", False),
            ("Principles of Care", False),
            ("Care for Older Adults, including Dementia", False),
        ],
        [
            ("Communication in Care", False),
            ("Building Resilience", True),
            ("Working with Loss", False),
        ],
        [
            ("Hand Hygiene", True),
            ("Learning from What We Do", True),
            ("Moving and Positioning", False),
        ],
    ]


def test_five_afternoon_programme_is_laid_out_as_table_1(db):
    assert slot_titles("five-afternoon-programme") == [
        [("Course Introduction", False), ("Principles of Care", False)],
        [("Further Introductions", False), ("Communication in Care", False)],
        [("Dealing with Vulnerability", False), ("Learning from What We Do", False)],
        [("Building Resilience", False), ("Disability Awareness", False)],
        [("Care for Older Adults, including Dementia", False), ("Working with Loss", False)],
    ]


@pytest.mark.parametrize(
    ("slug", "pilot_slug", "just_before"),
    [
        ("three-day-programme", "three-day-programme-as-piloted", "principles-of-care"),
        ("six-afternoon-programme", "five-afternoon-programme", "further-introductions"),
    ],
)
def test_the_programmes_to_deliver_are_the_pilot_tables_with_boundaries_placed_early(
    db, slug, pilot_slug, just_before
):
    order = [s.slug for s in sessions_of(ProgrammePage.objects.live().get(slug=slug))]
    pilot = [s.slug for s in sessions_of(ProgrammePage.objects.live().get(slug=pilot_slug))]
    assert order[order.index("boundaries") - 1] == just_before
    assert order.index("principles-of-care") < order.index("boundaries") < 4
    assert [s for s in order if s != "boundaries"] == pilot
    assert "boundaries" not in pilot


def test_hospice_extension_has_at_least_four_hospice_sessions(db):
    sessions = sessions_of(ProgrammePage.objects.live().get(slug="peer-hospice-worker-extension"))
    assert len(sessions) >= 4
    assert {s.module for s in sessions} == {"hospice"}


def test_curriculum_sits_under_home_and_curriculum(db):
    session = SessionPage.objects.live().get(slug="communication-in-care")
    assert session.url == "/curriculum/communication-in-care/"
    assert [p.title for p in session.get_ancestors()[1:]] == ["Peer Support Training", "Curriculum"]
