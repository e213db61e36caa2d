"""The demo's journals and supervision at HMP Example, through the same rules as the screens:
supervision that mostly happens (two peer workers overdue, so the flag shows), an offload after
an incident, a trainee's reflection shared with their trainer and answered, and a trainer's own
reflection on a session they led."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from cohorts.models import Trainee
from kernel import clock

from .models import Framework, JournalEntry, SupervisionMeeting
from .services import (
    ActionRecord,
    AttendeeRecord,
    add_comment,
    record_meeting,
    save_entry,
    share_entry,
)

GROUP_WELLBEING = {"Ash": 4, "Big Lou": 3, "Dee": 4, "Jay": 5, "Marcus": 3, "Tommo": 4}


def load_demo_journals(story, today: date | None = None) -> None:
    today = today or clock.today()
    users = {u.username: u for u in get_user_model().objects.all()}
    workers = {t.display_name: t for t in Trainee.objects.filter(establishment=story.example)}
    trainer = users["trainer"]

    record_meeting(
        establishment=story.example,
        supervisor=trainer,
        held_on=today - timedelta(days=20),
        kind=SupervisionMeeting.Kind.GROUP,
        framework=Framework.WHAT,
        attendees=[
            AttendeeRecord(
                workers[name],
                wellbeing,
                "Talked through a busy week on the older prisoners' landing.",
            )
            for name, wellbeing in GROUP_WELLBEING.items()
        ],
        actions=[
            ActionRecord("Ask healthcare for a refresher on safe walking aids.", today),
            ActionRecord(
                "Write down what happened on Tuesday, in your journal.",
                today - timedelta(days=13),
                workers["Big Lou"],
            ),
        ],
        today=today,
    )
    record_meeting(
        establishment=story.example,
        supervisor=trainer,
        held_on=today - timedelta(days=9),
        kind=SupervisionMeeting.Kind.OFFLOAD,
        framework=Framework.GIBBS,
        attendees=[
            AttendeeRecord(
                workers["Dee"],
                2,
                "Found the man he helps on the floor of his cell and called an officer, as "
                "trained. Shaken. Talked it through; he did the right thing.",
            )
        ],
        actions=[ActionRecord("Check in with Dee again this week.", today + timedelta(days=3))],
        today=today,
    )
    record_meeting(
        establishment=story.example,
        supervisor=users["officer"],
        held_on=today - timedelta(weeks=8),
        kind=SupervisionMeeting.Kind.ONE_TO_ONE,
        attendees=[AttendeeRecord(workers["Kenny"], 4, "Settled in the role. Wants more shifts.")],
        today=today,
    )

    frankie = Trainee.objects.get(user=users["trainee"])
    entry = save_entry(
        JournalEntry(trainee=frankie),
        title="Helping at mealtimes",
        written_on=today - timedelta(days=1),
        framework=Framework.GIBBS,
        prompt="Think about a time you helped someone this week.",
        sections={
            "description": "I fetched a meal for a man on the landing who uses a frame.",
            "feelings": "I was nervous at first. Then I felt useful.",
            "evaluation": "He was pleased. I did not rush him.",
            "analysis": "Asking him what he wanted helped most.",
            "conclusion": "I could have told the officer he was low on water.",
            "action_plan": "Next time I will **ask about water** too.",
        },
    )
    share_entry(entry, trainer)
    add_comment(entry, trainer, "Well done for asking him first. That is just right.")

    save_entry(
        JournalEntry(staff_author=trainer),
        title="Leading Care for Older Adults for the first time",
        written_on=today - timedelta(days=2),
        framework=Framework.WHAT,
        sections={
            "what": "I led the session on my own, with the facilitator watching.",
            "so_what": "The group talked more than when the facilitator led it.",
            "now_what": "Leave more time for the case study.",
        },
    )
