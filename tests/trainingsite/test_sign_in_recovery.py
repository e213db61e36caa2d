"""Getting back in when locked out: staff of a peer support worker's own establishment, or an
administrator for anyone, set a temporary password; at the next sign-in its holder must choose
their own before any page. Both steps are audited (never the password). The admin's e-mail
reset answers the same to everyone: 404 without mail, the form with it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from audit.models import AuditEvent
from cohorts.models import StaffProfile, Trainee
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
CHANGE = "/accounts/password/"
RESET = "/admin/password_reset/"


def set_for(user) -> str:
    return f"/accounts/temporary-password/{user.pk}/"


def sign_in(username, password) -> tuple[Client, object]:
    client = Client()
    answer = client.post(LOGIN, {"username": username, "password": password})
    return client, answer


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", password=PASSWORD)


def test_staff_of_the_trainees_prison_set_a_temporary_password(
    client_for, users, staff_at_home, own_trainee
):
    client = client_for("trainer")
    confirm = client.get(set_for(users["trainee"]))
    assert confirm.status_code == 200
    assert b"Set a temporary password for" in confirm.content
    answer = client.post(set_for(users["trainee"]))
    password = answer.context["password"]
    assert password.encode() in answer.content
    assert not sign_in("trainee", PASSWORD)[1].status_code == 302  # the old one stops working
    _, signed_in = sign_in("trainee", password)
    assert signed_in.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD)
    assert (event.user, event.what) == (
        users["trainer"],
        f"temporary password for user {users['trainee'].pk}",
    )
    assert password not in event.what


def test_a_temporary_password_must_be_changed_before_any_page(users, admin_user):
    from cohorts.passwords import set_temporary_password

    password = set_temporary_password(admin_user, users["trainer"])
    client, answer = sign_in("trainer", password)
    assert answer.status_code == 302
    for page in ("/", "/cohorts/", "/journal/", "/admin/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{CHANGE}?next="), page
    assert b"You signed in with a temporary password" in client.get(CHANGE).content

    wrong = client.post(
        CHANGE,
        {"old_password": "not-it", "new_password1": "brave-otter-94", "new_password2": "x"},
    )
    assert wrong.status_code == 400
    assert b"That is not the password you were given" in wrong.content
    done = client.post(
        CHANGE + "?next=/journal/",
        {
            "old_password": password,
            "new_password1": "brave-otter-94",
            "new_password2": "brave-otter-94",
        },
    )
    assert done["Location"] == "/journal/"
    assert client.get("/journal/").status_code == 200
    assert sign_in("trainer", "brave-otter-94")[1].status_code == 302
    assert list(
        AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD)
        .order_by("pk")
        .values_list("what", flat=True)
    ) == [
        f"temporary password for user {users['trainer'].pk}",
        f"own password chosen by user {users['trainer'].pk}",
    ]


def test_setting_a_temporary_password_lifts_a_lockout(client, users, admin_user):
    for _ in range(10):
        client.post(LOGIN, {"username": "trainee", "password": "wrong-password"})
    assert sign_in("trainee", PASSWORD)[1].status_code == 429
    from cohorts.passwords import set_temporary_password

    password = set_temporary_password(admin_user, users["trainee"])
    assert sign_in("trainee", password)[1].status_code == 302


@pytest.mark.parametrize(
    "who, whom",
    [
        ("trainer", "facilitator"),  # staff never reset staff
        ("trainee", "trainee"),  # nor anyone themselves
        ("evaluator", "trainee"),
    ],
)
def test_nobody_else_may_set_one(client_for, users, staff_at_home, own_trainee, who, whom):
    client = client_for(who)
    assert client.get(set_for(users[whom])).status_code == 404
    assert client.post(set_for(users[whom])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD).exists()


def test_staff_of_another_prison_may_not_set_one(client_for, users, elsewhere, own_trainee):
    StaffProfile.objects.create(user=users["trainer"], discipline="nurse").establishments.add(
        elsewhere
    )
    assert client_for("trainer").post(set_for(users["trainee"])).status_code == 404


def test_an_administrator_may_set_one_for_staff(client, users, admin_user):
    client.force_login(admin_user)
    assert "password" in client.post(set_for(users["facilitator"])).context


def test_the_trainee_page_offers_it_to_staff(client_for, users, staff_at_home, own_trainee):
    page = client_for("trainer").get(f"/cohorts/trainees/{own_trainee.pk}/")
    assert set_for(users["trainee"]).encode() in page.content
    no_login = Trainee.objects.create(establishment=staff_at_home, display_name="Paper")
    page = client_for("trainer").get(f"/cohorts/trainees/{no_login.pk}/")
    assert b"Set a temporary password" not in page.content


def test_the_admin_user_list_offers_it_to_administrators(client, users, admin_user):
    client.force_login(admin_user)
    assert set_for(users["trainee"]).encode() in client.get("/admin/users/").content


@pytest.mark.parametrize("username", [None, "trainee", "facilitator"])
def test_the_admin_email_reset_is_not_found_for_anyone_without_mail(client, users, username):
    if username:
        client.force_login(users[username])
    assert client.get(RESET).status_code == 404
    assert b"password_reset" not in client.get("/admin/login/").content


@pytest.mark.parametrize("username", [None, "trainee"])
def test_with_mail_the_admin_email_reset_answers_everyone(client, users, settings, username):
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = True
    if username:
        client.force_login(users[username])
    assert client.get(RESET).status_code == 200
