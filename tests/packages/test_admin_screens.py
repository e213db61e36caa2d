"""The admin screens as each role meets them: who may export and import, and a facilitator's
import going to Curriculum review (the browser test covers an administrator's)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from courses.models import SessionPage
from packages.archive import read_package, write_package
from tests.packages.test_packages import publish_summary, three_day_package


@pytest.mark.parametrize("username", ["trainer", "education", "trainee", "evaluator"])
def test_only_facilitators_and_administrators_reach_the_screens(client_for, username):
    client = client_for(username)
    for address in ("/admin/packages/export/", "/admin/packages/import/"):
        assert client.get(address).status_code in (302, 403)


def test_a_facilitators_import_goes_to_review_and_cannot_publish(client_for, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    publish_summary("hand-hygiene", "National: wash for twenty seconds.")
    data = write_package(read_package(write_package(three_day_package())))
    call_command("load_curriculum", "--update")
    client = client_for("facilitator")
    upload = SimpleUploadedFile("national.zip", data, content_type="application/zip")
    preview = client.post("/admin/packages/import/", {"package": upload})
    assert preview.status_code == 200
    assert b"What this package would change" in preview.content
    assert b"Publish at once" not in preview.content
    token = preview.context["apply_form"].initial["upload"]
    response = client.post("/admin/packages/import/apply/", {"upload": token, "publish": "on"})
    assert response.status_code == 302
    hygiene = SessionPage.objects.get(slug="hand-hygiene")
    assert hygiene.summary != "National: wash for twenty seconds."
    assert hygiene.current_workflow_state.requested_by.username == "facilitator"
    assert not list(tmp_path.glob("package_uploads/*.zip")), "the upload is not kept"


@pytest.mark.parametrize("token", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", ""])
def test_a_missing_or_made_up_upload_asks_for_the_file_again(client_for, token):
    response = client_for("facilitator").post(
        "/admin/packages/import/apply/", {"upload": token}, follow=True
    )
    assert response.status_code == 200
    assert b"upload the package again" in response.content


def test_a_refused_upload_keeps_the_form_with_the_reason(client_for):
    upload = SimpleUploadedFile("x.zip", b"not a zip", content_type="application/zip")
    response = client_for("facilitator").post("/admin/packages/import/", {"package": upload})
    assert response.status_code == 200
    assert b"This file is not a curriculum package" in response.content
