"""What a print room and a screen reader check in the built books: an outside PDF/UA-1
checker, typographic quotes, the drawings with their alternative text."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

pytestmark = pytest.mark.django_db  # so that the test database is set up: see conftest.py

PDFUA = Path(sys.executable).parent / "pdfua"
DOCUMENTS = ["workbook", "large_print_workbook", "trainer_book", "handout"]
STRAIGHT = ["'", '"', " - ", "--"]


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_pdfua_checker_finds_no_error_and_no_warning(books, kind, tmp_path):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(books[kind].pdf)
    result = subprocess.run(  # noqa: S603
        [str(PDFUA), "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(result.stdout)
    findings = [f"{f['rule_id']} {f['location']}: {f['message']}" for f in report["findings"]]
    assert (report["summary"]["errors"], report["summary"]["warnings"]) == (0, 0), findings


@pytest.mark.parametrize("kind", ["workbook", "large_print_workbook", "handout"])
def test_no_straight_quote_or_typewriter_dash_in_the_text(books, kind):
    text = books[kind].body_text()
    assert "’" in text and "“" in text
    found = {mark: text.count(mark) for mark in STRAIGHT if mark in text}
    assert found == {}


def figures(pdf: bytes) -> list[str]:
    """The alternative text of every figure in the PDF's structure tree."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            kids = [kids] if isinstance(kids, pikepdf.Dictionary) else kids
            stack += [k for k in kids or [] if isinstance(k, pikepdf.Dictionary)]
            if element.get("/S") == pikepdf.Name.Figure:
                found.append(str(element.get("/Alt", "")))
    return found


@pytest.mark.parametrize("kind", ["workbook", "handout"])
def test_the_stress_signs_activity_prints_the_outline_of_a_person(books, kind):
    assert any("outline of a person" in alt for alt in figures(books[kind].pdf))
    text = books[kind].body_text()
    assert "Spotting my stress signs" in text
