"""Trainer-only material (guidance, answers, notes, safeguarding, the plan) stays with trainers."""

import pytest

from courses.models import SessionPage
from tests.helpers import page_text, trainer_only_sentences


@pytest.fixture
def sessions(db):
    return list(SessionPage.objects.live())


def trainer_only_text_on(client, sessions, suffix: str, present: bool) -> list[str]:
    """Trainer-only sentences that are (present=True) or are not on each session's page."""
    found = []
    for session in sessions:
        text = page_text(client.get(session.url + suffix))
        found += [
            f"{session.title}: {s}"
            for s in trainer_only_sentences(session)
            if (s in text) is present
        ]
    return found


def test_every_session_has_trainer_only_material_to_protect(sessions):
    assert all(len(trainer_only_sentences(session)) >= 3 for session in sessions)


def test_trainer_only_text_never_reaches_the_trainee_page(client_for, sessions):
    assert trainer_only_text_on(client_for("trainee"), sessions, "", present=True) == []


def test_trainer_page_carries_all_trainer_only_text(client_for, sessions):
    client = client_for("trainer")
    assert trainer_only_text_on(client, sessions, "trainer/", present=False) == []


def test_session_plan_appears_only_on_the_trainer_page(client_for):
    session = SessionPage.objects.live().get(slug="hand-hygiene")
    trainer = client_for("trainer")
    assert "Session plan (60 of 60 minutes)" in page_text(trainer.get(session.url + "trainer/"))
    assert "Session plan" not in page_text(trainer.get(session.url))
