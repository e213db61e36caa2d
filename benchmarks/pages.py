"""How fast the production server serves the main pages to a logged-in trainer.

Measures, for a session reading page, its slide deck and the three-day programme page, with
/healthz (a tiny Django view doing SELECT 1) as the baseline:

* under load: 20 concurrent clients, each with its own HTTP session sharing the trainer's login
  cookie, request the page for a fixed time (after a short warm-up) from gunicorn running the
  production settings with 4 workers on 127.0.0.1. Printed: requests, errors (anything but a
  200), throughput, median and 95th percentile latency. Any error makes the run exit non-zero.
* in-process: the number of SQL queries of one request (the second one, with warm caches),
  counted with Django's test Client and CaptureQueriesContext on the same database.

and for the printed books of the three-day programme (goals: workbook cold build under 20 s,
our overhead at most 10%, cached download under 100 ms):

* cold build: each book is built from nothing (no cached edition) in a process of its own,
  through the same service the background worker runs (``printing.builds.build_edition``,
  which also computes the fingerprint and stores the file). Printed: the build's own time, the
  whole process (Python and Django start-up included) and its peak memory (maximum resident
  set size, read with resource.getrusage(RUSAGE_CHILDREN) in a small process that runs only
  that build).
* overhead: the build's time against WeasyPrint alone laying out the very HTML the build
  made (saved to a file), in another fresh process with the same URL fetcher and PDF variant.
* cached download: 20 GETs, one after the other, of each book's current edition from the
  production server, signed in as the education department; the median.

The database is the benchmark's own, filled with the demo data: a SQLite file in a temporary
directory, or, when DATABASE_URL is postgres://.../NAME, the database NAME_bench on that
server (dropped and created again on every run, and left there afterwards for inspection).
var/db.sqlite3 is never touched.

    .venv/bin/python -m benchmarks.pages      # or: make bench
    BENCH_SECONDS=5 .venv/bin/python -m benchmarks.pages   # shorter run
"""

import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import requests

from tests import throwaway

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

BOOK_PROGRAMME = "three-day-programme"
BOOKS = [  # (kind, label)
    ("workbook", "Peer Support Workbook"),
    ("large_print_workbook", "Large-print workbook"),
    ("trainer_book", "Trainer Resource Book"),
]
BOOK_USERNAME = "education"
DOWNLOADS = 20
WORKBOOK_BUILD_GOAL_S = 20.0
OVERHEAD_GOAL = 0.10
DOWNLOAD_GOAL_MS = 100.0
BUILD_TIMEOUT = 600
BUILD_ROUNDS = int(os.environ.get("BENCH_BUILD_ROUNDS", "3"))
# Runs the command in its arguments and prints its time and peak memory. Being that command's
# only parent, its RUSAGE_CHILDREN maximum RSS is the command's own.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"returncode": result.returncode, "stdout": result.stdout,
    "stderr": result.stderr, "wall_s": time.perf_counter() - start,
    "max_rss_mb": usage.ru_maxrss / 1024}))
