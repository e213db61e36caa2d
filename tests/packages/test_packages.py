"""Curriculum packages: export, the checks on a package file, what an import changes, and the
round trip into an empty install of its own."""

import json
import os
import subprocess
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, WorkflowState

from courses.models import ProgrammePage, SessionPage
from evaluation.models import Item, Questionnaire
from packages import archive
from packages.archive import Package, read_package, write_package
from packages.models import ImportedItem, PackageVersion
from packages.services import (
    CONFLICT,
    UNCHANGED,
    UPDATED,
    export_package,
    import_package,
    inspect_package,
)
from tests import throwaway
from tests.factories import sessions_of
from tests.packages.hostile import SLUG as HOSTILE_SLUG
from tests.packages.hostile import hostile_package
from tests.packages.snapshot import snapshot

PROJECT_DIR = Path(__file__).resolve().parents[2]
THREE_DAY = "three-day-programme"


def three_day_package(version: str = "1") -> Package:
    return export_package([ProgrammePage.objects.get(slug=THREE_DAY)], "National", version)


def publish_summary(slug: str, summary: str) -> None:
    session = SessionPage.objects.get(slug=slug).get_latest_revision_as_object()
    session.summary = summary
    session.save_revision().publish()


def database_state() -> dict:
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live")),
        "revisions": Revision.objects.count(),
        "workflows": WorkflowState.objects.count(),
        "records": list(ImportedItem.objects.values_list("key", "package_fingerprint")),
        "versions": PackageVersion.objects.count(),
        "questionnaires": list(Item.objects.values_list("pk", "text")),
    }


# --- Export --------------------------------------------------------------------------------------


def test_a_package_holds_the_programme_and_its_sessions_in_the_readable_format(db):
    package = three_day_package()
    manifest = package.manifest()
    assert manifest["format_version"] == archive.FORMAT_VERSION
    assert manifest["name"] == "National" and manifest["version"] == "1"
    sessions = {path for path in package.files if path.startswith("sessions/")}
    programme = ProgrammePage.objects.get(slug=THREE_DAY)
    assert sessions == {f"sessions/{session.slug}.toml" for session in sessions_of(programme)}
    assert "sessions/hand-hygiene.toml" in sessions
    assert "chapters/workbook/glossary.toml" in package.files
    assert "questionnaires/rosenberg-self-esteem.toml" in package.files
    hygiene = package.sources["sessions/hand-hygiene.toml"]
    assert hygiene["title"] == "Hand Hygiene"
    assert isinstance(hygiene["body"][0]["text"], str), "plain paragraphs stay plain text"
    assert all(entry["sha256"] for entry in manifest["items"].values())


def test_no_personal_data_is_ever_in_a_package(db, users, home):
    from django.contrib.auth import get_user_model

    from cohorts.models import Cohort, Membership, Trainee
    from journals.models import JournalEntry

    programme = ProgrammePage.objects.get(slug=THREE_DAY)
    cohort = Cohort.objects.create(
        establishment=home,
        programme=programme,
        name="Secret cohort Zebedee",
        start_date="2027-01-04",
    )
    trainee = Trainee.objects.create(
        establishment=home, display_name="Trainee Quentin Private", prison_number="A1234BC"
    )
    Membership.objects.create(cohort=cohort, trainee=trainee)
    JournalEntry.objects.create(
        trainee=trainee, title="My private journal Xylophone", written_on="2027-01-05"
    )
    get_user_model().objects.create_user("ursula-secretive", email="ursula@example.org")
    data = write_package(three_day_package())
    text = b"".join(
        zipfile.ZipFile(BytesIO(data)).read(name)
        for name in zipfile.ZipFile(BytesIO(data)).namelist()
    )
    for secret in ["Zebedee", "Quentin", "A1234BC", "Xylophone", "HMP Home", "ursula"]:
        assert secret.encode() not in text, secret
    folders = {name.split("/")[0] for name in zipfile.ZipFile(BytesIO(data)).namelist()}
    assert folders <= {
        "manifest.json",
        "programmes.toml",
        "sessions",
        "chapters",
        "questionnaires",
        "images",
    }


def test_export_command_writes_a_file_that_reads_back(db, tmp_path):
    out = tmp_path / "national.zip"
    call_command(
        "export_curriculum",
        "--programme",
        THREE_DAY,
        "--out",
        str(out),
        "--package-version",
        "2027.1",
    )
    package = read_package(out.read_bytes())
    assert package.version == "2027.1"
    assert "programmes.toml" in package.files


def test_export_command_names_an_unknown_programme(db, tmp_path):
    with pytest.raises(CommandError, match="No published programme with the slug 'nope'"):
        call_command(
            "export_curriculum",
            "--programme",
            "nope",
            "--out",
            str(tmp_path / "x.zip"),
            "--package-version",
            "1",
        )


