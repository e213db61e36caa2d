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
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
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

from kernel.errors import DomainError

FORMAT = "trainingsite-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_NAMES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
CHUNK = 1024 * 1024
SQLITE_TIMEOUT = 20  # seconds, as the site's own connections wait for a lock


class BackupError(DomainError):
    """A backup or restore refused or failed; `code` says why, the message says it to a person."""


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
    dump_name = _dump_name(vendor)
    destination = Path(destination).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if destination.exists():
        raise BackupError("destination_exists", f"{destination} already exists.")
    if destination.is_relative_to(media_root):
        raise BackupError(
            "destination_in_media", f"{destination} is inside MEDIA_ROOT ({media_root})."
        )
    if vendor == "sqlite":
        _sqlite_file(connection)  # refuse an in-memory database before writing anything
    destination.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as staging:
        dump = Path(staging) / dump_name
        if vendor == "sqlite":
            tables, migrations = _dump_sqlite(_sqlite_file(connection), dump)
        else:
            tables, migrations = _dump_postgresql(connection.settings_dict, dump)

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


def _dump_sqlite(database_file: Path, target: Path) -> tuple[dict[str, int], dict]:
    """Copy the live database with SQLite's online backup API, never the file itself.

    The copy is taken inside one read transaction, so it is consistent, and it includes what
    is still in the WAL. It is switched out of WAL mode so the archived file stands alone.
    """
    if not database_file.is_file():
        raise BackupError("database_missing", f"The database file {database_file} is missing.")
    with (
        closing(sqlite3.connect(database_file, timeout=SQLITE_TIMEOUT)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        return _inspect(copy.cursor(), _sqlite_tables(copy), _quote)


def _dump_postgresql(settings_dict: dict, target: Path) -> tuple[dict[str, int], dict]:
    """Run pg_dump on a snapshot exported by a transaction that also counts the rows.

    Counting in the same snapshot makes the manifest's counts exactly those of the dump, even
    while the site keeps writing.
    """
    pg_dump = _pg_tool("pg_dump")
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables, migrations = _inspect(
                cursor, wrapper.introspection.table_names(cursor), wrapper.ops.quote_name
            )
            _run_pg(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                settings_dict,
            )
            cursor.execute("COMMIT")
    finally:
        wrapper.close()
    return tables, migrations


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
    _dump_name(vendor)
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
            _sqlite_file(connection)  # refuses an in-memory database
            _check_sqlite_dump(dump)
        else:
            _run_pg([_pg_tool("pg_restore"), "--list", str(dump)], {})
        if confirm is not None and not confirm(manifest):
            raise BackupError("cancelled", "Restore cancelled: nothing was changed.")

        connections.close_all()
        if vendor == "sqlite":
            _restore_sqlite(dump, _sqlite_file(connection))
        else:
            _restore_postgresql(dump, connection.settings_dict)
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
        with closing(sqlite3.connect(_sqlite_file(connection), timeout=SQLITE_TIMEOUT)) as db:
            return _inspect(db.cursor(), _sqlite_tables(db), _quote)[0]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _inspect(cursor, tables, connection.ops.quote_name)[0]


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


def _check_sqlite_dump(dump: Path) -> None:
    try:
        with closing(sqlite3.connect(dump)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise BackupError("bad_database", f"The archived database is damaged: {result}")


def _restore_sqlite(dump: Path, database_file: Path) -> None:
    """Copy the archived database into the live file with the online backup API.

    The copy is one write transaction on the live database: other processes see the old data
    or the new, never a mix, and the live file keeps its WAL mode.
    """
    database_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(dump)) as source,
            closing(sqlite3.connect(database_file, timeout=SQLITE_TIMEOUT)) as live,
        ):
            source.backup(live)
    except sqlite3.Error as error:
        raise BackupError("restore_failed", f"Could not write {database_file}: {error}") from None


def _restore_postgresql(dump: Path, settings_dict: dict) -> None:
    """pg_restore in one transaction: on any error the database is left as it was."""
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        f"--dbname={settings_dict['NAME']}",
        str(dump),
    ]
    _run_pg(command, settings_dict)


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


def _dump_name(vendor: str) -> str:
    if vendor not in DUMP_NAMES:
        raise BackupError(
            "unsupported_engine", f"Backups work on SQLite and PostgreSQL, not on {vendor}."
        )
    return DUMP_NAMES[vendor]


def _sqlite_file(connection) -> Path:
    if connection.is_in_memory_db():
        raise BackupError("memory_database", "The database is in memory: there is no file.")
    return Path(connection.settings_dict["NAME"])


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(name for (name,) in rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _inspect(cursor, tables: Iterable[str], quote: Callable[[str], str]) -> tuple[dict, dict]:
    """Rows per table, and per app the number of migrations applied and the latest one."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted table name
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, dict] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            entry = migrations.setdefault(app, {"applied": 0, "latest": name})
            entry["applied"] += 1
            entry["latest"] = name
    return counts, migrations


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program: from PG_BIN (setting or environment), else from PATH."""
    directory = getattr(settings, "PG_BIN", None) or os.environ.get("PG_BIN")
    if directory:
        path = Path(directory) / name
        if os.access(path, os.X_OK):
            return str(path)
        raise BackupError("pg_tools_missing", f"PG_BIN is {directory}, which has no {name}.")
    found = shutil.which(name)
    if not found:
        raise BackupError(
            "pg_tools_missing",
            f"{name} is not on PATH; install the PostgreSQL client or set PG_BIN to its folder.",
        )
    return found


# Connection settings go to pg_dump and pg_restore through libpq's environment variables, so the
# password never shows on a command line.
PG_ENVIRONMENT = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
PG_OPTION_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def _run_pg(command: list[str], settings_dict: dict) -> None:
    env = dict(os.environ)
    for key, variable in PG_ENVIRONMENT.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in PG_OPTION_ENVIRONMENT.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[variable] = str(settings_dict["OPTIONS"][key])
    if settings_dict.get("NAME"):
        env["PGDATABASE"] = settings_dict["NAME"]
    result = subprocess.run(  # noqa: S603 - fixed program, no shell
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        program = Path(command[0]).name
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{program}_failed", f"{program} failed: {detail}")


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
