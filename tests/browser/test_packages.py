"""Curriculum packages in Chromium against the test server: a facilitator exports from the admin,
an administrator uploads the file, reads what it would change and imports it; a package whose
rich text carries script imports as harmless text on the reading page."""

import re

import pytest

from packages.archive import write_package
from tests.browser.conftest import run_manage
from tests.browser.test_hostile_cms import assert_nothing_ran, watch_dialogs
from tests.packages.hostile import SLUG, hostile_package

pytestmark = pytest.mark.browser

NATIONAL = "National: wash for twenty seconds, every time."
NATIONAL_RESILIENCE = "National: resilience, said more simply."
LOCAL_RESILIENCE = "Local: our own words for HMP Example."


def publish_summaries(env, log, summaries: dict[str, str]) -> None:
    code = "from courses.models import SessionPage\n" + "".join(
        f"p = SessionPage.objects.get(slug={slug!r}).get_latest_revision_as_object()\n"
        f"p.summary = {summary!r}\n"
        "p.save_revision().publish()\n"
        for slug, summary in summaries.items()
    )
    run_manage(env, log, "shell", "-c", code)


@pytest.fixture
def server_log(tmp_path):
    with (tmp_path / "manage.log").open("w") as log:
        yield log


@pytest.fixture
def curriculum_put_back(live_server_env, server_log):
    """The other browser tests meet the curriculum as bundled."""
    yield
    run_manage(live_server_env, server_log, "load_curriculum", "--update")


def test_a_facilitator_exports_and_an_administrator_previews_and_imports(
    log_in, live_server_env, server_log, curriculum_put_back, tmp_path
):
    publish_summaries(
        live_server_env,
        server_log,
        {"hand-hygiene": NATIONAL, "building-resilience": NATIONAL_RESILIENCE},
    )
    facilitator = log_in("facilitator", viewport={"width": 1024, "height": 768})
    facilitator.goto("/admin/")
    facilitator.get_by_role("button", name="Packages").click()
    facilitator.get_by_role("link", name="Export a package").click()
    facilitator.get_by_label("Three-day programme", exact=True).check()
    facilitator.get_by_label("Version").fill("2027.1")
    with facilitator.expect_download() as download:
        facilitator.get_by_role("button", name="Export the package").click()
    assert download.value.suggested_filename == "peer-support-curriculum-2027.1.zip"
    package = tmp_path / download.value.suggested_filename
    download.value.save_as(package)

    # This install goes back to the bundled curriculum, and someone here rewrites one session.
    run_manage(live_server_env, server_log, "load_curriculum", "--update")
    publish_summaries(live_server_env, server_log, {"building-resilience": LOCAL_RESILIENCE})

    admin = log_in("admin", viewport={"width": 1024, "height": 768})
    admin.goto("/admin/packages/import/")
    admin.get_by_label("Package file").set_input_files(package)
    admin.get_by_role("button", name="Check the package").click()
    admin.get_by_role("heading", name="What this package would change").wait_for()
    rows = admin.locator("tbody tr")
    hygiene = rows.filter(has_text="Hand Hygiene")
    assert "Updated" in hygiene.inner_text()
    resilience = rows.filter(has_text="Building Resilience")
    assert "Conflict: kept as it is here" in resilience.inner_text()
    resilience.get_by_text("Show the difference").click()
    diff = resilience.locator("pre").inner_text()
    assert f'-summary = "{LOCAL_RESILIENCE}"' in diff
    assert f'+summary = "{NATIONAL_RESILIENCE}"' in diff
    assert re.search(r"1\s+updated", admin.locator(".package-summary").inner_text())
    admin.get_by_label("Publish at once, without review").check()
    admin.get_by_role("button", name=re.compile(r"^Import 1 new and updated")).click()
    message = admin.get_by_text("Imported Peer support curriculum 2027.1")
    message.wait_for()
    assert "1 kept as they are here" in message.inner_text()
    assert "2027.1" in admin.locator("table.listing").inner_text()

    trainee = log_in("trainee")
    trainee.goto("/curriculum/hand-hygiene/")
    assert NATIONAL in trainee.locator("main").inner_text()
    trainee.goto("/curriculum/building-resilience/")
    assert LOCAL_RESILIENCE in trainee.locator("main").inner_text()


def test_a_refused_package_says_why_and_keeps_the_page(log_in, tmp_path):
    bad = tmp_path / "not-a-package.zip"
    bad.write_bytes(b"just some bytes")
    admin = log_in("admin", viewport={"width": 1024, "height": 768})
    admin.goto("/admin/packages/import/")
    admin.get_by_label("Package file").set_input_files(bad)
    admin.get_by_role("button", name="Check the package").click()
    admin.get_by_role("alert").filter(has_text="not a curriculum package").wait_for()


@pytest.fixture
def hostile_import(live_server_env, server_log, tmp_path):
    path = tmp_path / "hostile.zip"
    path.write_bytes(write_package(hostile_package()))
    run_manage(live_server_env, server_log, "import_curriculum", str(path), "--publish")
    yield f"/curriculum/{SLUG}/"
    run_manage(
        live_server_env,
        server_log,
        "shell",
        "-c",
        "from courses.models import SessionPage\n"
        f"for page in SessionPage.objects.filter(slug={SLUG!r}): page.delete()",
    )


def test_rich_text_from_a_package_is_harmless_on_the_reading_page(log_in, hostile_import):
    for username, address in (("trainee", ""), ("trainer", "trainer/")):
        page = log_in(username)
        dialogs = watch_dialogs(page)
        assert page.goto(hostile_import + address).status == 200
        main = page.locator("main")
        main.get_by_text("Wash your hands").first.wait_for()
        assert "Click here" in main.inner_text()
        assert main.locator("a[href]", has_text="Click here").count() == 0
        assert main.locator("img, iframe, script").count() == 0
        assert_nothing_ran(page, f"{username} {address}")
        assert dialogs == []
