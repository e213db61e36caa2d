"""Back up the database and the media files to one archive, and restore from it.

An archive is a .tar.gz holding:

- ``db.sqlite3`` (SQLite, made with the online backup API: a consistent copy while the site
  keeps running, WAL included) or ``db.dump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media/``: every file under MEDIA_ROOT;
- ``manifest.json``, written last: what the archive holds, with sizes and sha256 checksums,
  the row count of every table and the migrations applied.

A restore reads and checks the whole archive into a temporary directory before it touches
anything, then replaces the database and MEDIA_ROOT's content, and compares the row counts.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .databases import (
    DUMP_NAMES,
    SQLITE_TIMEOUT,
    BackupError,
    check_sqlite_dump,
    dump_file_name,
    dump_postgresql,
    dump_sqlite,
    inspect_database,
    pg_tool,
    quote_sqlite,
    restore_postgresql,
    restore_sqlite,
    run_pg,
    sqlite_file,
    sqlite_tables,
)

FORMAT = "trainingsite-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupReport:
    path: Path
    vendor: str
    tables: int
    rows: int
    files: int
    media_bytes: int
    size: int
    seconds: float
    skipped: list[str] = field(default_factory=list)  # media entries that are not plain files


@dataclass(frozen=True)
class RestoreReport:
    archive: Path
    vendor: str
    created_at: str
    tables: int
    rows: int
    files: int
    media_bytes: int
    seconds: float
    # table: (rows in the manifest, rows now), None where the table is missing on one side
    mismatches: dict[str, tuple[int | None, int | None]]
    unapplied_migrations: int  # migrations of this code that the restored database lacks


# --- Backup -----------------------------------------------------------------------------------


def make_backup(destination: Path) -> BackupReport:
    """Write an archive of the database and MEDIA_ROOT to `destination` (a .tar.gz).

    The site may keep running: either dump reads one consistent snapshot of the database.
    The archive is written to a temporary file in the same folder and renamed at the end, so
    `destination` is either the whole archive or absent.
    """
    started = time.monotonic()
    connection = connections[DEFAULT_DB_ALIAS]
    vendor = connection.vendor
    dump_name = dump_file_name(vendor)
    destination = Path(destination).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if destination.exists():
        raise BackupError("destination_exists", f"{destination} already exists.")
    if destination.is_relative_to(media_root):
        raise BackupError(
            "destination_in_media", f"{destination} is inside MEDIA_ROOT ({media_root})."
        )
    if vendor == "sqlite":
        sqlite_file(connection)  # refuse an in-memory database before writing anything
    destination.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as staging:
        dump = Path(staging) / dump_name
        if vendor == "sqlite":
            tables, migrations = dump_sqlite(sqlite_file(connection), dump)
        else:
            tables, migrations = dump_postgresql(connection.settings_dict, dump)

        # mkstemp makes the file readable by its owner only, as an archive of password hashes
        # should be.
        handle, partial_name = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
        )
        partial = Path(partial_name)
        try:
            with os.fdopen(handle, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                    size, digest = _add_file(tar, dump, dump_name)
                    media, skipped = _add_media(tar, media_root)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": timezone.now().isoformat(),
                        "django_version": django.get_version(),
                        "vendor": vendor,
                        "database": {"file": dump_name, "size": size, "sha256": digest},
                        "migrations": migrations,
                        "tables": tables,
                        "media": media,
                    }
                    _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _fsync_directory(destination.parent)
    return BackupReport(
        path=destination,
        vendor=vendor,
        tables=len(tables),
        rows=sum(tables.values()),
        files=len(media),
        media_bytes=sum(item["size"] for item in media),
        size=destination.stat().st_size,
        seconds=time.monotonic() - started,
        skipped=skipped,
    )


def _add_media(tar: tarfile.TarFile, media_root: Path) -> tuple[list[dict], list[str]]:
    """Add every regular file under MEDIA_ROOT; report links and special files, skipped."""
    media: list[dict] = []
    skipped: list[str] = []
    if not media_root.is_dir():
        return media, skipped
    for directory, dirnames, filenames in os.walk(media_root):  # links are not followed
        dirnames.sort()
        linked_folders = [name for name in dirnames if Path(directory, name).is_symlink()]
        for name in sorted(filenames) + linked_folders:
            path = Path(directory, name)
            relative = path.relative_to(media_root).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(relative)
                continue
            size, digest = _add_file(tar, path, f"{MEDIA}/{relative}")
            media.append({"path": relative, "size": size, "sha256": digest})
    return media, skipped


def _add_file(tar: tarfile.TarFile, source: Path, name: str) -> tuple[int, str]:
    """Add a file under `name`, hashing exactly the bytes that go into the archive."""
    with source.open("rb") as handle:
        info = tar.gettarinfo(arcname=name, fileobj=handle)
        _plain(info)
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return info.size, reader.hash.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    _plain(info)
    tar.addfile(info, io.BytesIO(data))


def _plain(info: tarfile.TarInfo) -> None:
    """No owner or permission of this machine goes into the archive."""
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""


# --- Restore ----------------------------------------------------------------------------------


def restore_backup(
    archive: Path, confirm: Callable[[dict[str, Any]], bool] | None = None
) -> RestoreReport:
    """Replace the database and MEDIA_ROOT's content with those of `archive`.

    The whole archive is checked first (member names, manifest, sizes and checksums, the
    database engine, the dump itself) in a temporary directory next to MEDIA_ROOT; `confirm`,
    if given, is then called with the manifest and may still say no. Nothing is changed until
    then.
    """
    started = time.monotonic()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError("missing", f"No such file: {archive}")
    connection = connections[DEFAULT_DB_ALIAS]
    vendor = connection.vendor
    dump_file_name(vendor)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as tmp:
        staging = Path(tmp)
        manifest = _unpack(archive, staging)
        if manifest["vendor"] != vendor:
            raise BackupError(
                "engine_mismatch",
                f"{archive} holds a {manifest['vendor']} database; this site uses {vendor}.",
            )
        dump = staging / manifest["database"]["file"]
        if vendor == "sqlite":
            sqlite_file(connection)  # refuses an in-memory database
            check_sqlite_dump(dump)
        else:
            run_pg([pg_tool("pg_restore"), "--list", str(dump)], {})
        if confirm is not None and not confirm(manifest):
            raise BackupError("cancelled", "Restore cancelled: nothing was changed.")

        connections.close_all()
        if vendor == "sqlite":
            restore_sqlite(dump, sqlite_file(connection))
        else:
            restore_postgresql(dump, connection.settings_dict)
        _replace_content(staging / MEDIA, media_root, staging / "replaced-media")

    # Cached values describe the data that was just replaced.
    ContentType.objects.clear_cache()
    cache.clear()
    now = _live_row_counts()
    expected: dict[str, int] = manifest["tables"]
    mismatches = {
        table: (expected.get(table), now.get(table))
        for table in sorted(expected.keys() | now.keys())
        if expected.get(table) != now.get(table)
    }
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreReport(
        archive=archive,
        vendor=vendor,
        created_at=manifest["created_at"],
        tables=len(expected),
        rows=sum(expected.values()),
        files=len(manifest["media"]),
        media_bytes=sum(item["size"] for item in manifest["media"]),
        seconds=time.monotonic() - started,
        mismatches=mismatches,
        unapplied_migrations=len(unapplied),
    )


def _live_row_counts() -> dict[str, int]:
    """The number of rows of every table of the configured database."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(sqlite_file(connection), timeout=SQLITE_TIMEOUT)) as db:
            return inspect_database(db.cursor(), sqlite_tables(db), quote_sqlite)[0]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return inspect_database(cursor, tables, connection.ops.quote_name)[0]


