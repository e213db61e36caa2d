"""A book build survives its worker dying: real print workers in processes of their own, on a
database of their own, one of them killed (SIGKILL, as the memory killer does) mid-build."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests import throwaway

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"
LEASE_SECONDS = 4

QUERY = """
import json
from django_tasks_db.models import DBTaskResult
from printing.models import Edition
editions = []
for e in Edition.objects.order_by("pk"):
    tasks = DBTaskResult.objects.filter(pk=e.task_id) if e.task_id else DBTaskResult.objects.none()
    task = tasks.values_list("status", flat=True).first()
    editions.append({"pk": e.pk, "number": e.number, "status": e.status, "attempts": e.attempts,
                     "started": e.started_at is not None, "file": e.file.name,
                     "progress": e.progress, "task_status": task})
tasks = sorted(DBTaskResult.objects.values_list("status", flat=True))
print("RESULT" + json.dumps({"editions": editions, "tasks": tasks}))
"""

REQUEST = """
from courses.models import ProgrammePage, SessionPage
from printing import services
programme = ProgrammePage.objects.get(slug="three-day-programme")
session = SessionPage.objects.get(slug="building-resilience")
print("RESULT", services.request_build("handout", programme, session).pk)
"""


@pytest.fixture
def worker_env(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainingsite.settings.dev",
        "DEBUG": "true",  # static files from the finders: no collectstatic here
        "DATABASE_URL": throwaway.throwaway_database_url(tmp_path, "workers"),
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRINT_BUILD_LEASE_SECONDS": str(LEASE_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }
    for command in (["migrate", "--noinput"], ["load_curriculum"]):
        manage(env, *command)
    return env


def manage(env, *args) -> str:
    result = subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def run(env, code: str):
    out = manage(env, "shell", "-c", code)
    return json.loads(out.split("RESULT", 1)[1].strip())


def start_worker(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [str(PYTHON), "manage.py", "print_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"Gave up waiting for {what}. Worker log:\n{log.read_text()}", pytrace=False)


def test_a_build_whose_worker_is_killed_is_finished_by_the_next_worker(worker_env, tmp_path):
    edition_pk = run(worker_env, REQUEST)
    first_log = tmp_path / "first-worker.log"
    first = start_worker(worker_env, first_log)
    try:
        wait_for(lambda: "state=RUNNING" in first_log.read_text(), 60, "a build", first_log)
        time.sleep(0.3)  # inside WeasyPrint, well before the PDF is written
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()

    killed = run(worker_env, QUERY)
    assert killed["editions"] == [
        {
            "pk": edition_pk,
            "number": 1,
            "status": "building",
            "attempts": 1,
            "started": True,
            "file": "",
            "progress": "Making the PDF",
            "task_status": "RUNNING",
        }
    ], "the worker was not killed mid-build"

    second_log = tmp_path / "second-worker.log"
    second = start_worker(worker_env, second_log)
    try:
        wait_for(
            lambda: "state=SUCCESSFUL" in second_log.read_text(),
            LEASE_SECONDS * 2 + 120,
            "the second worker to finish the build",
            second_log,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    done = run(worker_env, QUERY)
    [edition] = done["editions"]
    assert (edition["pk"], edition["status"], edition["attempts"]) == (edition_pk, "ready", 2)
    assert (Path(worker_env["MEDIA_ROOT"]) / edition["file"]).read_bytes().startswith(b"%PDF")
    # The dead worker's task no longer claims to be running; the new one succeeded.
    assert done["tasks"] == ["FAILED", "SUCCESSFUL"]
