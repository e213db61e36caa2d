"""Log-in lockout per username, session limits and password rules."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.1.1.1")


def test_tenth_wrong_password_locks_that_username(client, users):
    answers = [sign_in(client, "trainer", "wrong-password").status_code for _ in range(10)]
    assert answers[:9] == [200] * 9  # the form again, with an error
    assert answers[9] == 429
    assert sign_in(client, "trainer", PASSWORD).status_code == 429


def test_a_lockout_does_not_lock_another_user_on_the_same_address(client, users):
    for _ in range(10):
        sign_in(client, "trainer", "wrong-password")
    response = sign_in(client, "trainee", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/learn/"  # a peer support worker lands on My learning


def test_nine_wrong_passwords_then_the_right_one_signs_in(client, users):
    for _ in range(9):
        sign_in(client, "trainer", "wrong-password")
    assert sign_in(client, "trainer", PASSWORD).status_code == 302


def age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_an_idle_session_expires(client_for, settings):
    client = client_for("trainer")
    assert client.get("/").status_code == 200
    age_session(client, last_seen=settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get("/curriculum/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get("/").status_code == 302  # signed out, not just refused once


def test_a_session_in_use_stays_signed_in(client_for, settings):
    client = client_for("trainer")
    client.get("/")
    age_session(client, last_seen=settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get("/").status_code == 200


def test_a_session_ends_at_the_absolute_limit_even_when_busy(client_for, settings):
    client = client_for("trainer")
    client.get("/")
    age_session(client, signed_in_at=settings.SESSION_ABSOLUTE_LIMIT + 5, last_seen=1)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "trainer2024"])
def test_weak_passwords_are_refused(users, password):
    with pytest.raises(ValidationError):
        validate_password(password, users["trainer"])


def test_a_wrong_password_says_so_plainly(client, users):
    response = sign_in(client, "trainer", "wrong-password")
    assert "The username or password is not right" in response.content.decode()
