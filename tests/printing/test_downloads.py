"""A download of a built edition costs what serving a static file costs, plus the access check
and the one audit row."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from tests.printing.test_print_page import FAKE_PDF, ready_edition


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def writes(queries) -> list[str]:
    """The table each writing statement wrote to."""
    found = []
    for query in queries:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE", "REPLACE"}:
            found.append(re.search(r'"(\w+)"', sql).group(1))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["current", "edition"])
def test_a_download_reads_four_times_and_writes_only_the_audit_row(
    client_for, django_assert_num_queries, address
):
    from tests.factories import make_programme, make_session

    programme = make_programme([make_session(blocks=1)], days=1)
    edition = ready_edition("workbook", programme)
    path = {
        "current": f"/print/{programme.slug}/workbook/download/",
        "edition": f"/print/editions/{edition.pk}/download/",
    }[address]
    client = client_for("education")
    client.get("/print/")  # signed in: the session's first request settles it
    before = AuditEvent.objects.count()
    # session, user, the permission (the user's own or a group's), the edition, the audit row
    with django_assert_num_queries(5), CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body == FAKE_PDF
    assert response["Content-Disposition"] == (f'attachment; filename="{edition.download_name}"')
    assert writes(captured.captured_queries) == ["audit_auditevent"]
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert (event.username, event.action) == ("education", "download")
    assert event.what.endswith("edition 1")


@pytest.mark.django_db
def test_a_download_of_an_edition_whose_file_is_gone_is_a_404_and_no_audit_row(client_for):
    from tests.factories import make_programme, make_session

    programme = make_programme([make_session(blocks=1)], days=1)
    edition = ready_edition("workbook", programme)
    edition.file.delete(save=False)
    response = client_for("education").get(f"/print/{programme.slug}/workbook/download/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()
