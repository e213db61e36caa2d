"""The demo's self-paced learning: the signed-in peer support worker of cycle 2 part-way
through a session of today's day, with one check answered wrongly and then rightly. Goes
through the rules (``learning.services``), as a learner's tablet would."""

import uuid
from datetime import timedelta

from django.utils import timezone

from cohorts.models import Attendance, Trainee
from courses.outline import outline

from .services import record_answer, record_progress, study_parts

PARTS_SEEN = 4  # of the session's parts, from the first


def load_demo_learning(story) -> None:
    trainee = Trainee.objects.get(user__username="trainee")
    attended = set(
        Attendance.objects.filter(trainee=trainee, mark__in=Attendance.ATTENDED).values_list(
            "delivery__session_id", flat=True
        )
    )
    session = next(
        item.session
        for item in _outline(story.cycle_2)
        if item.session.pk not in attended and _checks(item.session)
    )
    parts = study_parts(session)
    record_progress(
        trainee,
        session,
        parts,
        seen=[part.key for part in parts[:PARTS_SEEN]],
        position=parts[PARTS_SEEN - 1].key,
    )
    check = _checks(session)[0]
    options = check.value["options"]
    wrong = next(i for i, option in enumerate(options) if not option["right"])
    right = next(i for i, option in enumerate(options) if option["right"])
    started = timezone.now() - timedelta(hours=20)
    for minutes, option in ((0, wrong), (1, right)):
        record_answer(
            trainee,
            session,
            parts,
            check_id=check.key,
            option=option,
            client_id=uuid.uuid4(),
            answered_at=(started + timedelta(minutes=minutes)).isoformat(),
        )


def _outline(cohort):
    return outline(cohort.programme).sessions


def _checks(session):
    return [part for part in study_parts(session) if part.is_check]
