"""How fast the cohort pages answer a local trainer on a national install's worth of records.

The database is the benchmark's own (a SQLite file in a temporary directory, or NAME_bench_cohorts
on the PostgreSQL server of DATABASE_URL, dropped and made again on every run): migrated, filled
with the demo data (load_demo) and then with ``seed_scale`` (120 establishments, 2,000 cohorts,
20,000 trainees, 400,000 attendance records), whose time is printed. gunicorn serves it with the
production settings, as in benchmarks.pages.

Signed in through the login form as the seeded local trainer of one establishment, CLIENTS
concurrent clients request each page for a fixed time after a short warm-up:

* the cohort page of that trainer's latest cohort (/cohorts/<pk>/),
* the register of its first delivery (/cohorts/deliveries/<pk>/register/, every mark taken),
* the establishment's local delivery readiness page for that cohort's programme,

with /healthz as the baseline. Each page is first requested by one client alone for a few
seconds (its median: the page's own time, without queueing). Printed: requests, errors
(anything but a 200), throughput, median and 95th percentile latency, beside the goal (95th
percentile under 300 ms), and the number of SQL queries of one request of each page.
Any error makes the run exit non-zero.

    .venv/bin/python -m benchmarks.cohorts      # or: make bench (after benchmarks.pages)
    BENCH_SECONDS=5 BENCH_FACTOR=0.1 .venv/bin/python -m benchmarks.cohorts   # shorter run
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.pages import (
    PROJECT_DIR,
    PYTHON,
    WARMUP_SECONDS,
    WORKERS,
    base_env,
    check_static_manifest,
    load,
    log_in,
    prepare_database,
    production_server,
)
from tests import throwaway

CLIENTS = 8
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS", "15"))
FACTOR = os.environ.get("BENCH_FACTOR", "1")
ESTABLISHMENT = "seed-001"
P95_GOAL_MS = 300.0
SEED_TIMEOUT = 1800
ALONE_SECONDS = 3.0  # one client alone first: the page's own time, without queueing


def seed_scale(env: dict) -> tuple[float, str]:
    """Run seed_scale in a process of its own; its wall time and its last line."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "trainingsite.settings.dev", "DEBUG": "false"}
    start = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "seed_scale", f"--factor={FACTOR}"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=SEED_TIMEOUT,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"manage.py seed_scale failed:\n{result.stdout}{result.stderr}")
    return seconds, result.stdout.strip().splitlines()[-1]


def setup_django(database_url: str) -> None:
    """Django in this process, on the benchmark database, to choose the pages and count
    queries. The test settings let the test Client's host, "testserver", in."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "trainingsite.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def choose_pages() -> tuple[str, list[tuple[str, str]]]:
    """The local trainer of ESTABLISHMENT and the pages to measure: one of their cohorts."""
    from cohorts.management.commands.seed_scale import bench_username
    from cohorts.models import Cohort

    cohort = (
        Cohort.objects.filter(establishment__code=ESTABLISHMENT)
        .select_related("programme")
        .order_by("-start_date")
        .first()
    )
    if cohort is None:
        sys.exit(f"No cohort at {ESTABLISHMENT}: did seed_scale run?")
    delivery = cohort.deliveries.order_by("starts_at").first()
    readiness = f"/cohorts/establishments/{ESTABLISHMENT}/readiness/?programme="
    pages = [
        ("baseline /healthz", "/healthz"),
        ("cohort page", f"/cohorts/{cohort.pk}/"),
        ("register", f"/cohorts/deliveries/{delivery.pk}/register/"),
        ("readiness page", readiness + cohort.programme.slug),
    ]
    return bench_username(ESTABLISHMENT), pages


def count_queries(username: str, pages: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(label, status, SQL queries) of the second request of each page, with the test Client."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    counts = []
    for label, path in pages:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts.append((label, response.status_code, len(queries.captured_queries)))
    connection.close()
    return counts


def print_table(results: list[tuple[str, dict]], counts: list[tuple[str, int, int]]) -> None:
    queries = {label: number for label, _, number in counts}
    header = (
        f"{'page':<20} {'alone ms':>9} {'requests':>9} {'errors':>7} {'req/s':>7} "
        f"{'median ms':>10} {'p95 ms':>8} {f'goal p95 < {P95_GOAL_MS:g} ms':>20} "
        f"{'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, r in results:
        verdict = "" if label.startswith("baseline") else goal(r["p95_ms"] < P95_GOAL_MS)
        print(
            f"{label:<20} {r['alone']['median_ms']:>9.1f} {r['requests']:>9} {r['errors']:>7} "
            f"{r['throughput']:>7.1f} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {verdict:>20} "
            f"{queries[label]:>8}"
        )
        if r["errors"]:
            print(f"{'':<20} errors: {', '.join(r['error_kinds'])}")


def goal(met: bool) -> str:
    return "met" if met else "MISSED"


def main() -> int:
    check_static_manifest()
    with tempfile.TemporaryDirectory(prefix="bench-cohorts-") as tmp:
        tmp_dir = Path(tmp)
        database_url = throwaway.throwaway_database_url(tmp_dir, "bench_cohorts")
        engine = urlsplit(database_url).scheme
        print(f"Preparing the {engine} cohorts benchmark database (migrate, load_demo)...")
        env = base_env(tmp_dir, database_url)
        prepare_database(env)
        print(f"seed_scale --factor={FACTOR}...", flush=True)
        seed_seconds, seeded = seed_scale(env)
        print(f"  {seeded} (process: {seed_seconds:.1f} s)", flush=True)
        setup_django(database_url)
        username, pages = choose_pages()
        counts = count_queries(username, pages)
        with production_server(env, tmp_dir / "gunicorn.log") as url:
            cookies = log_in(url, username)
            print(
                f"Signed in as {username}. Loading {url} with {CLIENTS} clients, "
                f"{WARMUP_SECONDS:g} s warm-up + {SECONDS_PER_PAGE:g} s per page (gunicorn, "
                f"{WORKERS} workers, {engine}, {os.cpu_count()} CPUs shared with the clients, "
                f"load average {os.getloadavg()[0]:.1f} before the run)...",
                flush=True,
            )
            results = []
            for label, path in pages:
                print(f"  {label}: {path}", flush=True)
                load(url + path, cookies, WARMUP_SECONDS, clients=CLIENTS)
                alone = load(url + path, cookies, ALONE_SECONDS, clients=1)
                figures = load(url + path, cookies, SECONDS_PER_PAGE, clients=CLIENTS)
                results.append((label, {**figures, "alone": alone}))

    print()
    print(
        f"Cohort pages on the seed_scale database ({engine}; seed_scale took {seed_seconds:.1f} s)"
    )
    print(
        f"(alone ms: median with one client alone; the rest with {CLIENTS} clients at once; "
        "queries: SQL queries of one request)"
    )
    print_table(results, counts)
    failed = any(r["errors"] for _, r in results) or any(s != 200 for _, s, _ in counts)
    if failed:
        print("\nFAILED: some requests did not answer 200.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
