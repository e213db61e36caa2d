"""Staff can be made to confirm sign-in with a code from an authenticator app."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def required(settings):
    settings.REQUIRE_TOTP_FOR_STAFF = True


def sign_in(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, follow=True)


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_set_up_an_app_on_first_sign_in_then_get_in(client, users, required):
    response = sign_in(client, "trainer")
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")
    assert "Set up your authenticator app" in response.content.decode()
    assert "<svg" in response.content.decode()
    assert client.get("/curriculum/").status_code == 302  # no page before the code
    device = TOTPDevice.objects.get(user=users["trainer"])
    response = client.post(
        "/accounts/two-factor/?next=/curriculum/", {"code": current_code(device)}
    )
    assert response["Location"] == "/curriculum/"
    assert client.get("/curriculum/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_with_a_plain_message(client, users, required):
    sign_in(client, "trainer")
    response = client.post("/accounts/two-factor/", {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_staff_with_an_app_enter_its_code_at_each_sign_in(client, users, required):
    device = TOTPDevice.objects.create(user=users["facilitator"], name="phone", confirmed=True)
    response = sign_in(client, "facilitator")
    assert "Enter your code" in response.content.decode()
    client.post("/accounts/two-factor/", {"code": current_code(device)})
    assert client.get("/").status_code == 200


def test_peer_support_workers_are_never_asked_for_a_code(client, users, required):
    response = sign_in(client, "trainee")
    assert response.redirect_chain[-1][0] == "/learn/"
    assert response.status_code == 200


def test_no_code_is_asked_when_the_setting_is_off(client, users, settings):
    settings.REQUIRE_TOTP_FOR_STAFF = False
    assert sign_in(client, "trainer").redirect_chain[-1][0] == "/"
