"""A5 booklets for office printers: a book laid out on A5 pages, imposed two-up on A4 in
saddle-stitch order. Printed on both sides (flip on the short edge), the stack of sheets is
folded once and stapled in the middle, and the pages read in order.

``impose`` pads the book with blank pages to a multiple of four; sheet ``s`` (from 0) of a
book of ``n`` pages carries pages ``n - 2s`` and ``2s + 1`` on its front, left to right, and
``2s + 2`` and ``n - 2s - 1`` on its back.
"""

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject

A4_LANDSCAPE = (841.89, 595.28)  # points


def saddle_stitch_order(pages: int) -> list[tuple[int, int]]:
    """The (left, right) page numbers, 1-based, of each printed side in order; ``pages`` is a
    multiple of four."""
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))
    return sides


def impose(pdf: bytes, *, title: str = "", author: str = "", subject: str = "") -> bytes:
    """Two A5 pages of ``pdf`` on each side of an A4 landscape sheet, in saddle-stitch order."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    page_width = float(pages[0].mediabox.width)
    page_height = float(pages[0].mediabox.height)
    while len(pages) % 4:
        pages.append(PageObject.create_blank_page(width=page_width, height=page_height))
    sheet_width, sheet_height = A4_LANDSCAPE
    scale = min(sheet_width / 2 / page_width, sheet_height / page_height)
    gutter = (sheet_width / 2 - page_width * scale) / 2
    top = (sheet_height - page_height * scale) / 2
    writer = PdfWriter()
    for left, right in saddle_stitch_order(len(pages)):
        side = writer.add_blank_page(width=sheet_width, height=sheet_height)
        for slot, number in enumerate((left, right)):
            x = slot * sheet_width / 2 + gutter
            side.merge_transformed_page(
                pages[number - 1], Transformation().scale(scale).translate(x, top)
            )
        side.mediabox = RectangleObject((0, 0, sheet_width, sheet_height))
    writer.add_metadata(
        {"/Title": title, "/Author": author, "/Subject": subject, "/Producer": "pypdf"}
    )
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
