"""A cohort's pack in Chromium: a local trainer of HMP Example makes the pack of Cycle 2 with
one click on the cohort's page and downloads it; a pack still building shows its progress
and then its download on the same page, without a reload. Another prison gets 404."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import run_manage
from tests.browser.test_accessibility import assert_no_blocking_violations
from tests.printing.pdf_reading import Book, fold

pytestmark = pytest.mark.browser


def test_a_trainer_makes_the_pack_and_sees_a_new_one_arrive(log_in, live_server_env, tmp_path):
    page = log_in("trainer", accept_downloads=True, viewport={"width": 1024, "height": 768})
    page.goto("/cohorts/")
    cohort_url = page.get_by_role("link", name="Cycle 2", exact=True).first.get_attribute("href")
    cohort_id = re.search(r"/(\d+)/$", cohort_url).group(1)
    page.goto(cohort_url)
    # The test server builds in the request (no background worker): give it time.
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name=re.compile("^Make the print pack")).click(
            no_wait_after=True
        )
    expect(page.get_by_role("heading", name="Print pack: Cycle 2")).to_be_visible()
    link = page.get_by_role("link", name=re.compile("^Download the pack"))
    with page.expect_download() as downloaded:
        link.click()
    assert downloaded.value.suggested_filename.endswith(".zip")
    with open(downloaded.value.path(), "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    assert "1-print-list.pdf" in archive.namelist()
    registers = Book(archive.read("2-registers.pdf"))
    listing = fold(" ".join(p.text() for p in Book(archive.read("1-print-list.pdf")).pages))
    assert f"Paper registers ({len(registers.outline())})" in listing
    assert len(registers.pages) == len(registers.outline()) > 0
    assert_no_blocking_violations(page)

    # A pack the background worker has not started yet: the page says so, and shows the
    # pack when it arrives, on the same page.
    with (tmp_path / "manage.log").open("w") as log:
        run_manage(
            live_server_env,
            log,
            "shell",
            "-c",
            "from printing.models import CohortPack; "
            f"CohortPack.objects.create(cohort_id={cohort_id}, progress='Waiting')",
        )
        page.reload()
        status = page.locator("#pack-status")
        expect(status).to_contain_text("Building")
        expect(status).to_contain_text("Waiting")
        page.evaluate("window.stillTheSamePage = true")
        run_manage(
            live_server_env, log, "build_books", "--cohort", cohort_id, "--out", str(tmp_path)
        )
    expect(page.locator("#pack-announcer")).to_have_text(
        "The pack is ready to download.", timeout=20_000
    )
    expect(status).not_to_contain_text("Building")
    expect(page.get_by_role("link", name=re.compile("^Download the pack"))).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True

    northfield = log_in("northfield")
    for url in ["", "state/", "download/"]:
        response = northfield.request.get(f"/print/cohorts/{cohort_id}/pack/{url}")
        assert response.status == 404, url
