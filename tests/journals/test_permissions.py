"""Every journal entry URL, for every role: what each one is answered.

Sam (the ``trainee`` user) wrote an entry and shared it with the local trainer. Staff work at
``home``; Dee is a trainee there with no login, Reece one at ``elsewhere``. A role without the
permission gets 403; an entry someone may not read, or a trainee of another prison, is 404 as
if it did not exist; someone not signed in is sent to the login page.
"""

from datetime import date

import pytest
from django.urls import reverse

from cohorts.models import Trainee
from journals.models import Framework, JournalEntry, Share

pytestmark = pytest.mark.usefixtures("staff_at_home")

ROLES = ["facilitator", "trainer", "education", "trainee", "evaluator", None]
LOGIN = "login"

# (method, url name, argument) -> answer by role
EXPECTED = {
    ("get", "journal_list", None): {
        "facilitator": 200, "trainer": 200, "education": 403, "trainee": 200, "evaluator": 403,
    },
    ("get", "new_entry", None): {
        "facilitator": 200, "trainer": 200, "education": 403, "trainee": 200, "evaluator": 403,
    },
    ("get", "entry_detail", "entry"): {
        "facilitator": 404, "trainer": 200, "education": 404, "trainee": 200, "evaluator": 404,
    },
    ("get", "edit_entry", "entry"): {
        "facilitator": 404, "trainer": 404, "education": 403, "trainee": 200, "evaluator": 403,
    },
    ("post", "edit_entry", "entry"): {
        "facilitator": 404, "trainer": 404, "education": 403, "trainee": 302, "evaluator": 403,
    },
    ("get", "share_entry", "entry"): {
        "facilitator": 405, "trainer": 405, "education": 405, "trainee": 405, "evaluator": 405,
    },
    ("post", "share_entry", "entry"): {
        "facilitator": 404, "trainer": 404, "education": 403, "trainee": 302, "evaluator": 403,
    },
    ("post", "add_comment", "entry"): {
        "facilitator": 404, "trainer": 302, "education": 404, "trainee": 403, "evaluator": 404,
    },
    ("get", "on_behalf_entry", "paper"): {
        "facilitator": 200, "trainer": 200, "education": 403, "trainee": 403, "evaluator": 403,
    },
    ("get", "on_behalf_entry", "outsider"): {
        "facilitator": 404, "trainer": 404, "education": 403, "trainee": 403, "evaluator": 403,
    },
}  # fmt: skip

CASES = [(method, name, argument, role) for (method, name, argument) in EXPECTED for role in ROLES]


@pytest.fixture
def places(users, home, elsewhere, own_trainee):
    entry = JournalEntry.objects.create(
        trainee=own_trainee,
        title="A hard day",
        written_on=date(2026, 11, 20),
        framework=Framework.FREE,
        sections={"text": "Someone shouted."},
    )
    Share.objects.create(entry=entry, supervisor=users["trainer"])
    return {
        "entry": entry.pk,
        "paper": Trainee.objects.create(establishment=home, display_name="Dee").pk,
        "outsider": Trainee.objects.create(establishment=elsewhere, display_name="Reece").pk,
    }


def form_for(name: str) -> dict:
    if name == "edit_entry":
        return {
            "title": "A hard day",
            "written_on": "2026-11-20",
            "framework": "free",
            "sections_framework": "free",
            "section-text": "Someone shouted.",
        }
    if name == "add_comment":
        return {"text": "Thank you for sharing."}
    return {"stop": "0"}


@pytest.mark.parametrize(("method", "name", "argument", "role"), CASES)
def test_every_journal_url_answers_each_role(client, users, places, method, name, argument, role):
    if role:
        client.force_login(users[role])
    url = reverse(f"journals:{name}", args=[places[argument]] if argument else [])
    if method == "post":
        response = client.post(url, form_for(name))
    else:
        response = client.get(url)
    if role is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse(LOGIN))
    else:
        assert response.status_code == EXPECTED[(method, name, argument)][role]
