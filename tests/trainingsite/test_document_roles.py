"""Documents follow roles: what is filed under "Trainer material" is served to facilitators,
local trainers and the education department, never to peer support workers or evaluators."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ANSWERS = b"%PDF-1.4 the knowledge check answers"
HANDOUT = b"%PDF-1.4 a handout for everyone"


@pytest.fixture
def documents(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Document = get_document_model()
    trainer_material = Collection.objects.get(name="Trainer material")
    answers = Document(title="Answers", collection=trainer_material)
    answers.file.save("answers.pdf", ContentFile(ANSWERS), save=True)
    handout = Document(title="Handout", collection=Collection.get_first_root_node())
    handout.file.save("handout.pdf", ContentFile(HANDOUT), save=True)
    return answers, handout


def download(client, document):
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def test_the_trainer_material_collection_is_kept_for_the_staff_roles(db):
    restriction = Collection.objects.get(name="Trainer material").get_view_restrictions().get()

    assert restriction.restriction_type == "groups"
    assert sorted(restriction.groups.values_list("name", flat=True)) == [
        "Education department",
        "Facilitator",
        "Local trainer",
    ]


@pytest.mark.parametrize("role", ["facilitator", "trainer", "education"])
def test_staff_download_trainer_material(client_for, documents, role):
    answers, handout = documents

    assert download(client_for(role), answers) == (200, ANSWERS)
    assert download(client_for(role), handout) == (200, HANDOUT)


@pytest.mark.parametrize("role", ["trainee", "evaluator"])
def test_trainees_and_evaluators_are_refused_trainer_material(client_for, users, documents, role):
    answers, handout = documents

    assert download(client_for(role), answers)[0] == 403
    assert download(client_for(role), handout) == (200, HANDOUT)
    refused = AuditEvent.objects.get(action=AuditEvent.Action.REFUSED, user=users[role])
    assert refused.what == f"GET {answers.url}"


def test_an_administrator_downloads_trainer_material(client, django_user_model, documents):
    answers, _ = documents
    client.force_login(django_user_model.objects.create_superuser("root", password="x-y-z-123"))

    assert download(client, answers) == (200, ANSWERS)


def test_signed_out_people_are_sent_to_sign_in(client, documents):
    answers, handout = documents

    for document in (answers, handout):
        response = client.get(document.url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
