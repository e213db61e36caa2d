"""Browser tests: a real gunicorn server with the demo data, driven by Debian's Chromium.

The server runs in its own process with its own database (a SQLite file in a pytest temporary
directory, or ``<name>_browser`` next to the PostgreSQL database of ``DATABASE_URL``), so these
tests see exactly what a training room would see. Every request a page makes is recorded and
must go to that server: the site has to work without the internet.
"""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import throwaway

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTINGS = "trainingsite.settings.test"
DEMO_PASSWORD = "browser-tests-demo-password"  # noqa: S105
STARTUP_TIMEOUT = 60
ALLOWED_SCHEMES = {"data", "blob"}
ALLOWED_URLS = {"about:blank"}


# --- The server -------------------------------------------------------------------------------


def ensure_static_build():
    if not (PROJECT_DIR / "static_build").is_dir():
        subprocess.run(["make", "static_build/.built"], cwd=PROJECT_DIR, check=True)


def run_manage(env: dict, log, *args: str):
    result = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        check=False,
    )
    if result.returncode:
        log.flush()
        pytest.fail(
            f"manage.py {' '.join(args)} failed:\n{Path(log.name).read_text()}", pytrace=False
        )


def wait_until_healthy(url: str, process: subprocess.Popen, log_path: Path):
    problem = throwaway.wait_until_healthy(url, process, STARTUP_TIMEOUT)
    if problem:
        pytest.fail(
            f"The test server did not answer GET /healthz with 200 within {STARTUP_TIMEOUT} s "
            f"({problem}). gunicorn log:\n{log_path.read_text()}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def live_server_env(tmp_path_factory) -> dict:
    """The environment of the test server: ``run_manage(live_server_env, log, ...)`` works on
    its database."""
    tmp_dir = tmp_path_factory.mktemp("browser-server")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": throwaway.throwaway_database_url(tmp_dir, "browser"),
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "VAR_DIR": str(tmp_dir / "var"),
        "MEDIA_ROOT": str(tmp_dir / "media"),
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture(scope="session")
def live_server_url(live_server_env):
    """The base URL of a gunicorn server (2 workers) serving the demo data."""
    ensure_static_build()
    env = live_server_env
    tmp_dir = Path(env["VAR_DIR"]).parent
    port = throwaway.free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_dir / "server.log"
    with log_path.open("w") as log:
        run_manage(env, log, "migrate", "--noinput")
        run_manage(env, log, "load_demo")
        process = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "gunicorn"),
                "trainingsite.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(url, process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- The browser ------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests. Package scope: Playwright's sync API runs an event
    loop while it is open, and Django refuses database work from such a thread, so it must be
    closed before the tests that come after this package."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
            "it is missing.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestLog:
    """Every URL requested by any page of one browser context."""

    def __init__(self):
        self.urls: list[str] = []
        self.problems: list[str] = []

    def watch(self, context):
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("console", self.console)
        context.on("weberror", lambda error: self.problems.append(f"script error: {error.error}"))

    def console(self, message):
        """Content Security Policy refusals show as console errors."""
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(message.text)

    def foreign(self, origin: str) -> list[str]:
        return [url for url in self.urls if not is_local(url, origin)]


def is_local(url: str, origin: str) -> bool:
    if url in ALLOWED_URLS or urlsplit(url).scheme in ALLOWED_SCHEMES:
        return True
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


@pytest.fixture
def new_context(browser, live_server_url):
    """Make browser contexts whose requests, policy refusals and script errors are checked
    at the end of the test."""
    contexts = []
    logs = []

    def make(**options):
        context = browser.new_context(base_url=live_server_url, **options)
        context.set_default_timeout(10_000)
        log = RequestLog()
        log.watch(context)
        contexts.append(context)
        logs.append(log)
        return context

    yield make
    for context in contexts:
        context.close()
    foreign = [url for log in logs for url in log.foreign(live_server_url)]
    assert not foreign, f"Pages requested URLs outside the test server: {foreign}"
    problems = [problem for log in logs for problem in log.problems]
    assert not problems, f"Pages broke their security policy or threw errors: {problems}"


@pytest.fixture
def log_in(new_context):
    """``log_in("trainer")`` gives a page signed in as that demo user through the real form."""

    def sign_in(username: str, **context_options):
        context = new_context(**context_options)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        landed = urlsplit(page.url).path
        assert landed in ("/", "/learn/"), f"Signing in as {username} failed: {page.url}"
        return page

    return sign_in


@pytest.fixture
def anonymous_page(new_context):
    return new_context().new_page()