# --- Importing -----------------------------------------------------------------------------------


def test_a_second_import_of_the_same_package_changes_nothing(db):
    package = read_package(write_package(three_day_package()))
    import_package(package)
    before = database_state()
    plan = import_package(package)
    assert {change.status for change in plan.changes} == {UNCHANGED}
    assert database_state() == before


def test_an_update_reaches_review_and_a_local_edit_is_kept_and_shown(db):
    publish_summary("hand-hygiene", "National: wash for twenty seconds.")
    publish_summary("building-resilience", "National: resilience, rewritten.")
    package = read_package(write_package(three_day_package()))
    call_command("load_curriculum", "--update")  # this install, at the bundled version
    publish_summary("building-resilience", "Local: our own words.")
    hygiene = SessionPage.objects.get(slug="hand-hygiene")
    bundled_summary = hygiene.summary

    preview = inspect_package(package)
    status = {change.key: change for change in preview.changes}
    assert status["session:hand-hygiene"].status == UPDATED
    conflict = status["session:building-resilience"]
    assert conflict.status == CONFLICT
    assert '-summary = "Local: our own words."' in conflict.diff
    assert '+summary = "National: resilience, rewritten."' in conflict.diff
    assert status["session:working-with-loss"].status == UNCHANGED

    import_package(package)
    hygiene.refresh_from_db()
    assert hygiene.summary == bundled_summary, "the update waits for review"
    assert hygiene.get_latest_revision_as_object().summary == "National: wash for twenty seconds."
    assert hygiene.current_workflow_state.workflow.name == "Curriculum review"
    resilience = SessionPage.objects.get(slug="building-resilience")
    assert resilience.summary == "Local: our own words."
    assert resilience.get_latest_revision_as_object().summary == "Local: our own words."
    again = {change.key: change.status for change in inspect_package(package).changes}
    assert again["session:hand-hygiene"] == UNCHANGED
    assert again["session:building-resilience"] == CONFLICT


def test_an_administrator_may_publish_at_once(db, django_user_model):
    administrator = django_user_model.objects.create_superuser("administrator")
    publish_summary("hand-hygiene", "National: wash for twenty seconds.")
    package = read_package(write_package(three_day_package()))
    call_command("load_curriculum", "--update")
    import_package(package, user=administrator, publish=True)
    hygiene = SessionPage.objects.get(slug="hand-hygiene")
    assert hygiene.summary == "National: wash for twenty seconds."
    assert hygiene.current_workflow_state is None
    version = PackageVersion.objects.get(version="1")
    assert version.summary["updated"] == 1 and version.published


