"""The demo's supervision and journals tell a believable story and obey the rules."""

from datetime import date

import pytest

from cohorts.demo import load_demo_cohorts
from journals.demo import load_demo_journals
from journals.models import JournalEntry, SupervisionMeeting
from journals.services import supervision_overdue

TODAY = date(2026, 11, 26)


@pytest.fixture
def story(users):
    story = load_demo_cohorts("demo-password", today=TODAY)
    load_demo_journals(story, today=TODAY)
    return story


def test_two_active_peer_workers_are_overdue_for_supervision(story):
    overdue = supervision_overdue(story.example, TODAY)
    assert sorted(item.trainee.display_name for item in overdue) == ["Kenny", "Sully"]


def test_an_offload_followed_the_incident(story):
    offload = SupervisionMeeting.objects.get(kind=SupervisionMeeting.Kind.OFFLOAD)
    assert [a.trainee.display_name for a in offload.attendees.all()] == ["Dee"]


def test_the_trainees_reflection_is_shared_with_the_trainer_and_answered(story, users):
    entry = JournalEntry.objects.get(trainee__user=users["trainee"])
    assert [s.supervisor.username for s in entry.shares.all()] == ["trainer"]
    assert entry.comments.count() == 1
    assert JournalEntry.objects.filter(staff_author=users["trainer"]).count() == 1
