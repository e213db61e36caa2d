"""How fast the production server serves the main pages to a logged-in trainer.

Measures, for a session reading page, its slide deck and the three-day programme page, with
/healthz (a tiny Django view doing SELECT 1) as the baseline:

* under load: 20 concurrent clients, each with its own HTTP session sharing the trainer's login
  cookie, request the page for a fixed time (after a short warm-up) from gunicorn running the
  production settings with 4 workers on 127.0.0.1. Printed: requests, errors (anything but a
  200), throughput, median and 95th percentile latency. Any error makes the run exit non-zero.
* in-process: the number of SQL queries of one request (the second one, with warm caches),
  counted with Django's test Client and CaptureQueriesContext on the same database.

The database is the benchmark's own, filled with the demo data: a SQLite file in a temporary
directory, or, when DATABASE_URL is postgres://.../NAME, the database NAME_bench on that
server (dropped and created again on every run, and left there afterwards for inspection).
var/db.sqlite3 is never touched.

    .venv/bin/python -m benchmarks.pages      # or: make bench
    BENCH_SECONDS=5 .venv/bin/python -m benchmarks.pages   # shorter run
"""

import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"
GUNICORN = PROJECT_DIR / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"  # the only host this benchmark ever talks to
DEMO_PASSWORD = "bench-demo-password"  # noqa: S105
USERNAME = "trainer"

PAGES = [  # (label, path)
    ("baseline /healthz", "/healthz"),
    ("session reading page", "/curriculum/communication-in-care/"),
    ("session slides", "/curriculum/communication-in-care/slides/"),
    ("programme page", "/curriculum/three-day-programme/"),
]
CLIENTS = 20
WORKERS = 4
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS", "15"))
WARMUP_SECONDS = 2.0
MAX_REQUESTS_PER_CLIENT = 20_000  # a hard bound besides the time limit
REQUEST_TIMEOUT = 30
STARTUP_TIMEOUT = 60


# --- The database -----------------------------------------------------------------------------


