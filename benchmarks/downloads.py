"""An edition download against a static file of the same size, side by side on one server.

The three-day workbook is built once (``build_books``) on the benchmark's own database, and a
copy of the PDF is put among the collected static files, so that the production server
(gunicorn, the production settings and middleware) serves the same bytes two ways:

* the download, /print/three-day-programme/workbook/download/, signed in as the education
  department: session, permission check, the edition's row, the audit row, then the file;
* the static file, /static/bench/same-size.pdf, served by WhiteNoise;
* and, for scale, /healthz: a signed-in request through Django's middleware to a view doing
  SELECT 1, the least any Django view costs on this server.

Printed: the median of DOWNLOADS requests one after the other, then the median and 95th
percentile under CLIENTS concurrent clients, and the ratio download / static (goal: at most
1.5x). The copy is removed afterwards.

    .venv/bin/python -m benchmarks.downloads      # or: make bench
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from benchmarks.pages import (
    PROJECT_DIR,
    PYTHON,
    base_env,
    check_static_manifest,
    load,
    log_in,
    prepare_database,
    production_server,
)
from tests import throwaway

PROGRAMME = "three-day-programme"
DOWNLOAD_PATH = f"/print/{PROGRAMME}/workbook/download/"
STATIC_NAME = "bench/same-size.pdf"
DOWNLOADS = 40
CLIENTS = 20
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
RATIO_GOAL = 1.5


def build_workbook(env: dict, out: Path) -> Path:
    env = {**env, "DJANGO_SETTINGS_MODULE": "trainingsite.settings.dev", "DEBUG": "false"}
    command = ["manage.py", "build_books", "--programme", PROGRAMME, "--document", "workbook"]
    result = subprocess.run(  # noqa: S603
        [str(PYTHON), *command, "--out", str(out)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"build_books failed:\n{result.stdout}{result.stderr}")
    return out / f"{PROGRAMME}-workbook.pdf"


def one_by_one(url: str, cookies, expected: bytes | None) -> float:
    """Median milliseconds of DOWNLOADS GETs one after the other."""
    times = []
    with requests.Session() as session:
        session.cookies.update(cookies)
        for _ in range(DOWNLOADS):
            start = time.perf_counter()
            response = session.get(url, timeout=30)
            times.append(time.perf_counter() - start)
            if response.status_code != 200 or expected not in (None, response.content):
                sys.exit(f"GET {url} answered {response.status_code} or other bytes.")
    return statistics.median(times) * 1000


def main() -> int:
    check_static_manifest()
    static_copy = PROJECT_DIR / "staticfiles" / STATIC_NAME
    with tempfile.TemporaryDirectory(prefix="bench-downloads-") as tmp:
        tmp_dir = Path(tmp)
        database_url = throwaway.throwaway_database_url(tmp_dir, "bench_downloads")
        env = base_env(tmp_dir, database_url)
        print("Preparing the database and building the three-day workbook...", flush=True)
        prepare_database(env)
        pdf = build_workbook(env, tmp_dir / "out")
        body = pdf.read_bytes()
        static_copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(pdf, static_copy)
        try:
            with production_server(env, tmp_dir / "gunicorn.log") as url:
                cookies = log_in(url, "education")
                addresses = [
                    ("download", url + DOWNLOAD_PATH),
                    ("static", f"{url}/static/{STATIC_NAME}"),
                ]
                for _, address in addresses:  # warm-up
                    one_by_one(address, cookies, body)
                medians = {label: one_by_one(a, cookies, body) for label, a in addresses}
                # Django's own floor: a signed-in request to a view doing SELECT 1.
                medians["healthz"] = one_by_one(f"{url}/healthz", cookies, None)
                loaded = {label: load(a, cookies, SECONDS, CLIENTS) for label, a in addresses}
        finally:
            static_copy.unlink(missing_ok=True)

    print()
    print(f"The three-day workbook ({len(body):,} bytes) from one production server:")
    header = (
        f"{'served as':<10} {'one by one median ms':>21} {f'{CLIENTS} clients median ms':>21} "
        f"{'p95 ms':>8} {'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    for label in ("download", "static"):
        r = loaded[label]
        print(
            f"{label:<10} {medians[label]:>21.1f} {r['median_ms']:>21.1f} {r['p95_ms']:>8.1f} "
            f"{r['errors']:>7}"
        )
    print(f"{'healthz':<10} {medians['healthz']:>21.1f}   (Django's floor: middleware, SELECT 1)")
    ratio = medians["download"] / medians["static"]
    ratio_loaded = loaded["download"]["p95_ms"] / loaded["static"]["p95_ms"]
    met = "met" if ratio <= RATIO_GOAL else "MISSED"
    print(
        f"Download / static: {ratio:.2f}x one by one, {ratio_loaded:.2f}x at p95 under load "
        f"(goal at most {RATIO_GOAL:g}x one by one: {met})"
    )
    return 1 if any(r["errors"] for r in loaded.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
