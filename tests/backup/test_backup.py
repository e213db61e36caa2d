"""manage.py backup and restore: real round trips on a real database, and refused archives."""

import hashlib
import io
import json
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backup.services import BackupError, make_backup, restore_backup
from courses.models import SessionPage

DUMP_NAME = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}


@pytest.fixture(scope="module")
def session_database(django_db_setup, django_db_blocker):
    """The session's test database, which this module's tests leave alone: they work on copies.

    A backup needs a real database that other programs can read, written with committed
    transactions as the site writes it, so these tests are transactional; and a transactional
    test ends with a flush, which on the session's database would wipe the curriculum and users
    that the rest of the suite loads once and relies on. So each test works on a fresh copy
    (`database_copy`), the flush empties that copy, and Django's connection is pointed back at
    the session's database only here, once the module's last flush is done. (Database access
    is not simply unblocked: pytest-django creates the test database only for a run that has
    tests asking for one.)
    """
    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.ensure_connection()
        # On SQLite the test database is in memory: this connection keeps it alive while
        # Django's own points at a copy.
        keeper = sqlite3.connect(name, uri=True) if connection.vendor == "sqlite" else None
    yield name
    with django_db_blocker.unblock():
        connection.close()
        settings_dict["NAME"] = name
        if keeper is not None:
            connection.ensure_connection()  # back on the in-memory database
            keeper.close()
        else:
            postgres_admin(f'DROP DATABASE IF EXISTS "{name}_backup" WITH (FORCE)')


