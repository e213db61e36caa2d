"""Participant codes: the random code reports and exports show instead of a trainee's name."""

from django.db import IntegrityError

from cohorts.models import (
    Trainee,
)

from ..models import (
    ParticipantCode,
)
from .questionnaires import EvaluationError


def participant_code(trainee: Trainee) -> str:
    """The trainee's participant code, made the first time it is asked for and kept. Safe when
    two requests make it at once; a random code drawn twice is drawn again."""
    for _ in range(5):
        try:
            code, _ = ParticipantCode.objects.get_or_create(trainee=trainee)
            return code.code
        except IntegrityError:  # the random code is someone else's: draw again
            continue
    raise EvaluationError("no_code", "No free participant code was found. Try again.")


def participant_codes(trainees) -> dict[int, str]:
    """Participant codes by trainee id for many trainees (or trainee ids) at once, making the
    missing ones: one query when all exist, three when some are new."""
    ids = {t.pk if isinstance(t, Trainee) else t for t in trainees}
    if not ids:
        return {}
    known = ParticipantCode.objects.filter(trainee_id__in=ids).values_list("trainee_id", "code")
    codes = dict(known)
    missing = ids - codes.keys()
    if missing:
        ParticipantCode.objects.bulk_create(
            [ParticipantCode(trainee_id=pk) for pk in sorted(missing)], ignore_conflicts=True
        )
        made = ParticipantCode.objects.filter(trainee_id__in=missing)
        codes.update(made.values_list("trainee_id", "code"))
        for pk in missing - codes.keys():  # its random code was taken: draw again
            codes[pk] = participant_code(Trainee(pk=pk))
    return codes