def test_dry_run_prints_the_preview_and_changes_nothing(db, tmp_path, capsys):
    publish_summary("building-resilience", "National: resilience, rewritten.")
    path = tmp_path / "p.zip"
    path.write_bytes(write_package(three_day_package()))
    call_command("load_curriculum", "--update")
    before = database_state()
    call_command("import_curriculum", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Updated: Session Building Resilience" in out
    assert "Would import: 0 new, 1 updated, 0 conflict" in out
    assert database_state() == before


def test_rich_text_is_reduced_to_what_the_editor_can_write(db):
    package = hostile_package()
    import_package(read_package(write_package(package)), publish=True)
    session = SessionPage.objects.get(slug="imported-hostile")
    stored = json.dumps(session.body.get_prep_value()) + session.safeguarding
    for danger in ["<script", "onerror", "javascript:", "<img", "<iframe"]:
        assert danger not in stored
    assert "Wash your hands" in stored and "<b>always</b>" in stored


def test_a_questionnaire_question_with_answers_is_never_dropped(db):
    questionnaire = Questionnaire.objects.get(slug="session-feedback")
    source = {
        "slug": "session-feedback",
        "title": questionnaire.title,
        "items": [{"text": "Only one question now"}],
    }
    package = Package(
        "Q", "1", "now", "test", {"questionnaires/session-feedback.toml": to_toml(source)}
    )
    from cohorts.models import Establishment
    from evaluation.models import Answer, Response

    response = Response.objects.create(
        questionnaire=questionnaire,
        establishment=Establishment.objects.create(name="HMP Q", code="q"),
        time_point="after_session",
        completed_on="2027-01-01",
    )
    last = questionnaire.items.order_by("sort_order").last()
    Answer.objects.create(response=response, item=last, choice=1)
    call_command("load_curriculum", "--update")
    before = database_state()
    with pytest.raises(CommandError):
        run_import(package)
    assert database_state() == before


def to_toml(source: dict) -> bytes:
    from packages.formats import to_toml

    return to_toml(source).encode()


# --- Hostile package files -----------------------------------------------------------------------


def zip_of(
    members: dict[str, bytes], manifest: dict | None = None, compression=zipfile.ZIP_DEFLATED
) -> bytes:
    files = dict(members)
    if manifest is None:
        manifest = Package("Bad", "1", "now", "test", files).manifest()
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as out:
        out.writestr("manifest.json", json.dumps(manifest))
        for name, data in files.items():
            out.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def small_package() -> dict[str, bytes]:
    return {
        path: data
        for path, data in three_day_package().files.items()
        if path.startswith("chapters/")
    }


def climbing_out():
    return zip_of({**small_package(), "../../etc/cron.d/evil.toml": b'key = "x"'})


def absolute_path():
    return zip_of({**small_package(), "/etc/evil.toml": b'key = "x"'})


def zip_bomb():
    return zip_of({**small_package(), "images/bomb.png": bytes(9 * 1024 * 1024)})


def wrong_checksum():
    members = small_package()
    manifest = Package("Bad", "1", "now", "test", members).manifest()
    members["chapters/workbook/glossary.toml"] += b"\n# changed on the way\n"
    return zip_of(members, manifest)


def svg_picture():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return zip_of({**small_package(), "images/logo.svg": svg})


def svg_named_png():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    return zip_of({**small_package(), "images/logo.png": svg})


def unknown_format_version():
    members = small_package()
    manifest = {**Package("Bad", "1", "now", "test", members).manifest(), "format_version": 2}
    return zip_of(members, manifest)


def file_too_large():
    return zip_of(
        {**small_package(), "images/huge.png": os.urandom(11 * 1024 * 1024)},
        compression=zipfile.ZIP_STORED,
    )


def locked_with_a_password():
    data = bytearray(zip_of(small_package()))
    for offset in range(len(data) - 4):
        if data[offset : offset + 4] in (b"PK\x03\x04", b"PK\x01\x02"):
            flags = offset + (6 if data[offset + 2] == 3 else 8)
            data[flags] |= 0x01  # the "encrypted" flag, on every header
    return bytes(data)


def not_a_zip():
    return b"%PDF-1.7 not a package"


def unlisted_file():
    members = small_package()
    manifest = Package("Bad", "1", "now", "test", members).manifest()
    return zip_of({**members, "sessions/extra.toml": b'slug = "x"'}, manifest)


def programme_script():
    return zip_of({**small_package(), "sessions/run.py": b"import os"})


def broken_toml():
    return zip_of({"sessions/broken.toml": b'slug = "unterminated'})


HOSTILE = [
    (climbing_out, "unsafe_path", "points outside the package's folder"),
    (absolute_path, "unsafe_path", "points outside the package's folder"),
    (zip_bomb, "zip_bomb", "refused as a zip bomb"),
    (wrong_checksum, "checksum_mismatch", "does not match its checksum"),
    (svg_picture, "svg_refused", "SVG pictures are refused"),
    (svg_named_png, "svg_refused", "SVG pictures are refused"),
    (
        unknown_format_version,
        "unknown_format_version",
        "format version 2; this site reads version 1",
    ),
    (file_too_large, "file_too_large", "the limit for one file is 10 MB"),
    (not_a_zip, "not_a_package", "not a curriculum package"),
    (locked_with_a_password, "damaged", "locked with a password"),
    (unlisted_file, "unlisted_file", "sessions/extra.toml is not in the manifest"),
    (programme_script, "file_type_refused", "holds only TOML sources"),
    (broken_toml, "bad_source", "sessions/broken.toml cannot be read"),
]


def run_import(package: Package | bytes, *args: str):
    data = package if isinstance(package, bytes) else write_package(package)
    with tempfile.NamedTemporaryFile(suffix=".zip") as file:
        file.write(data)
        file.flush()
        call_command("import_curriculum", file.name, "--publish", *args)


@pytest.mark.parametrize(("make", "code", "message"), HOSTILE, ids=[h[0].__name__ for h in HOSTILE])
def test_a_hostile_package_is_refused_with_its_message_and_changes_nothing(db, make, code, message):
    before = database_state()
    with pytest.raises(CommandError) as refused:
        run_import(make())
    assert f"Refused ({code})" in str(refused.value)
    assert message in str(refused.value)
    assert database_state() == before


@pytest.mark.parametrize(
    ("limit", "value", "code"),
    [("MAX_UNPACKED_BYTES", 1000, "unpacked_too_large"), ("MAX_ITEMS", 3, "too_many_items")],
)
def test_limits_on_unpacked_size_and_item_count(db, monkeypatch, limit, value, code):
    monkeypatch.setattr(archive, limit, value)
    with pytest.raises(archive.PackageError) as refused:
        read_package(zip_of(small_package()))
    assert refused.value.code == code


def test_a_programme_naming_a_session_nobody_has_is_refused(db):
    source = {
        "programme": [
            {
                "slug": "p",
                "title": "P",
                "format": "f",
                "purpose": "x",
                "day": [{"title": "Day", "slots": [{"session": "missing-one"}]}],
            }
        ]
    }
    before = database_state()
    with pytest.raises(
        CommandError, match="'missing-one' that is neither in the package nor on this site"
    ):
        run_import(Package("P", "1", "now", "test", {"programmes.toml": to_toml(source)}))
    assert database_state() == before


# --- Round trip into an empty install ------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [str(PROJECT_DIR / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_round_trip_into_an_empty_install_gives_the_same_sessions_pages_and_workbook(db, tmp_path):
    path = tmp_path / "three-day.zip"
    call_command(
        "export_curriculum", "--programme", THREE_DAY, "--out", str(path), "--package-version", "1"
    )
    here = snapshot(THREE_DAY)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainingsite.settings.test",
        "DATABASE_URL": throwaway.throwaway_database_url(tmp_path, "packages"),
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ALLOWED_HOSTS": "testserver",
    }
    manage(env, "migrate", "--noinput")
    items = len(read_package(path.read_bytes()).sources)  # one programme: one item a file
    preview = manage(env, "import_curriculum", str(path), "--dry-run")
    assert f"Would import: {items} new, 0 updated" in preview
    manage(env, "import_curriculum", str(path), "--publish")
    out = manage(
        env,
        "shell",
        "-c",
        f"from tests.packages.snapshot import print_snapshot; print_snapshot({THREE_DAY!r})",
    )
    there = json.loads(out.split("SNAPSHOT", 1)[1])
    assert there["order"] == here["order"]
    assert there["content"] == here["content"]
    assert there["pages"] == here["pages"]
    assert there["workbook"] == here["workbook"]


