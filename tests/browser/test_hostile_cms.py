"""Hostile CMS content in real Chromium: a session whose every field holds the hostile corpus
(tests/courses/hostile_session.py, stored in the test server's database as a stolen facilitator
account could store it) is opened as the reading page, the trainer page, the slides and the
presenter view. No script runs (no dialog, ``window.__pwned`` unset, no handler attribute), no
page asks for anything outside the test server (the ``new_context`` fixture fails the test on a
foreign request, a Content Security Policy refusal or a script error), and the title is shown
as the text that was typed."""

import pytest

from tests.browser.conftest import run_manage
from tests.courses.hostile_session import SLUG, TITLE

pytestmark = pytest.mark.browser

SESSION = f"/curriculum/{SLUG}/"
INSPECT = """() => ({
  pwned: typeof window.__pwned !== 'undefined',
  handlers: [...document.querySelectorAll('*')].flatMap(
      e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName)),
  scripts: [...document.scripts].filter(s => !s.src || new URL(s.src).origin !== location.origin)
      .map(s => s.outerHTML.slice(0, 80)),
  frames: [...document.querySelectorAll('iframe, object, embed, frame')]
      .map(f => f.src || f.data || '').filter(src => !src.startsWith(location.origin)),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href)
      .filter(href => !/^(https?|mailto|tel):/.test(href)),
  bases: document.querySelectorAll('base, meta[http-equiv=refresh]').length,
})"""


@pytest.fixture(scope="module")
def hostile_session(live_server_env, live_server_url, tmp_path_factory):
    """The hostile session, planted for this module's tests and removed after them, so that the
    other browser tests (every seeded session's slides) meet the curriculum as seeded."""
    log_path = tmp_path_factory.mktemp("hostile-cms") / "plant.log"
    with log_path.open("w") as log:
        run_manage(
            live_server_env,
            log,
            "shell",
            "-c",
            "from tests.courses.hostile_session import plant; plant()",
        )
        yield SESSION
        run_manage(
            live_server_env,
            log,
            "shell",
            "-c",
            "from courses.models import SessionPage\n"
            f"for page in SessionPage.objects.filter(slug={SLUG!r}): page.delete()",
        )


def assert_nothing_ran(page, where: str):
    for frame in page.frames:
        found = frame.evaluate(INSPECT)
        assert found == {
            "pwned": False,
            "handlers": [],
            "scripts": [],
            "frames": [],
            "links": [],
            "bases": 0,
        }, (where, frame.url, found)


def watch_dialogs(page) -> list[str]:
    opened = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


def test_the_reading_and_trainer_pages_run_nothing(log_in, hostile_session):
    for username, address in (("trainee", ""), ("trainer", "trainer/")):
        page = log_in(username)
        dialogs = watch_dialogs(page)
        assert page.goto(hostile_session + address).status == 200
        page.get_by_role("heading", level=1).filter(has_text="window.__pwned = 1").wait_for()
        assert TITLE in page.locator("h1").first.inner_text()
        page.wait_for_load_state("load")
        assert_nothing_ran(page, address or "reading page")
        assert not dialogs, dialogs


def test_the_slides_and_presenter_view_run_nothing(log_in, hostile_session):
    page = log_in("trainer")
    dialogs = watch_dialogs(page)
    assert page.goto(hostile_session + "slides/").status == 200
    page.wait_for_function("window.Reveal && window.Reveal.isReady()")
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    assert_nothing_ran(page, "slides")
    assert TITLE in page.locator(".reveal .slides").text_content()

    presenter = page.context.new_page()
    presenter_dialogs = watch_dialogs(presenter)
    assert presenter.goto(hostile_session + "presenter/").status == 200
    presenter.wait_for_load_state("load")
    for _ in range(12):
        presenter.keyboard.press("ArrowRight")
    presenter.wait_for_timeout(500)
    assert_nothing_ran(presenter, "presenter view")
    assert not dialogs and not presenter_dialogs, (dialogs, presenter_dialogs)
