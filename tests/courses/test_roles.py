"""Who may open what: the role rules of the training site."""

import pytest
from django.contrib.auth.models import Group

from kernel import roles

SESSION = "/curriculum/communication-in-care/"
PAGES = {
    "home": "/",
    "curriculum": "/curriculum/",
    "programme": "/curriculum/three-day-programme/",
    "reading": SESSION,
    "trainer": SESSION + "trainer/",
    "slides": SESSION + "slides/",
    "presenter": SESSION + "presenter/",
    "present": "/present/?session=communication-in-care",
    "offline deck": SESSION + "offline/",
    "offline worker": "/curriculum/offline-worker.js",
}
OK, REDIRECT, FORBIDDEN = 200, 302, 403
EXPECTED = {
    # role: {page: status}; pages not named answer 200
    "facilitator": {"present": REDIRECT},
    "trainer": {"present": REDIRECT},
    "education": {
        "slides": FORBIDDEN,
        "presenter": FORBIDDEN,
        "present": FORBIDDEN,
        "offline deck": FORBIDDEN,
        "offline worker": FORBIDDEN,
    },
    "trainee": {
        "trainer": FORBIDDEN,
        "slides": FORBIDDEN,
        "presenter": FORBIDDEN,
        "present": FORBIDDEN,
        "offline deck": FORBIDDEN,
        "offline worker": FORBIDDEN,
    },
    "evaluator": {
        "trainer": FORBIDDEN,
        "slides": FORBIDDEN,
        "presenter": FORBIDDEN,
        "present": FORBIDDEN,
        "offline deck": FORBIDDEN,
        "offline worker": FORBIDDEN,
    },
}


def test_the_five_roles_are_created_by_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        roles.FACILITATOR,
        roles.LOCAL_TRAINER,
        roles.EDUCATION,
        roles.PEER_SUPPORT_WORKER,
        roles.EVALUATOR,
    }


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("page", PAGES)
def test_each_role_gets_the_expected_answer(client_for, role, page):
    response = client_for(role).get(PAGES[page])
    assert response.status_code == EXPECTED[role].get(page, OK)


@pytest.mark.parametrize("page", PAGES)
def test_everything_needs_a_login(client, db, page):
    response = client.get(PAGES[page])
    assert response.status_code == REDIRECT
    assert response["Location"].startswith("/accounts/login/")


def test_health_check_needs_no_login_and_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_login_page_needs_no_login(client, db):
    assert client.get("/accounts/login/").status_code == OK


def test_present_goes_to_the_slides_of_the_chosen_session(client_for):
    response = client_for("trainer").get(PAGES["present"])
    assert response["Location"] == SESSION + "slides/"


def test_trainee_sees_no_present_or_trainer_links(client_for):
    html = client_for("trainee").get(SESSION).content.decode()
    assert "Present slides" not in html
    assert "Trainer version" not in html


@pytest.mark.parametrize(
    ("role", "can_edit"),
    [
        ("facilitator", True),
        ("trainer", False),
        ("education", False),
        ("trainee", False),
        ("evaluator", False),
    ],
)
def test_only_facilitators_open_the_curriculum_editor(client_for, role, can_edit):
    from courses.models import SessionPage

    session = SessionPage.objects.get(slug="communication-in-care")
    response = client_for(role).get(f"/admin/pages/{session.pk}/edit/")
    assert (response.status_code == OK) is can_edit


def test_every_role_holds_the_permissions_roles_py_promises(db):
    from django.contrib.auth.models import Group

    from kernel.roles import ROLE_PERMISSIONS

    for name, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert set(permissions) <= held, name