def _unpack(archive: Path, staging: Path) -> dict[str, Any]:
    """Extract the archive into `staging` and check it against its manifest; return that.

    Members are written one by one under names checked here (never with extractall), so no
    name can reach outside `staging`, and only regular files are accepted.
    """
    files: dict[str, tuple[int, str]] = {}
    strangers: list[str] = []  # safe names with no place in our archives, left unread
    manifest_data = None
    (staging / MEDIA).mkdir()
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = _checked_name(member)
                if name is None:
                    strangers.append(member.name)
                    continue
                if name in files or (name == MANIFEST and manifest_data is not None):
                    raise BackupError("unexpected_member", f"{name} is twice in the archive.")
                source = tar.extractfile(member)
                if source is None:  # never for a regular file
                    raise BackupError("unsafe_member", f"{name} has no content.")
                if name == MANIFEST:
                    manifest_data = source.read()
                    continue
                target = staging / name
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    out = target.open("xb")
                except (FileExistsError, NotADirectoryError):
                    raise BackupError(
                        "unexpected_member", f"{name} clashes with another member."
                    ) from None
                with out:
                    files[name] = _copy_hashing(source, out)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            "not_an_archive", f"{archive} is not a readable .tar.gz: {error}"
        ) from None
    if manifest_data is None:
        raise BackupError("not_an_archive", f"{archive} has no {MANIFEST}: not one of our backups.")
    manifest = _parse_manifest(manifest_data, archive)
    if strangers:
        raise BackupError(
            "unexpected_member",
            f"{archive} holds what no backup holds: {', '.join(strangers[:5])}.",
        )

    expected = {manifest["database"]["file"]: manifest["database"]}
    expected |= {f"{MEDIA}/{item['path']}": item for item in manifest["media"]}
    if missing := sorted(expected.keys() - files.keys()):
        raise BackupError("incomplete", f"{archive} lacks {', '.join(missing[:5])}.")
    if extra := sorted(files.keys() - expected.keys()):
        raise BackupError("unexpected_member", f"{archive} holds unlisted {', '.join(extra[:5])}.")
    for name, (size, digest) in sorted(files.items()):
        if (size, digest) != (expected[name]["size"], expected[name]["sha256"]):
            raise BackupError(
                "checksum_mismatch", f"{name} in {archive} does not match its checksum."
            )
    return manifest


