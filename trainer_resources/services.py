"""Seeding the trainer-only chapters and forms."""

from pathlib import Path

from courses.chapters import load_chapters

from .models import TrainerChapter

CHAPTERS_DIR = Path(__file__).resolve().parent / "chapters"


def load_book_content(directory: Path = CHAPTERS_DIR) -> list[str]:
    """Create the trainer book chapters that are missing; never overwrite one edited in the CMS."""
    return load_chapters(TrainerChapter, directory)
