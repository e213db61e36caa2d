"""Seeding the workbook-only chapters."""

from pathlib import Path

from courses.chapters import load_chapters

from .models import WorkbookChapter

CHAPTERS_DIR = Path(__file__).resolve().parent / "chapters"


def load_book_content(directory: Path = CHAPTERS_DIR) -> list[str]:
    """Create the workbook chapters that are missing; never overwrite one edited in the CMS."""
    return load_chapters(WorkbookChapter, directory)
