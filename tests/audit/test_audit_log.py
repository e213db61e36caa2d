"""The audit log: one row per audited action, append-only, for administrators only."""

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from tests.conftest import PASSWORD


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", "username"))


def test_a_sign_in_is_logged_with_who_and_from_where(client, users):
    client.post(
        "/accounts/login/", {"username": "trainer", "password": PASSWORD}, REMOTE_ADDR="10.2.3.4"
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.username, event.ip_address) == ("login", "trainer", "10.2.3.4")
    assert event.user == users["trainer"]


def test_a_failed_sign_in_is_logged_without_the_password(client, users):
    client.post("/accounts/login/", {"username": "trainer", "password": "not-my-password"})
    assert actions() == [("login_failed", "trainer")]
    assert not AuditEvent.objects.filter(what__contains="not-my-password").exists()


def test_a_lockout_is_logged(client, users):
    for _ in range(10):
        client.post("/accounts/login/", {"username": "trainer", "password": "wrong"})
    assert actions().count(("lockout", "trainer")) == 1
    assert actions().count(("login_failed", "trainer")) == 10


def test_a_refused_request_is_logged(client_for):
    client_for("trainee").get("/curriculum/communication-in-care/presenter/")
    event = AuditEvent.objects.get(action="refused")
    assert event.username == "trainee"
    assert event.what == "GET /curriculum/communication-in-care/presenter/"


def test_the_log_cannot_be_changed_or_deleted(db):
    event = AuditEvent.objects.create(action="login", username="someone")
    event.what = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(what="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser("administrator", password=PASSWORD)


def test_an_administrator_reads_and_filters_the_log(client, administrator, users):
    AuditEvent.objects.create(action="login", username="trainer")
    AuditEvent.objects.create(action="refused", username="trainee", what="GET /secret/")
    client.force_login(administrator)
    response = client.get("/admin/audit_log/?action=refused")
    assert response.status_code == 200
    html = response.content.decode()
    assert "GET /secret/" in html
    assert "trainer" not in html.split("GET /secret/")[0].split("<tbody")[-1]


def test_no_screen_changes_the_log(client, administrator):
    event = AuditEvent.objects.create(action="login", username="trainer")
    client.force_login(administrator)
    rows_before = AuditEvent.objects.exclude(action="refused").count()
    for url in (
        "/admin/audit_log/new/",
        f"/admin/audit_log/edit/{event.pk}/",
        f"/admin/audit_log/delete/{event.pk}/",
    ):
        assert client.post(url, {"what": "changed"}).status_code in (302, 403, 404)
    assert AuditEvent.objects.get(pk=event.pk).what == ""
    assert AuditEvent.objects.exclude(action="refused").count() == rows_before


@pytest.mark.parametrize(
    "username", ["facilitator", "trainer", "education", "trainee", "evaluator"]
)
def test_only_administrators_can_read_the_log(client_for, username):
    assert client_for(username).get("/admin/audit_log/").status_code != 200