# --- Pictures and the blocks trainees' answers refer to -------------------------------------


def picture_bytes(colour: str = "red") -> bytes:
    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_picture_travels_with_its_session_and_arrives_once(db):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    Image = get_image_model()
    image = Image(title="Hands", file=ImageFile(BytesIO(picture_bytes()), name="hands.png"))
    image.save()
    session = SessionPage.objects.get(slug="hand-hygiene").get_latest_revision_as_object()
    block = {"image": image.pk, "alt_text": "Two hands under a tap", "caption": "Wash well"}
    session.body = [*session.body.get_prep_value(), {"type": "image", "value": block}]
    session.save_revision().publish()
    package = read_package(write_package(three_day_package()))
    pictures = [path for path in package.files if path.startswith("images/")]
    assert len(pictures) == 1 and package.files[pictures[0]] == picture_bytes()
    assert package.sources["sessions/hand-hygiene.toml"]["body"][-1]["image"] == pictures[0]

    call_command("load_curriculum", "--update")
    image.delete()
    import_package(package, publish=True)
    import_package(package, publish=True)
    arrived = SessionPage.objects.get(slug="hand-hygiene").body[-1]
    assert arrived.block_type == "image"
    assert arrived.value["alt_text"] == "Two hands under a tap"
    with arrived.value["image"].open_file() as file:
        assert file.read() == picture_bytes()
    assert Image.objects.count() == 1


def test_an_update_keeps_the_ids_of_the_blocks_it_replaces(db):
    session = SessionPage.objects.get(slug="hand-hygiene")
    ids_before = [block.id for block in session.body]
    publish_summary("hand-hygiene", "National: wash for twenty seconds.")
    package = read_package(write_package(three_day_package()))
    call_command("load_curriculum", "--update")
    import_package(package, publish=True)
    session = SessionPage.objects.get(slug="hand-hygiene")
    assert session.summary == "National: wash for twenty seconds."
    assert [block.id for block in session.body] == ids_before


def odd_session(**changes) -> Package:
    source = {**hostile_package().sources[f"sessions/{HOSTILE_SLUG}.toml"], **changes}
    return Package("Odd", "1", "now", "test", {f"sessions/{HOSTILE_SLUG}.toml": to_toml(source)})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration": "an hour"}, "value must be an integer"),
        ({"title": "x" * 300}, "at most 255 characters"),
        ({"module": "astrology"}, "is not a valid choice"),
        ({"body": "not a list"}, "imported-hostile.toml"),
        ({"learning_outcomes": 3}, "imported-hostile.toml"),
    ],
)
def test_a_session_that_breaks_the_rules_is_refused_and_changes_nothing(db, changes, message):
    before = database_state()
    with pytest.raises(CommandError, match=message):
        run_import(odd_session(**changes))
    assert database_state() == before


def test_a_manifest_with_overlong_text_is_refused(db):
    members = small_package()
    manifest = {**Package("Bad", "1", "now", "test", members).manifest(), "made_by": "x" * 500}
    with pytest.raises(archive.PackageError, match="made_by is over 200 characters"):
        read_package(zip_of(members, manifest))