@pytest.fixture
def database_copy(session_database, transactional_db, tmp_path) -> str:
    """Point Django's default connection at a fresh copy of the session's test database.

    On SQLite the in-memory test database is copied into a file with the sqlite3 backup API
    (Django then opens it with the site's own options: WAL, immediate transactions); on
    PostgreSQL a database is created with the test database as its template.
    """
    if connection.vendor == "sqlite":
        copy_name = str(tmp_path / "db.sqlite3")
        with (
            closing(sqlite3.connect(session_database, uri=True)) as source,
            closing(sqlite3.connect(copy_name)) as copy,
        ):
            source.backup(copy)
    else:
        copy_name = f"{session_database}_backup"
        connection.close()  # a template database must have no other session
        postgres_admin(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')
        postgres_admin(f'CREATE DATABASE "{copy_name}" TEMPLATE "{session_database}"')
    connection.settings_dict["NAME"] = copy_name
    connection.close()  # the next query connects to the copy
    return copy_name


def postgres_admin(statement: str):
    import psycopg

    params = connection.settings_dict
    keywords = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    options = {keyword: params[key] for key, keyword in keywords.items() if params.get(key)}
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(statement)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def table_rows() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: what a round trip must give back."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def media_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def publish_summary(slug: str, summary: str):
    session = SessionPage.objects.get(slug=slug)
    session.summary = summary
    session.save_revision().publish()


def make_some_data(media_root: Path):
    publish_summary("hand-hygiene", "Edited before the backup.")
    get_user_model().objects.create_user("backed-up", password="backed-up-password")
    (media_root / "notes.txt").write_text("Room 4, bring the flip chart.\n")
    (media_root / "documents" / "2024").mkdir(parents=True)
    (media_root / "documents" / "2024" / "handout.pdf").write_bytes(bytes(range(256)) * 800)


def change_everything(media_root: Path):
    publish_summary("hand-hygiene", "Edited after the backup.")
    SessionPage.objects.exclude(slug="hand-hygiene").first().delete()
    User = get_user_model()
    User.objects.get(username="backed-up").delete()
    User.objects.create_user("made-after-the-backup")
    (media_root / "notes.txt").write_text("Changed.\n")
    (media_root / "documents" / "2024" / "handout.pdf").unlink()
    (media_root / "stray.txt").write_text("Made after the backup.\n")


def test_round_trip_gives_back_the_same_rows_and_files(database_copy, media_root, tmp_path):
    make_some_data(media_root)
    rows_before, files_before = table_rows(), media_files(media_root)

    backup = make_backup(tmp_path / "backups" / "site.tar.gz")

    assert backup.vendor == connection.vendor
    assert backup.tables == len(rows_before)
    assert backup.rows == sum(len(rows) for rows in rows_before.values())
    assert (backup.files, backup.media_bytes) == (2, sum(map(len, files_before.values())))
    assert sorted(path.name for path in (tmp_path / "backups").iterdir()) == ["site.tar.gz"]
    with tarfile.open(backup.path) as tar:
        assert sorted(tar.getnames()) == [
            DUMP_NAME[connection.vendor],
            "manifest.json",
            "media/documents/2024/handout.pdf",
            "media/notes.txt",
        ]
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["auth_user"] == len(rows_before["auth_user"])
    assert manifest["migrations"]["courses"]["applied"] >= 1
    assert manifest["media"][0] == {  # files of a folder before its subfolders
        "path": "notes.txt",
        "size": len(files_before["notes.txt"]),
        "sha256": hashlib.sha256(files_before["notes.txt"]).hexdigest(),
    }

    change_everything(media_root)
    assert table_rows() != rows_before
    assert media_files(media_root) != files_before

    restored = restore_backup(backup.path)

    assert restored.mismatches == {}
    assert restored.unapplied_migrations == 0
    assert (restored.tables, restored.rows, restored.files) == (
        backup.tables,
        backup.rows,
        backup.files,
    )
    assert table_rows() == rows_before
    assert media_files(media_root) == files_before
    assert SessionPage.objects.get(slug="hand-hygiene").summary == "Edited before the backup."
    assert get_user_model().objects.get(username="backed-up").check_password("backed-up-password")


def test_commands_back_up_and_restore(database_copy, media_root, tmp_path):
    make_some_data(media_root)
    rows_before, files_before = table_rows(), media_files(media_root)
    archive = tmp_path / "site.tar.gz"
    out = io.StringIO()
    call_command("backup", "--out", str(archive), stdout=out)
    assert f"{len(rows_before)} tables" in out.getvalue()
    assert "Media: 2 files" in out.getvalue()
    assert f"Backup written to {archive}" in out.getvalue()

    change_everything(media_root)
    changed_rows, changed_files = table_rows(), media_files(media_root)
    with pytest.raises(CommandError, match="--yes"):  # no terminal to ask on: nothing happens
        call_command("restore", str(archive))
    assert (table_rows(), media_files(media_root)) == (changed_rows, changed_files)

    shown = []
    with pytest.raises(BackupError, match="cancelled"):  # checked, shown, and declined
        restore_backup(archive, confirm=lambda manifest: shown.append(manifest) or False)
    assert shown[0]["media"][0]["path"] == "notes.txt"
    assert (table_rows(), media_files(media_root)) == (changed_rows, changed_files)

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "every table has the rows of the backup" in out.getvalue()
    assert table_rows() == rows_before
    assert media_files(media_root) == files_before

    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"), "--yes")


def test_tampered_archive_is_refused_and_changes_nothing(database_copy, media_root, tmp_path):
    make_some_data(media_root)
    backup = make_backup(tmp_path / "site.tar.gz")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(backup.path) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "media/notes.txt":
                data = data.replace(b"Room 4", b"Room 5")  # same size, other checksum
            target.addfile(member, io.BytesIO(data))
    change_everything(media_root)
    rows_before, files_before = table_rows(), media_files(media_root)

    with pytest.raises(BackupError) as refused:
        restore_backup(tampered)

    assert refused.value.code == "checksum_mismatch"
    assert "media/notes.txt" in refused.value.message
    assert table_rows() == rows_before
    assert media_files(media_root) == files_before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


# --- Archives refused before anything is read from or written to the database -----------------


def manifest_for(files: dict[str, bytes], vendor: str | None = None, **changes) -> bytes:
    vendor = vendor or connection.vendor
    dump = DUMP_NAME[vendor]

    def entry(data: bytes) -> dict:
        return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    manifest = {
        "format": "trainingsite-backup",
        "format_version": 1,
        "created_at": "2025-01-01T00:00:00+00:00",
        "vendor": vendor,
        "database": {"file": dump, **entry(files[dump])},
        "migrations": {},
        "tables": {},
        "media": [
            {"path": name.removeprefix("media/"), **entry(data)}
            for name, data in files.items()
            if name.startswith("media/")
        ],
    }
    return json.dumps(manifest | changes).encode()


def write_archive(path: Path, members: list[tuple[str, bytes | tarfile.TarInfo]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members:
            if isinstance(content, tarfile.TarInfo):
                tar.addfile(content)
                continue
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@pytest.mark.parametrize(
    "member",
    [
        ("../escaped.txt", b"out"),
        ("media/../../escaped.txt", b"out"),
        ("/escaped-by-a-backup-test.txt", b"out"),
        ("media/escaped.txt", link("media/escaped.txt", "../../escaped.txt")),
        ("media/passwd", link("media/passwd", "/etc/passwd")),
        ("media/hard", link("media/hard", "db.sqlite3", tarfile.LNKTYPE)),
    ],
    ids=["dot-dot", "dot-dot-inside", "absolute", "symlink", "absolute-symlink", "hard-link"],
)
def test_path_traversal_and_links_are_refused(media_root, tmp_path, member):
    """No database access here: pytest-django would fail the test if the restore tried any."""
    (media_root / "kept.txt").write_text("kept")
    dump = DUMP_NAME[connection.vendor]
    files = {dump: b"database", "media/a.txt": b"a"}
    archive = write_archive(
        tmp_path / "evil.tar.gz",
        [
            (dump, files[dump]),
            ("media/a.txt", b"a"),
            member,
            ("manifest.json", manifest_for(files)),
        ],
    )

    with pytest.raises(BackupError) as refused:
        restore_backup(archive)

    assert refused.value.code == "unsafe_member"
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/escaped-by-a-backup-test.txt").exists()
    assert media_files(media_root) == {"kept.txt": b"kept"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["evil.tar.gz", "media"]


def not_gzip(path: Path) -> Path:
    path.write_bytes(b"not gzip at all")
    return path


def without_manifest(path: Path) -> Path:
    return write_archive(path, [("notes.txt", b"hello")])


def foreign_manifest(path: Path) -> Path:
    return write_archive(path, [("manifest.json", b'{"format": "something-else"}')])


def damaged_manifest(path: Path) -> Path:
    return write_archive(path, [("manifest.json", b"{not json")])


def from_other_engine(path: Path) -> Path:
    vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    files = {DUMP_NAME[vendor]: b"db"}
    return write_archive(path, [*files.items(), ("manifest.json", manifest_for(files, vendor))])


def newer_format(path: Path) -> Path:
    files = {DUMP_NAME[connection.vendor]: b"db"}
    manifest = manifest_for(files, format_version=99)
    return write_archive(path, [*files.items(), ("manifest.json", manifest)])


def without_database(path: Path) -> Path:
    manifest = manifest_for({DUMP_NAME[connection.vendor]: b"db"})
    return write_archive(path, [("manifest.json", manifest)])


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda path: path, "missing"),
        (not_gzip, "not_an_archive"),
        (without_manifest, "not_an_archive"),
        (foreign_manifest, "not_an_archive"),
        (damaged_manifest, "bad_manifest"),
        (from_other_engine, "engine_mismatch"),
        (newer_format, "unsupported_version"),
        (without_database, "incomplete"),
    ],
)
def test_bad_archives_are_refused_with_a_code(database_copy, media_root, tmp_path, make, code):
    (media_root / "kept.txt").write_text("kept")
    rows_before = table_rows()
    archive = make(tmp_path / "archive.tar.gz")

    with pytest.raises(BackupError) as refused:
        restore_backup(archive)

    assert refused.value.code == code
    assert table_rows() == rows_before
    assert media_files(media_root) == {"kept.txt": b"kept"}


def test_backup_refuses_to_overwrite_or_to_write_into_media(media_root, tmp_path):
    existing = tmp_path / "old.tar.gz"
    existing.write_bytes(b"an older backup")
    with pytest.raises(BackupError) as refused:
        make_backup(existing)
    assert refused.value.code == "destination_exists"
    assert existing.read_bytes() == b"an older backup"

    with pytest.raises(BackupError) as refused:
        make_backup(media_root / "backup.tar.gz")
    assert refused.value.code == "destination_in_media"
    assert list(media_root.iterdir()) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")  # allowed: CI runs both
def test_an_in_memory_database_has_no_file_to_back_up(media_root, tmp_path, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", ":memory:")
    with pytest.raises(BackupError) as refused:
        make_backup(tmp_path / "site.tar.gz")
    assert refused.value.code == "memory_database"
    assert list(tmp_path.iterdir()) == [media_root]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")  # allowed: CI runs both
def test_missing_postgresql_tools_are_named(media_root, settings, tmp_path):
    settings.PG_BIN = str(tmp_path / "no-such-folder")
    with pytest.raises(BackupError) as refused:
        make_backup(tmp_path / "site.tar.gz")
    assert refused.value.code == "pg_tools_missing"
    assert "pg_dump" in refused.value.message
    assert sorted(path.name for path in tmp_path.iterdir()) == ["media"]
