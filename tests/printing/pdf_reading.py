"""Reading the built PDFs the way a person reads the printed page."""

import re
from dataclasses import dataclass, field
from io import BytesIO

from pypdf import PdfReader

MM = 72 / 25.4
HEAD_LIMIT = 18 * MM  # running heads sit above this line, body text below it
FOOT_LIMIT = 278 * MM  # footers (edition line, page number) sit below this line
MARKER = re.compile(r"^\s*(•|\d+\.)\s*$")  # list markers, drawn apart from their text


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Run:
    text: str
    top: float  # points from the top of the page to the baseline
    size: float  # font size in points, after every transformation


@dataclass
class Page:
    number: int  # 1-based, as printed
    runs: list[Run] = field(default_factory=list)

    def text(self, part: str = "body") -> str:
        if part == "head":
            runs = [r for r in self.runs if r.top < HEAD_LIMIT]
        elif part == "foot":
            runs = [r for r in self.runs if r.top > FOOT_LIMIT]
        else:
            runs = [r for r in self.runs if HEAD_LIMIT <= r.top <= FOOT_LIMIT]
        return fold(" ".join(r.text for r in runs))


def _multiply(m, n):
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


class Book:
    """A built PDF: its pages' text runs (with position and size) and its outline."""

    def __init__(self, pdf: bytes):
        self.pdf = pdf
        self.reader = PdfReader(BytesIO(pdf))
        self.pages = [self._read(i, page) for i, page in enumerate(self.reader.pages)]

    @staticmethod
    def _read(index, page) -> Page:
        height = float(page.mediabox.height)
        found = Page(index + 1)

        def visit(text, cm, tm, font, size):
            if not text.strip() or MARKER.match(text):
                return
            matrix = _multiply(tm, cm)
            scale = (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
            found.runs.append(Run(text, height - matrix[5], size * scale))

        page.extract_text(visitor_text=visit)
        return found

    def body_text(self) -> str:
        """The text of every page without running heads and footers, in reading order."""
        return " ".join(page.text() for page in self.pages)

    def outline(self) -> list[tuple[int, str, int]]:
        """Bookmarks as (level, title, page number)."""
        found = []

        def walk(items, level):
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    page = self.reader.get_destination_page_number(item) + 1
                    found.append((level, item.title, page))

        walk(self.reader.outline, 1)
        return found

    def page_of_bookmark(self, title: str) -> int:
        return next(page for _, label, page in self.outline() if label == title)

    def contents(self) -> dict[str, int]:
        """The contents pages as printed: entry label -> page number."""
        start = self.page_of_bookmark("Contents")
        entries = {}
        for page in self.pages[start - 1 :]:
            text = page.text()
            if page.number > start and "Contents" not in page.text("head"):
                break
            for label, number in re.findall(r"([A-Z][^.]*?)\s*(?:\.\s*)+\s*(\d+)", text):
                entries[fold(label).removeprefix("Contents ")] = int(number)
        return entries
