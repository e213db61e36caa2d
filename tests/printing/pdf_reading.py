"""Reading the built PDFs the way a person reads the printed page."""

import re
from dataclasses import dataclass, field
from io import BytesIO

from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import BlockBox

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


# What is kept together on a page: boxes (activities, case studies, key points...), reflection
# prompts and their steps, questions, spaces to write in, figures.
KEPT_TOGETHER = {"box", "reflect-step", "question", "write-in", "figure"}


@dataclass
class Split:
    """Something kept together that WeasyPrint laid out over more than one page."""

    classes: set[str]
    text: str
    pages: list[int]  # 1-based
    height: float  # points, all its pieces together
    page_height: float  # points of the page's content area

    @property
    def taller_than_a_page(self) -> bool:
        return self.height > self.page_height

    def __str__(self) -> str:
        return (
            f"pages {self.pages}: {' '.join(sorted(self.classes))} “{self.text}” "
            f"({self.height / MM:.0f} mm, the page holds {self.page_height / MM:.0f} mm)"
        )


class Layout:
    """Given to ``render_pdf(inspect=...)``: reads, from WeasyPrint's laid-out pages, every
    box, prompt, question, space to write in and figure that spans more than one page."""

    def __init__(self):
        self.splits: list[Split] = []

    def __call__(self, document):
        pieces: dict[int, tuple] = {}
        page_height = max(page._page_box.height for page in document.pages)
        for number, page in enumerate(document.pages, 1):
            for box in page._page_box.descendants():
                element = getattr(box, "element", None)
                if element is None or not isinstance(box, BlockBox):
                    continue
                classes = set((element.get("class") or "").split())
                if not classes & KEPT_TOGETHER or box.element_tag != element.tag:
                    continue
                key = id(element)
                found = pieces.setdefault(key, (element, classes, {}))
                found[2].setdefault(number, 0)
                found[2][number] = max(found[2][number], box.border_height())
        for element, classes, heights in pieces.values():
            if len(heights) > 1:
                text = fold(" ".join(element.itertext()))
                self.splits.append(
                    Split(
                        classes,
                        text[:70],
                        sorted(heights),
                        sum(heights.values()),
                        page_height,
                    )
                )


class Book:
    """A built PDF: its pages' text runs (with position and size) and its outline, and, when
    the tests laid it out themselves, what split over pages (``Layout``)."""

    def __init__(self, pdf: bytes, splits: list[Split] | None = None):
        self.pdf = pdf
        self.splits = splits or []
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
