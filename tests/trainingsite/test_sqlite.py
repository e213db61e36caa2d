"""The embedded SQLite database is set up for several workers on one laptop."""

import pytest
from django.db.utils import ConnectionHandler

from trainingsite.settings.base import database_settings


@pytest.mark.django_db  # runs with the database tests, before the browser tests
def test_sqlite_pragmas_are_in_force_on_a_live_connection(tmp_path, django_db_blocker):
    """On a real file, as `make run` uses (the test database itself lives in memory)."""
    handler = ConnectionHandler({"default": database_settings(f"sqlite:///{tmp_path}/db.sqlite3")})
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            busy_timeout = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
    finally:
        connection.close()
    assert journal_mode == "wal"
    assert busy_timeout == 20000
    assert synchronous == 1  # NORMAL
    assert connection.transaction_mode == "IMMEDIATE"