"""


# --- The database -----------------------------------------------------------------------------


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


@contextmanager
def production_server(env: dict, log_path: Path):
    """gunicorn with the production settings; yields its base URL and stops it on the way out."""
    port = throwaway.free_port(HOST)
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
    problem = throwaway.wait_until_healthy(url, process, STARTUP_TIMEOUT)
    if problem:
        log = log_path.read_text()
        sys.exit(f"gunicorn did not answer /healthz with 200 ({problem}). Its log:\n{log}")


# --- Load -------------------------------------------------------------------------------------


def log_in(url: str, username: str = USERNAME) -> requests.cookies.RequestsCookieJar:
    """Log in through the login form (as the trainer unless told); return the cookies."""
    session = requests.Session()
    form = session.get(url + "/accounts/login/", timeout=REQUEST_TIMEOUT)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status_code != 200 or not match:
        sys.exit(f"GET /accounts/login/ answered {form.status_code} without a CSRF token.")
    response = session.post(
        url + "/accounts/login/",
        data={"csrfmiddlewaretoken": match[1], "username": username, "password": DEMO_PASSWORD},
        headers={"Referer": url + "/accounts/login/"},
        timeout=REQUEST_TIMEOUT,
    )
    if response.status_code != 200 or "sessionid" not in session.cookies:
        sys.exit(f"Could not log in as {username} (status {response.status_code}).")
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


def load(url: str, cookies, seconds: float, clients: int = CLIENTS) -> dict:
    """``clients`` threads request url for the given time; return the figures."""
    latencies, errors = [], []
    start = time.perf_counter()
    args = (url, cookies, start + seconds, latencies, errors)
    threads = [threading.Thread(target=client_loop, args=args) for _ in range(clients)]
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


# --- Printed books ----------------------------------------------------------------------------


def production_env(env: dict) -> dict:
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "trainingsite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "off",
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
    }


def measured(command: list[str], env: dict) -> dict:
    """Run a command in a process of its own; its output, wall time and peak memory."""
    result = subprocess.run(  # noqa: S603
        [str(PYTHON), "-c", MEASURE, *command],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if result.returncode:
        sys.exit(f"Could not measure {' '.join(command)}:\n{result.stderr}")
    figures = json.loads(result.stdout)
    if figures["returncode"]:
        sys.exit(f"{' '.join(command)} failed:\n{figures['stdout']}{figures['stderr']}")
    return {**figures, **json.loads(figures["stdout"].strip().splitlines()[-1])}


def measure_books(env: dict, tmp_dir: Path) -> list[dict]:
    """Build each book cold in its own process, then time WeasyPrint alone on its HTML; the
    median of BUILD_ROUNDS rounds, as other work on the machine makes single runs jumpy."""
    env = production_env(env)
    results = []
    for kind, label in BOOKS:
        html_path = tmp_dir / f"{kind}.html"
        builds, alones = [], []
        for _ in range(BUILD_ROUNDS):
            module = [str(PYTHON), "-m", "benchmarks.pages"]
            builds.append(measured([*module, "build-book", kind, str(html_path)], env))
            alones.append(measured([*module, "weasyprint-alone", str(html_path)], env))
        build_s = statistics.median(b["seconds"] for b in builds)
        alone_s = statistics.median(a["seconds"] for a in alones)
        results.append(
            {
                "kind": kind,
                "label": label,
                "build_s": build_s,
                "process_s": statistics.median(b["wall_s"] for b in builds),
                "peak_mb": max(b["max_rss_mb"] for b in builds),
                "pages": builds[-1]["pages"],
                "in_weasyprint_s": statistics.median(b["weasyprint_s"] for b in builds),
                "alone_s": alone_s,
                "overhead": build_s / alone_s - 1,
            }
        )
    return results


def build_book_child(kind: str, html_path: str) -> None:
    """``python -m benchmarks.pages build-book KIND HTML``: one cold build, as by the worker."""
    import django

    django.setup()
    from courses.models import ProgrammePage
    from printing import (  # WeasyPrint is imported here, before the clock
        builds,
        documents,
        services,
    )
    from printing.models import Edition

    programme = ProgrammePage.objects.live().get(slug=BOOK_PROGRAMME)
    Edition.objects.filter(programme=programme, kind=kind).delete()  # cold: nothing cached
    in_weasyprint = []
    render_pdf = documents.render_pdf

    def timed_render_pdf(*args, **kwargs):
        start = time.perf_counter()
        try:
            return render_pdf(*args, **kwargs)
        finally:
            in_weasyprint.append(time.perf_counter() - start)

    documents.render_pdf = timed_render_pdf
    start = time.perf_counter()
    edition, created = services.prepare_edition(kind, programme)
    edition = builds.build_edition(edition.pk)
    seconds = time.perf_counter() - start
    documents.render_pdf = render_pdf
    if edition.status != "ready":
        sys.exit(f"Building the {kind} failed: {edition.error}")
    Path(html_path).write_text(documents.document_html(kind, edition.programme, None, edition))
    with edition.file.open("rb") as file:
        from pypdf import PdfReader

        pages = len(PdfReader(file).pages)
    print(json.dumps({"seconds": seconds, "weasyprint_s": sum(in_weasyprint), "pages": pages}))


def weasyprint_alone_child(html_path: str) -> None:
    """``python -m benchmarks.pages weasyprint-alone HTML``: WeasyPrint on saved HTML only."""
    import django

    django.setup()  # the URL fetcher finds static files through the settings
    from weasyprint import HTML

    from pdf.rendering import PDF_VARIANT, PRINT_BASE_URL, PrintURLFetcher

    html = Path(html_path).read_text()
    start = time.perf_counter()
    HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=PrintURLFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT
    )
    print(json.dumps({"seconds": time.perf_counter() - start}))


def measure_downloads(url: str, cookies) -> list[dict]:
    """Median time to GET each book's cached current edition, one request after another."""
    results = []
    with requests.Session() as session:
        session.cookies.update(cookies)
        for kind, label in BOOKS:
            path = f"/print/{BOOK_PROGRAMME}/{kind}/download/"
            times, errors, size = [], [], 0
            for _ in range(DOWNLOADS):
                start = time.perf_counter()
                response = session.get(url + path, timeout=REQUEST_TIMEOUT)
                size = len(response.content)
                times.append(time.perf_counter() - start)
                if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                    errors.append(response.status_code)
            results.append(
                {
                    "label": label,
                    "median_ms": statistics.median(times) * 1000,
                    "max_ms": max(times) * 1000,
                    "bytes": size,
                    "errors": len(errors),
                }
            )
    return results


