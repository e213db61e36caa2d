"""A throwaway copy of the site, for the browser tests and `make bench`: a free port, an empty
database of its own and a wait for the server to answer. Never used by the site itself."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def throwaway_database_url(tmp_dir: Path, suffix: str) -> str:
    """A new, empty database: NAME_<suffix> on the PostgreSQL server of $DATABASE_URL (dropped
    first if it is there), else a SQLite file in ``tmp_dir``."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg
        from psycopg import sql

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/')}_{suffix}"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return urlunsplit(parts._replace(path="/" + name))
    return f"sqlite:///{tmp_dir / f'{suffix}.sqlite3'}"


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float) -> str | None:
    """Wait for GET /healthz to answer 200. None when it did; else what went wrong."""
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"the server exited with code {process.returncode}"
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return None
                last_error = f"status {response.status}"
        except (urllib.error.URLError, OSError) as error:
            last_error = str(error)
        time.sleep(0.25)
    return last_error
