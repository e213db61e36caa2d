"""manage.py build_books: the printed documents into a folder, for scripted printing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from printing.models import Edition
from tests.factories import make_programme, make_session


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def build_books(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("build_books", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_the_command_writes_the_chosen_documents_and_reuses_them_next_time(db, tmp_path):
    sessions = [make_session(blocks=1), make_session(blocks=1)]
    programme = make_programme(sessions, days=1)
    out = tmp_path / "out"

    stdout, _ = build_books(
        "--programme", programme.slug, "--document", "workbook", "handout", "--out", str(out)
    )

    expected = {
        f"{programme.slug}-workbook.pdf",
        *(f"{programme.slug}-handout-{session.slug}.pdf" for session in sessions),
    }
    assert {path.name for path in out.iterdir()} == expected
    assert all(path.read_bytes().startswith(b"%PDF") for path in out.iterdir())
    assert f"Wrote 3 documents to {out}." in stdout
    editions = set(Edition.objects.filter(programme=programme).values_list("pk", "status"))
    assert {status for _, status in editions} == {"ready"}

    build_books("--programme", programme.slug, "--document", "workbook", "--out", str(out))
    assert set(Edition.objects.filter(programme=programme).values_list("pk", "status")) == editions


def test_the_command_shows_a_progress_bar_on_stderr(db, tmp_path):
    programme = make_programme([make_session(blocks=1)], days=1)
    _, stderr = build_books(
        "--programme", programme.slug, "--document", "handout", "--out", str(tmp_path)
    )
    assert "1/1" in stderr
    assert "100%" in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--programme", "no-such-programme"],
            "No published programme has the slug no-such-programme. Choose from: ",
        ),
        (["--document", "poster"], "Unknown document poster. Choose from: workbook"),
    ],
)
def test_the_command_fails_clearly_on_bad_input(db, tmp_path, args, message):
    with pytest.raises(CommandError) as error:
        build_books(*args, "--out", str(tmp_path / "out"))
    assert message in str(error.value)
    assert error.value.returncode == 1
    assert not Edition.objects.exists()


def test_the_command_refuses_a_file_as_its_folder(db, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        build_books("--document", "workbook", "--out", str(target))


def test_the_command_needs_a_folder(db):
    with pytest.raises(CommandError, match="--out"):
        build_books("--document", "workbook")


def test_an_edition_whose_file_went_missing_is_built_again_not_a_traceback(db, tmp_path):
    programme = make_programme([make_session(blocks=1)], days=1)
    out = tmp_path / "out"
    build_books("--programme", programme.slug, "--document", "workbook", "--out", str(out))
    first = Edition.objects.get(programme=programme)
    first.file.delete(save=False)
    (out / f"{programme.slug}-workbook.pdf").unlink()

    stdout, _ = build_books(
        "--programme", programme.slug, "--document", "workbook", "--out", str(out)
    )

    assert (out / f"{programme.slug}-workbook.pdf").read_bytes().startswith(b"%PDF")
    assert "edition 2" in stdout
    first.refresh_from_db()
    assert first.status == "failed"
    assert "file was missing" in first.error
