"""The A5 booklet editions: two A5 pages a side of A4 landscape, in saddle-stitch order."""

import io
from math import ceil

import pytest
from pypdf import PdfReader

from pdf.rendering import PRINT_BASE_URL, render_pdf
from printing.booklet import impose, saddle_stitch_order
from printing.documents import render_document
from tests.factories import make_programme, make_session

A4_LANDSCAPE = (842, 595)


def numbered_a5_pdf(pages: int) -> bytes:
    body = "".join(
        f'<p style="break-after: page; font-size: 40pt">Page {n}</p>' for n in range(1, pages + 1)
    )
    html = f"<html lang='en'><style>@page {{ size: A5 }}</style><body>{body}</body></html>"
    return render_pdf(html, base_url=PRINT_BASE_URL, title="Numbers", author="Test")


def halves(page) -> tuple[str, str]:
    """The text on the left and right half of one printed side."""
    middle = float(page.mediabox.width) / 2
    found = {"left": [], "right": []}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            found["left" if x < middle else "right"].append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found["left"]), " ".join(found["right"])


def test_saddle_stitch_order_pairs_the_outer_pages_first():
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    sides = saddle_stitch_order(12)
    assert len(sides) == 6
    assert sorted(n for side in sides for n in side) == list(range(1, 13))


def test_a_six_page_booklet_is_padded_to_eight_and_imposed_for_folding():
    booklet = PdfReader(io.BytesIO(impose(numbered_a5_pdf(6), title="Numbers")))
    assert len(booklet.pages) == 4  # two sheets, both sides
    for side in booklet.pages:
        assert (round(float(side.mediabox.width)), round(float(side.mediabox.height))) == (
            A4_LANDSCAPE
        )
    assert [halves(side) for side in booklet.pages] == [
        ("", "Page 1"),  # pages 7 and 8 are the blank padding
        ("Page 2", ""),
        ("Page 6", "Page 3"),
        ("Page 4", "Page 5"),
    ]
    assert booklet.metadata.title == "Numbers"


@pytest.mark.django_db
def test_the_workbook_booklet_is_the_a5_book_on_a4_sheets(settings):
    programme = make_programme([make_session(blocks=2)], days=1)
    booklet = PdfReader(io.BytesIO(render_document("workbook_booklet", programme)))
    sides = booklet.pages
    assert len(sides) % 2 == 0
    assert all(
        (round(float(s.mediabox.width)), round(float(s.mediabox.height))) == A4_LANDSCAPE
        for s in sides
    )
    left, right = halves(sides[0])
    assert "Peer Support Workbook" in right  # the cover, on the right of the first side
    pages = len(sides) * 2
    assert pages == ceil(pages / 4) * 4
    assert booklet.metadata.title == f"Peer Support Workbook (A5 booklet): {programme.title}"
