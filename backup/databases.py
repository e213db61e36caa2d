"""The database side of a backup: dumping and restoring SQLite (online backup API) and
PostgreSQL (``pg_dump``/``pg_restore``), and counting rows and migrations."""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from kernel.errors import DomainError

DUMP_NAMES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
SQLITE_TIMEOUT = 20  # seconds, as the site's own connections wait for a lock


class BackupError(DomainError):
    """A backup or restore refused or failed; `code` says why, the message says it to a person."""


def dump_sqlite(database_file: Path, target: Path) -> tuple[dict[str, int], dict]:
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
        return inspect_database(copy.cursor(), sqlite_tables(copy), quote_sqlite)


def dump_postgresql(settings_dict: dict, target: Path) -> tuple[dict[str, int], dict]:
    """Run pg_dump on a snapshot exported by a transaction that also counts the rows.

    Counting in the same snapshot makes the manifest's counts exactly those of the dump, even
    while the site keeps writing.
    """
    pg_dump = pg_tool("pg_dump")
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables, migrations = inspect_database(
                cursor, wrapper.introspection.table_names(cursor), wrapper.ops.quote_name
            )
            run_pg(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                settings_dict,
            )
            cursor.execute("COMMIT")
    finally:
        wrapper.close()
    return tables, migrations


def check_sqlite_dump(dump: Path) -> None:
    try:
        with closing(sqlite3.connect(dump)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise BackupError("bad_database", f"The archived database is damaged: {result}")


def restore_sqlite(dump: Path, database_file: Path) -> None:
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


def restore_postgresql(dump: Path, settings_dict: dict) -> None:
    """pg_restore in one transaction: on any error the database is left as it was."""
    command = [
        pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        f"--dbname={settings_dict['NAME']}",
        str(dump),
    ]
    run_pg(command, settings_dict)


def dump_file_name(vendor: str) -> str:
    if vendor not in DUMP_NAMES:
        raise BackupError(
            "unsupported_engine", f"Backups work on SQLite and PostgreSQL, not on {vendor}."
        )
    return DUMP_NAMES[vendor]


def sqlite_file(connection) -> Path:
    if connection.is_in_memory_db():
        raise BackupError("memory_database", "The database is in memory: there is no file.")
    return Path(connection.settings_dict["NAME"])


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(name for (name,) in rows)


def quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def inspect_database(
    cursor, tables: Iterable[str], quote: Callable[[str], str]
) -> tuple[dict, dict]:
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


def pg_tool(name: str) -> str:
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


def run_pg(command: list[str], settings_dict: dict) -> None:
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
