"""Curriculum review: a facilitator submits a change, another facilitator approves it."""

import pytest
from django.urls import reverse

from courses.models import SessionPage


@pytest.fixture
def submitted(users):
    """Hand Hygiene with a new summary, submitted for review by `facilitator`."""
    session = SessionPage.objects.get(slug="hand-hygiene")
    session.summary = "A changed summary waiting for review."
    session.save_revision(user=users["facilitator"])
    workflow_state = session.get_workflow().start(session, users["facilitator"])
    return session, workflow_state.current_task_state


def approve(client, session, task_state):
    url = reverse("wagtailadmin_pages:workflow_action", args=[session.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "Checked against the source notes."})


def test_sessions_are_under_the_curriculum_review_workflow(db):
    assert SessionPage.objects.get(slug="hand-hygiene").get_workflow().name == "Curriculum review"


def test_facilitators_cannot_publish_without_review(users):
    session = SessionPage.objects.get(slug="hand-hygiene")
    permissions = session.permissions_for_user(users["facilitator"])
    assert permissions.can_edit()
    assert not permissions.can_publish()


def test_a_facilitator_cannot_approve_their_own_change(client_for, submitted):
    session, task_state = submitted
    approve(client_for("facilitator"), session, task_state)
    session.refresh_from_db()
    assert session.summary != "A changed summary waiting for review."
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


def test_another_facilitator_approves_and_the_change_is_published(client_for, submitted):
    session, task_state = submitted
    approve(client_for("reviewer"), session, task_state)
    session.refresh_from_db()
    assert session.summary == "A changed summary waiting for review."
    assert session.live


def test_a_local_trainer_cannot_approve(client_for, submitted):
    session, task_state = submitted
    approve(client_for("trainer"), session, task_state)
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
