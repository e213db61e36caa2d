"""The print page in Chromium: an education officer builds a handout and downloads it."""

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_education_builds_a_handout_and_downloads_it(log_in):
    page = log_in("education", viewport={"width": 1024, "height": 768})
    with page.expect_navigation():
        page.get_by_role("link", name="Print", exact=True).first.click()
    build = page.get_by_role("button", name=re.compile(r"^Build now .*Hand Hygiene")).first
    row = page.locator("tr", has=build).first  # the handout is listed under each programme
    row_id = row.get_attribute("id")
    with page.expect_navigation():
        build.click()
    row = page.locator(f"#{row_id}")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_have_count(1)  # once, not again by the page itself
    expect(banner).to_contain_text(re.compile(r"Hand Hygiene: edition 1 is ready\."))
    download_link = row.get_by_role("link", name=re.compile(r"^Download .*edition 1 \(PDF"))
    expect(download_link).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^Build now"))).to_have_count(0)
    with page.expect_download() as downloaded:
        download_link.click()
    with open(downloaded.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert downloaded.value.suggested_filename.endswith(".pdf")
