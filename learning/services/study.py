"""Studying a session on screen: its parts in order, the answers to its knowledge checks, how
far the learner got, and the rule that says when a session counts as studied."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.models import Cohort, Trainee
from cohorts.services import record_studied
from courses.models import ProgrammePage, SessionPage
from courses.outline import session_ids_of
from courses.rendering import LEARNER, visible
from kernel.errors import DomainError

from ..models import CheckAnswer, StudyProgress

OUTCOMES = "outcomes"  # the key of the first part: what you will learn
CHECK = "knowledge_check"
KEY_LENGTH = 64


class LearningError(DomainError):
    """An answer or a note of progress that cannot be kept: the request was wrong."""


@dataclass(frozen=True)
class StudyPart:
    """One step of studying a session: what you will learn, then each block the learner may
    see, in the session's order. ``key`` is the block's id (``outcomes`` for the first)."""

    key: str
    kind: str
    value: dict
    template: str

    @property
    def is_check(self) -> bool:
        return self.kind == CHECK


def study_parts(session: SessionPage) -> list[StudyPart]:
    """The parts of ``session`` a learner studies, with nothing trainer-only in them."""
    outcomes = {
        "summary": session.summary,
        "outcomes": [outcome.value for outcome in session.learning_outcomes],
    }
    parts = [StudyPart(OUTCOMES, OUTCOMES, outcomes, "learning/parts/outcomes.html")]
    for part in visible(session, LEARNER):
        template = "learning/parts/check.html" if part.block_type == CHECK else part.template
        parts.append(StudyPart(part.id, part.block_type, part.value, template))
    return parts


def own_trainee(user) -> Trainee | None:
    """The trainee record of a signed-in peer support worker, if they have one."""
    if not user.is_authenticated:
        return None
    return Trainee.objects.select_related("establishment").filter(user=user).first()


def studyable_programmes(trainee: Trainee) -> list[ProgrammePage]:
    """The programmes a trainee may study: their cohorts', else those their establishment
    runs cohorts of (a peer worker in no cohort yet reads ahead)."""
    mine = Cohort.objects.filter(memberships__trainee=trainee)
    if not mine.exists():
        mine = Cohort.objects.filter(establishment_id=trainee.establishment_id).exclude(
            status=Cohort.Status.CANCELLED
        )
    return list(
        ProgrammePage.objects.live().filter(pk__in=mine.values("programme")).order_by("path")
    )


def may_study(trainee: Trainee, session: SessionPage) -> bool:
    programmes = studyable_programmes(trainee)
    return any(session.pk in ids for ids in session_ids_of(programmes).values())


def record_answer(
    trainee: Trainee,
    session: SessionPage,
    parts: list[StudyPart],
    *,
    check_id,
    option,
    client_id,
    answered_at,
) -> CheckAnswer:
    """Keep one try at a knowledge check. Whether it is right is decided here, from the stored
    check. The same ``client_id`` sent again (a retry after a lost connection) returns the
    answer kept the first time; a ``client_id`` of someone else's answer is refused."""
    checks = {part.key: part for part in parts if part.is_check}
    if not isinstance(check_id, str) or check_id not in checks:
        raise LearningError("unknown_check", "There is no such question in this session.")
    options = checks[check_id].value["options"]
    if isinstance(option, bool) or not isinstance(option, int) or not 0 <= option < len(options):
        raise LearningError("unknown_option", "There is no such answer to this question.")
    client_id = _uuid(client_id)
    answered_at = _moment(answered_at)
    kept = CheckAnswer.objects.filter(client_id=client_id).first()
    if kept is not None:
        return _same_answer(kept, trainee, session)
    try:
        with transaction.atomic():
            tries = CheckAnswer.objects.filter(
                trainee=trainee, session=session, check_id=check_id
            ).count()
            answer = CheckAnswer.objects.create(
                trainee=trainee,
                session=session,
                check_id=check_id,
                option=option,
                correct=bool(options[option]["right"]),
                attempt=tries + 1,
                answered_at=answered_at,
                client_id=client_id,
            )
    except IntegrityError:
        return _same_answer(CheckAnswer.objects.get(client_id=client_id), trainee, session)
    note_if_studied(_progress(trainee, session), parts)
    return answer


def record_progress(
    trainee: Trainee, session: SessionPage, parts: list[StudyPart], *, seen, position
) -> StudyProgress:
    """Add the parts seen on the device to those kept, and where to resume."""
    keys = {part.key for part in parts}
    if not isinstance(seen, list) or len(seen) > len(keys):
        raise LearningError("bad_parts", "The parts seen are not a list of this session's parts.")
    if any(not isinstance(key, str) or key not in keys for key in seen):
        raise LearningError("unknown_part", "A part seen is not a part of this session.")
    if not isinstance(position, str) or (position and position not in keys):
        raise LearningError("unknown_part", "The place to resume is not a part of this session.")
    with transaction.atomic():
        progress = _progress(trainee, session, lock=True)
        progress.parts_seen = list(dict.fromkeys([*progress.parts_seen, *seen]))
        progress.position = position or progress.position
        progress.save(update_fields=["parts_seen", "position", "updated_at"])
    note_if_studied(progress, parts)
    return progress


def note_if_studied(progress: StudyProgress, parts: list[StudyPart]) -> bool:
    """Whether the trainee has studied the session, noting it the first time it holds.

    A session counts as studied when every part has been seen and every knowledge check has
    been answered right at least once. Seeing every part means nothing was skipped; a right
    answer at any try (not only the first) is enough, because the checks are there to learn
    from: the feedback and another try are how a slow reader gets there, and the first try of
    each is kept for the staff's figures. Studied on screen is not yet caught up: a local
    trainer confirms that after talking it through (``cohorts.services.confirm_self_study``).
    When the rule first holds, ``studied_at`` is set and each cohort of the trainee whose
    programme has the session is told (``cohorts.services.record_studied``)."""
    seen = set(progress.parts_seen)
    right = set(
        CheckAnswer.objects.filter(
            trainee_id=progress.trainee_id, session_id=progress.session_id, correct=True
        ).values_list("check_id", flat=True)
    )
    studied = all(part.key in seen and (not part.is_check or part.key in right) for part in parts)
    if studied and progress.studied_at is None:
        progress.studied_at = timezone.now()
        progress.save(update_fields=["studied_at"])
        record_studied(progress.trainee, progress.session, progress.studied_at)
    return studied


def _progress(trainee: Trainee, session: SessionPage, lock: bool = False) -> StudyProgress:
    progress, _ = StudyProgress.objects.get_or_create(trainee=trainee, session=session)
    if lock:
        progress = StudyProgress.objects.select_for_update().get(pk=progress.pk)
    progress.trainee, progress.session = trainee, session
    return progress


def _same_answer(answer: CheckAnswer, trainee: Trainee, session: SessionPage) -> CheckAnswer:
    if answer.trainee_id != trainee.pk or answer.session_id != session.pk:
        raise LearningError("client_id_taken", "This answer cannot be kept.")
    return answer


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise LearningError("bad_client_id", "The answer has no proper id.") from None


def _moment(value) -> datetime:
    """When the device says the answer was given; never later than now (a device's clock can be
    wrong, and an answer from the future would sort after every later one)."""
    try:
        moment = datetime.fromisoformat(str(value))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return min(moment.astimezone(UTC), timezone.now())
    except (ValueError, OverflowError):
        raise LearningError("bad_time", "The time of the answer is not a time.") from None