def goal(met: bool) -> str:
    return "met" if met else "MISSED"


def print_book_tables(books: list[dict], downloads: list[dict]) -> None:
    print(
        f"Printed books of the {BOOK_PROGRAMME}: each built cold in a process of its own, "
        f"median of {BUILD_ROUNDS} rounds"
    )
    print(
        "(build: the whole build; in WeasyPrint: its layout and PDF writing inside the build; "
        "own: the rest (fingerprint, queries, templates, saving); alone: WeasyPrint on the "
        "saved HTML in another process; overhead: build / alone - 1)"
    )
    header = (
        f"{'book':<22} {'pages':>5} {'build s':>8} {'in WeasyPrint s':>16} {'own s':>6} "
        f"{'process s':>10} {'peak MB':>8} {'alone s':>8} {'overhead':>9}"
    )
    print(header)
    print("-" * len(header))
    for b in books:
        own = b["build_s"] - b["in_weasyprint_s"]
        print(
            f"{b['label']:<22} {b['pages']:>5} {b['build_s']:>8.2f} {b['in_weasyprint_s']:>16.2f} "
            f"{own:>6.2f} {b['process_s']:>10.2f} {b['peak_mb']:>8.0f} {b['alone_s']:>8.2f} "
            f"{b['overhead']:>+9.1%}"
        )
    print()
    print(f"Cached download of the current edition (production server, median of {DOWNLOADS}):")
    header = f"{'book':<22} {'bytes':>9} {'median ms':>10} {'max ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for d in downloads:
        print(
            f"{d['label']:<22} {d['bytes']:>9} {d['median_ms']:>10.1f} {d['max_ms']:>8.1f} "
            f"{d['errors']:>7}"
        )
    print()
    workbook = next(b for b in books if b["kind"] == "workbook")
    worst = max(books, key=lambda b: b["overhead"])
    slowest = max(downloads, key=lambda d: d["median_ms"])
    print("Goals:")
    print(
        f"  workbook cold build under {WORKBOOK_BUILD_GOAL_S:g} s: "
        f"{workbook['build_s']:.1f} s ({goal(workbook['build_s'] < WORKBOOK_BUILD_GOAL_S)})"
    )
    print(
        f"  overhead over WeasyPrint alone at most {OVERHEAD_GOAL:.0%}: worst "
        f"{worst['overhead']:+.1%}, {worst['label']} ({goal(worst['overhead'] <= OVERHEAD_GOAL)})"
    )
    print(
        f"  cached download under {DOWNLOAD_GOAL_MS:g} ms: slowest median "
        f"{slowest['median_ms']:.1f} ms, {slowest['label']} "
        f"({goal(slowest['median_ms'] < DOWNLOAD_GOAL_MS)})"
    )


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
        database_url = throwaway.throwaway_database_url(tmp_dir, "bench")
        engine = urlsplit(database_url).scheme
        print(f"Preparing the {engine} benchmark database (migrate, load_demo)...", flush=True)
        env = base_env(tmp_dir, database_url)
        prepare_database(env)
        print(f"Building the books of the {BOOK_PROGRAMME}, each cold...", flush=True)
        books = measure_books(env, tmp_dir)
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
            print("Downloading the cached books...", flush=True)
            downloads = measure_downloads(url, log_in(url, BOOK_USERNAME))
        counts = count_queries(database_url)

    print()
    print_load_table(results)
    print()
    print("SQL queries of one request (the second, warm caches; in-process, test Client):")
    print_query_table(counts)
    print()
    print_book_tables(books, downloads)
    failed = (
        any(r["errors"] for _, r in results)
        or any(s != 200 for _, s, _ in counts)
        or any(d["errors"] for d in downloads)
    )
    if failed:
        print("\nFAILED: some requests did not answer 200.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["build-book"]:
        build_book_child(*sys.argv[2:4])
    elif sys.argv[1:2] == ["weasyprint-alone"]:
        weasyprint_alone_child(sys.argv[2])
    else:
        sys.exit(main())
