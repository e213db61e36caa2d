"""Completion certificates: issued once to a trainee who completed, with a random reference
that staff can check."""

import re
import secrets

from django.db import IntegrityError, transaction

from kernel import clock

from ..models import Certificate, Cohort, Membership, Trainee
from .catch_ups import CatchUp
from .records import COMPLETED, CohortError, completion

REFERENCE_PREFIX = "PST"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread
REFERENCE_GROUPS = 2
REFERENCE_GROUP_LENGTH = 4
CATCH_UPS_ON_THE_FRONT = 2  # more, and the certificate lists them on a second page


def new_certificate_reference() -> str:
    """A random reference such as PST-7KQM-W9XD: 32^8 (about a million million) possibilities,
    chosen by ``secrets`` and unrelated to the trainee, the cohort or any record number."""
    groups = (
        "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_GROUP_LENGTH))
        for _ in range(REFERENCE_GROUPS)
    )
    return "-".join((REFERENCE_PREFIX, *groups))


def normalise_certificate_reference(typed: str) -> str:
    """The reference as printed, from what someone typed: any case, spaces, dashes or none."""
    characters = re.sub(r"[^0-9A-Z]", "", typed.upper())
    if characters.startswith(REFERENCE_PREFIX):
        characters = characters[len(REFERENCE_PREFIX) :]
    groups = [
        characters[i : i + REFERENCE_GROUP_LENGTH]
        for i in range(0, len(characters), REFERENCE_GROUP_LENGTH)
    ]
    return "-".join((REFERENCE_PREFIX, *groups))


def certificate_signatory(cohort: Cohort) -> str:
    """Who signs: the establishment's named signatory, or else the cohort's lead trainer."""
    if cohort.establishment.certificate_signatory:
        return cohort.establishment.certificate_signatory
    name = cohort.lead_trainer.get_full_name() if cohort.lead_trainer else ""
    return f"{name}, Lead trainer" if name else "Lead trainer"


def issue_certificate(cohort: Cohort, trainee: Trainee, by) -> Certificate:
    """The trainee's completion certificate for the cohort, issued the first time it is asked
    for and the same one ever after. Only for a trainee who completed the programme."""
    existing = Certificate.objects.filter(cohort=cohort, trainee=trainee).first()
    if existing is not None:
        return existing
    membership = Membership.objects.filter(cohort=cohort, trainee=trainee).first()
    if membership is None:
        raise CohortError("not_a_member", "This trainee is not in this cohort.")
    result = completion(membership)
    if result.status != COMPLETED:
        raise CohortError(
            "not_completed",
            f"{trainee.display_name} has not completed the programme yet: they have done "
            f"{result.sessions_done} of its {result.required_sessions} sessions.",
        )
    for _ in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    cohort=cohort,
                    trainee=trainee,
                    reference=new_certificate_reference(),
                    completed_on=result.completed_on,
                    signatory=certificate_signatory(cohort),
                    issued_on=clock.today(),
                    issued_by=by,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(cohort=cohort, trainee=trainee).first()
            if existing is not None:  # issued at the same moment by someone else
                return existing
    raise CohortError("no_reference", "No free certificate reference was found. Try again.")


def certificate_catch_ups(membership: Membership) -> tuple[CatchUp, ...]:
    """The sessions the certificate says were caught up by self-study, each with who confirmed
    it and when: the member did not attend them, and a trainer talked them through."""
    return completion(membership).caught_up_by_self_study


def find_certificate(reference: str) -> Certificate | None:
    """The certificate with this reference, however it was typed, or None."""
    return (
        Certificate.objects.select_related("trainee", "cohort__establishment", "cohort__programme")
        .filter(reference=normalise_certificate_reference(reference))
        .first()
    )
