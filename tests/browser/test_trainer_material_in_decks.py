"""Trainer-only text of every session stays off the projector and is all in the presenter view,
as Chromium receives them from the server (this replaces tests that called the views)."""

import re
import tomllib
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[2] / "courses" / "curriculum" / "sessions"
TRAINER_ONLY = {"guidance", "guide", "safeguarding"}


def sentences(text: str) -> list[str]:
    """Sentences of the plain paragraphs of a seed field (bullet lists left out)."""
    found = []
    for chunk in text.strip().split("\n\n"):
        if any(line.strip().startswith("- ") for line in chunk.splitlines()):
            continue
        folded = re.sub(r"\s+", " ", chunk).strip()
        found += [s for s in re.split(r"(?<=[.!?])\s+", folded) if len(s) > 25]
    return found


def trainer_only_sentences(data: dict) -> list[str]:
    found = sentences(data.get("safeguarding", ""))
    for block in data["body"]:
        for name in TRAINER_ONLY:
            found += sentences(block.get(name, ""))
        if block["type"] == "trainer_note":
            found += sentences(block["text"])
        for option in block.get("options", []) if block["type"] == "knowledge_check" else []:
            found += sentences(option["feedback"])
    return found


def text_of(page, url: str) -> str:
    page.goto(url)
    return re.sub(r"\s+", " ", page.evaluate("document.documentElement.textContent"))


@pytest.mark.browser
def test_trainer_only_text_is_never_on_the_slides_and_always_in_the_presenter_view(log_in):
    page = log_in("trainer")
    on_slides, missing = [], []
    for path in sorted(SOURCES.glob("*.toml")):
        data = tomllib.loads(path.read_text())
        secret = trainer_only_sentences(data)
        assert len(secret) >= 3, path.name
        slides = text_of(page, f"/curriculum/{data['slug']}/slides/")
        presenter = text_of(page, f"/curriculum/{data['slug']}/presenter/")
        on_slides += [f"{path.name}: {s}" for s in secret if s in slides]
        missing += [f"{path.name}: {s}" for s in secret if s not in presenter]
    assert on_slides == [], "Trainer-only text in the audience slides"
    assert missing == [], "Trainer-only text missing from the presenter view"