def bench_database_url(tmp_dir: Path) -> str:
    """A new, empty database: NAME_bench on the PostgreSQL server, else a temporary SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg
        from psycopg import sql

        parts = urlsplit(url)
        name = parts.path.lstrip("/") + "_bench"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return urlunsplit(parts._replace(path="/" + name))
    return f"sqlite:///{tmp_dir / 'bench.sqlite3'}"


def base_env(tmp_dir: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "VAR_DIR": str(tmp_dir / "var"),
        "MEDIA_ROOT": str(tmp_dir / "media"),
    }


def prepare_database(env: dict) -> None:
    """Migrate and load the demo data (curriculum and one account per role)."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "trainingsite.settings.dev", "DEBUG": "false"}
    for command in (["migrate", "--noinput"], ["load_demo"]):
        result = subprocess.run(  # noqa: S603
            [str(PYTHON), "manage.py", *command],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")


# --- The server -------------------------------------------------------------------------------


def check_static_manifest() -> None:
    """The production settings' static storage needs the manifest of a production collectstatic."""
    manifest = PROJECT_DIR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        sys.exit(
            f"{manifest} is missing, so every page would fail under the production settings "
            "(Missing staticfiles manifest entry). Make it with:\n  "
            "DJANGO_SETTINGS_MODULE=trainingsite.settings.production SECRET_KEY=unused "
            ".venv/bin/python manage.py collectstatic --noinput"
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def production_server(env: dict, log_path: Path):
    """gunicorn with the production settings; yields its base URL and stops it on the way out."""
    port = free_port()
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "trainingsite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "off",
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
    }
    command = [str(GUNICORN), "trainingsite.wsgi", f"--bind={HOST}:{port}", f"--workers={WORKERS}"]
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://{HOST}:{port}"
            wait_until_healthy(url, process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    sys.exit(f"gunicorn did not answer /healthz with 200. Its log:\n{log_path.read_text()}")


# --- Load -------------------------------------------------------------------------------------


def log_in(url: str) -> requests.cookies.RequestsCookieJar:
    """Log in as the trainer through the login form; return the cookies (session and CSRF)."""
    session = requests.Session()
    form = session.get(url + "/accounts/login/", timeout=REQUEST_TIMEOUT)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status_code != 200 or not match:
        sys.exit(f"GET /accounts/login/ answered {form.status_code} without a CSRF token.")
    response = session.post(
        url + "/accounts/login/",
        data={"csrfmiddlewaretoken": match[1], "username": USERNAME, "password": DEMO_PASSWORD},
        headers={"Referer": url + "/accounts/login/"},
        timeout=REQUEST_TIMEOUT,
    )
    if response.status_code != 200 or "sessionid" not in session.cookies:
        sys.exit(f"Could not log in as {USERNAME} (status {response.status_code}).")
    return session.cookies


def client_loop(url: str, cookies, deadline: float, latencies: list, errors: list) -> None:
    """One client: request url until the deadline (or the request bound), recording each one."""
    with requests.Session() as session:
        session.cookies.update(cookies)
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= deadline:
                return
            start = time.perf_counter()
            try:
                response = session.get(url, timeout=REQUEST_TIMEOUT, allow_redirects=False)
                status = response.status_code
            except requests.RequestException as error:
                status = type(error).__name__
            latencies.append(time.perf_counter() - start)
            if status != 200:
                errors.append(status)


def load(url: str, cookies, seconds: float) -> dict:
    """CLIENTS threads request url for the given time; return the figures."""
    latencies, errors = [], []
    start = time.perf_counter()
    args = (url, cookies, start + seconds, latencies, errors)
    threads = [threading.Thread(target=client_loop, args=args) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted({str(e) for e in errors}),
        "throughput": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": statistics.quantiles(latencies, n=20)[-1] * 1000,
    }


def measure_pages(url: str, cookies) -> list[tuple[str, dict]]:
    results = []
    for label, path in PAGES:
        load(url + path, cookies, WARMUP_SECONDS)
        results.append((label, load(url + path, cookies, SECONDS_PER_PAGE)))
    return results


# --- Queries ----------------------------------------------------------------------------------


def count_queries(database_url: str) -> list[tuple[str, int, int]]:
    """(label, status, number of SQL queries) of the second request of each page, in-process."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "trainingsite.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # lets the test Client's host, "testserver", in
    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    counts = []
    for label, path in PAGES:
        client.get(path)  # warms the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts.append((label, response.status_code, len(queries.captured_queries)))
    connection.close()
    return counts


# --- Report -----------------------------------------------------------------------------------


def print_load_table(results: list[tuple[str, dict]]) -> None:
    header = (
        f"{'page':<22} {'requests':>9} {'errors':>7} {'req/s':>8} {'median ms':>10} {'p95 ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, r in results:
        print(
            f"{label:<22} {r['requests']:>9} {r['errors']:>7} {r['throughput']:>8.1f} "
            f"{r['median_ms']:>10.1f} {r['p95_ms']:>8.1f}"
        )
        if r["errors"]:
            print(f"{'':<22} errors: {', '.join(r['error_kinds'])}")


def print_query_table(counts: list[tuple[str, int, int]]) -> None:
    header = f"{'page':<22} {'status':>6} {'SQL queries':>12}"
    print(header)
    print("-" * len(header))
    for label, status, number in counts:
        print(f"{label:<22} {status:>6} {number:>12}")


def main() -> int:
    check_static_manifest()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp_dir = Path(tmp)
        database_url = bench_database_url(tmp_dir)
        engine = urlsplit(database_url).scheme
        print(f"Preparing the {engine} benchmark database (migrate, load_demo)...", flush=True)
        env = base_env(tmp_dir, database_url)
        prepare_database(env)
        with production_server(env, tmp_dir / "gunicorn.log") as url:
            cookies = log_in(url)
            print(
                f"Loading {url} with {CLIENTS} clients, {WARMUP_SECONDS:g} s warm-up + "
                f"{SECONDS_PER_PAGE:g} s per page (gunicorn, {WORKERS} workers, {engine}, "
                f"{os.cpu_count()} CPUs shared with the clients, load average "
                f"{os.getloadavg()[0]:.1f} before the run)...",
                flush=True,
            )
            results = measure_pages(url, cookies)
        counts = count_queries(database_url)

    print()
    print_load_table(results)
    print()
    print("SQL queries of one request (the second, warm caches; in-process, test Client):")
    print_query_table(counts)
    failed = any(r["errors"] for _, r in results) or any(s != 200 for _, s, _ in counts)
    if failed:
        print("\nFAILED: some requests did not answer 200.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
