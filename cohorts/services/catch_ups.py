"""A member's catch-up list: the programme's sessions they did not attend and either missed
(held without them) or studied on screen. Each says whether it is still needed, studied and
waiting for a trainer to confirm it, or caught up by self-study (confirmed). ``records`` builds
the list as part of completion; only a confirmed self-study counts there."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.dateformat import format as format_date

from kernel.people import person_name

from ..models import SelfStudy

NEEDED, WAITING, CAUGHT_UP = "needed", "waiting", "caught_up"
CATCH_UP_LABELS = {
    NEEDED: "Needs to catch up",
    WAITING: "Studied on screen: waiting for a trainer to confirm",
    CAUGHT_UP: "Caught up by self-study",
}

# What completion reads of a self-study: never the session's content, which is large to load.
SELF_STUDY_FIELDS = (
    "membership_id",
    "session_id",
    "studied_at",
    "confirmed_at",
    "talked_on",
    "session__title",
    "confirmed_by__username",
    "confirmed_by__first_name",
    "confirmed_by__last_name",
)


@dataclass(frozen=True)
class CatchUp:
    """One session on a member's catch-up list. ``self_study`` is their study of it on screen,
    if any (confirmed or not)."""

    session: object  # courses.SessionPage, its title loaded
    self_study: SelfStudy | None = None

    @property
    def state(self) -> str:
        if self.self_study is None:
            return NEEDED
        return CAUGHT_UP if self.self_study.confirmed_at is not None else WAITING

    @property
    def caught_up(self) -> bool:
        return self.state == CAUGHT_UP

    @property
    def waiting(self) -> bool:
        return self.state == WAITING

    @property
    def label(self) -> str:
        return CATCH_UP_LABELS[self.state]

    @property
    def talked_on(self) -> date | None:
        return self.self_study.talked_on if self.caught_up else None

    @property
    def confirmed_by(self) -> str:
        """Who confirmed the catch-up, by name (empty until confirmed)."""
        return person_name(self.self_study.confirmed_by) if self.caught_up else ""

    @property
    def confirmation(self) -> str:
        """The catch-up in words, for pages, certificates and reports."""
        if self.caught_up:
            return (
                f"Caught up by self-study, confirmed by {self.confirmed_by} "
                f"on {format_date(self.talked_on, 'j M Y')}"
            )
        if self.waiting:
            studied_on = timezone.localdate(self.self_study.studied_at)
            return f"Studied on screen on {format_date(studied_on, 'j M Y')}: not confirmed yet"
        return "Not caught up yet"


def self_studies_of(cohorts) -> dict[int, dict[int, SelfStudy]]:
    """Every self-study of the members of ``cohorts``, by membership id then session id: one
    query."""
    studies: dict[int, dict[int, SelfStudy]] = defaultdict(dict)
    for study in (
        SelfStudy.objects.filter(membership__cohort__in=cohorts)
        .select_related("session", "confirmed_by")
        .only(*SELF_STUDY_FIELDS)
    ):
        studies[study.membership_id][study.session_id] = study
    return studies


def catch_up_list(required, attended, missed: dict, studies: dict) -> tuple[CatchUp, ...]:
    """In the programme's order: each required session not ``attended`` that was ``missed``
    (session id -> session) or studied on screen (``studies``, session id -> self-study)."""
    catch_ups = []
    for session_id in required:
        if session_id in attended:
            continue
        study = studies.get(session_id)
        if session_id in missed:
            catch_ups.append(CatchUp(missed[session_id], study))
        elif study is not None:
            catch_ups.append(CatchUp(study.session, study))
    return tuple(catch_ups)