def _checked_name(member: tarfile.TarInfo) -> str | None:
    """The member's name if it is one of ours; None if it is safe but unknown.

    Absolute names, `..` and anything but a regular file (links above all) are refused.
    """
    name = member.name
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(
            "unsafe_member", f"Refused: the archive member {name!r} leaves its folder."
        )
    if not member.isfile():
        raise BackupError(
            "unsafe_member", f"Refused: the archive member {name!r} is not a regular file."
        )
    ours = name == MANIFEST or name in DUMP_NAMES.values() or path.parts[0] == MEDIA
    if str(path) != name or not ours or path.parts == (MEDIA,):
        return None
    return name


def _parse_manifest(data: bytes, archive: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
        if manifest.get("format") != FORMAT:
            raise BackupError("not_an_archive", f"{archive} is not one of our backups.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                "unsupported_version",
                f"{archive} has format version {manifest.get('format_version')}; "
                f"this site reads version {FORMAT_VERSION}.",
            )
        database = manifest["database"]
        if database["file"] != DUMP_NAMES.get(manifest["vendor"]):
            raise ValueError("database file")
        checks = [
            isinstance(database["size"], int) and isinstance(database["sha256"], str),
            isinstance(manifest["created_at"], str),
            all(isinstance(k, str) and isinstance(v, int) for k, v in manifest["tables"].items()),
            all(
                isinstance(item["path"], str)
                and isinstance(item["size"], int)
                and isinstance(item["sha256"], str)
                for item in manifest["media"]
            ),
        ]
        if not all(checks):
            raise ValueError("types")
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(
            "bad_manifest", f"The manifest of {archive} is damaged ({error})."
        ) from None
    return manifest


def _replace_content(new: Path, target: Path, replaced: Path) -> None:
    """Move `target`'s entries out to `replaced` and `new`'s in.

    The folder itself stays, with its owner and permissions, so MEDIA_ROOT may be a mount point.
    """
    target.mkdir(parents=True, exist_ok=True)
    replaced.mkdir()
    for entry in list(target.iterdir()):
        shutil.move(entry, replaced / entry.name)
    for entry in list(new.iterdir()):
        shutil.move(entry, target / entry.name)


# --- Shared -----------------------------------------------------------------------------------


# Connection settings go to pg_dump and pg_restore through libpq's environment variables, so the
# password never shows on a command line.


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_hashing(source: IO[bytes], target: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


class _HashingReader:
    """A file-like reader that hashes what is read through it."""

    def __init__(self, source):
        self.source = source
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.hash.update(chunk)
        return chunk
