"""What a peer support worker and staff see of self-paced learning: each session's state for a
learner, the cohort's learning view, and the figures for each knowledge check."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from cohorts.models import Cohort, Delivery, Membership, SelfStudy, Trainee
from cohorts.services import Completion, completions_of
from courses.models import ProgrammePage, SessionPage
from courses.outline import LEARNER, OutlineSession, outline
from courses.rendering import visible
from evaluation.services.responses import Due, questionnaires_due
from journals.models import SupervisionAction

from ..models import CheckAnswer, StudyProgress
from .study import CHECK, studyable_programmes

ATTENDED = "attended"
CAUGHT_UP = "caught_up"
STUDIED = "studied"
MISSED = "missed"
NOT_YET = "not_yet"
STATE_LABELS = {
    ATTENDED: "Attended",
    CAUGHT_UP: "Caught up",
    STUDIED: "Studied on screen",
    MISSED: "Missed",
    NOT_YET: "Not yet",
}
SUMMARY_FIELDS = ("id", "title", "slug", "url_path", "summary", "duration")


@dataclass
class SessionState:
    item: OutlineSession
    state: str
    started: bool = False  # studying it on screen, not finished
    studied_on_screen: bool = False
    waiting_for_trainer: bool = False  # studied a missed session; a trainer has not confirmed

    @property
    def session(self) -> SessionPage:
        return self.item.session

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class ProgrammeLearning:
    programme: ProgrammePage
    cohort: Cohort | None
    sessions: list[SessionState]
    next_delivery: Delivery | None = None

    @property
    def next_step(self) -> tuple[str, SessionState | None]:
        """The next thing to do: catch up what was missed, carry on what was started, else
        get ready for the next session in the room."""
        for state in self.sessions:
            if state.state == MISSED and not state.studied_on_screen:
                return "catch_up", state
        for state in self.sessions:
            if state.started:
                return "carry_on", state
        if self.next_delivery is not None:
            found = [s for s in self.sessions if s.session.pk == self.next_delivery.session_id]
            return "next_session", found[0] if found else None
        if all(s.state in (ATTENDED, CAUGHT_UP) for s in self.sessions):
            return "done", None
        return "study", next((s for s in self.sessions if s.state == NOT_YET), None)


@dataclass
class MyLearning:
    trainee: Trainee
    programmes: list[ProgrammeLearning]
    in_a_cohort: bool
    questionnaires: list[Due] = field(default_factory=list)
    actions: list[SupervisionAction] = field(default_factory=list)


def my_learning(trainee: Trainee, today: date) -> MyLearning:
    """A peer support worker's programme(s) in order with each session's state, and what is
    due: questionnaires and supervision actions."""
    memberships = list(
        Membership.objects.filter(trainee=trainee)
        .select_related("cohort__programme")
        .order_by("-cohort__start_date")
    )
    cohorts = [m.cohort for m in memberships if m.cohort.programme.live]
    progress = {
        p.session_id: p
        for p in StudyProgress.objects.filter(trainee=trainee).only(
            "session_id", "parts_seen", "studied_at"
        )
    }
    programmes = []
    if cohorts:
        results = completions_of(cohorts)
        self_studies = _self_studies(cohorts)
        for cohort in cohorts:
            sessions = [
                _state(
                    item,
                    results[cohort.pk][trainee.pk],
                    self_studies[cohort.pk][trainee.pk].get(item.session.pk),
                    progress.get(item.session.pk),
                )
                for item in outline(cohort.programme, LEARNER, *SUMMARY_FIELDS).sessions
            ]
            upcoming = (
                Delivery.objects.filter(
                    cohort=cohort, status=Delivery.Status.PLANNED, starts_at__date__gte=today
                )
                .only("session_id", "starts_at")
                .order_by("starts_at")
                .first()
            )
            programmes.append(ProgrammeLearning(cohort.programme, cohort, sessions, upcoming))
    else:
        for programme in studyable_programmes(trainee):
            sessions = [
                _state(item, set(), None, None, progress.get(item.session.pk))
                for item in outline(programme, LEARNER, *SUMMARY_FIELDS).sessions
            ]
            programmes.append(ProgrammeLearning(programme, None, sessions))
    actions = list(
        SupervisionAction.objects.filter(done=False)
        .filter(
            Q(attendee__trainee=trainee)
            | Q(attendee__isnull=True, meeting__attendees__trainee=trainee)
        )
        .select_related("meeting")
        .distinct()
        .order_by("due_on", "pk")
    )
    return MyLearning(
        trainee=trainee,
        programmes=programmes,
        in_a_cohort=bool(cohorts),
        questionnaires=questionnaires_due(trainee, today),
        actions=actions,
    )


def _state(item, result: Completion, self_study, progress) -> SessionState:
    session_id = item.session.pk
    attended = result.attended_session_ids
    # cohorts' record of a self-study is itself proof of studying on screen (it is written when
    # the studied rule first holds, and a demo or an older install may have no progress row).
    studied = (progress is not None and progress.studied_at is not None) or self_study is not None
    started = progress is not None and bool(progress.parts_seen) and not studied
    missed = session_id in _catch_up_ids(result)
    if session_id in attended:
        state = ATTENDED
    elif self_study is not None and self_study.confirmed_at is not None:
        state = CAUGHT_UP
    elif studied:
        state = STUDIED
    elif missed:
        state = MISSED
    else:
        state = NOT_YET
    return SessionState(
        item,
        state,
        started=started,
        studied_on_screen=studied,
        waiting_for_trainer=state == STUDIED and self_study is not None and missed,
    )


def _catch_up_ids(result: Completion) -> set[int]:
    """The sessions on a member's catch-up list."""
    return {catch_up.session.pk for catch_up in result.catch_ups}


def _self_studies(cohorts) -> dict[int, dict[int, dict[int, SelfStudy]]]:
    """Each member's self-studies by cohort, trainee and session: one query."""
    found: dict = defaultdict(lambda: defaultdict(dict))
    for record in SelfStudy.objects.filter(membership__cohort__in=cohorts).select_related(
        "membership__trainee", "confirmed_by"
    ):
        found[record.membership.cohort_id][record.membership.trainee_id][record.session_id] = record
    return found


# --- Staff: the cohort's learning view ----------------------------------------------------


@dataclass
class CheckFigures:
    """How one knowledge check went: never a name."""

    session: SessionPage
    check_id: str
    question: str
    options: list[dict]
    answered: int = 0  # people who tried it
    right_first_time: int = 0
    wrong_choices: Counter = field(default_factory=Counter)  # option index -> people's tries

    @property
    def most_chosen_wrong(self) -> tuple[str, int] | None:
        if not self.wrong_choices:
            return None
        index, count = min(self.wrong_choices.items(), key=lambda item: (-item[1], item[0]))
        return self.options[index]["text"], count


@dataclass
class TraineeRow:
    trainee: Trainee
    states: list[SessionState]


@dataclass
class CohortLearning:
    cohort: Cohort
    sessions: list[OutlineSession]
    rows: list[TraineeRow]
    to_confirm: list[tuple[SelfStudy, SessionPage]]  # studied a missed session, unconfirmed
    checks: list[CheckFigures]


def cohort_learning(cohort: Cohort) -> CohortLearning:
    """Each member by session (attended, studied, caught up), the studied-but-unconfirmed
    catch-ups, and the figures per knowledge check: the same number of queries whatever the
    number of trainees."""
    plan = outline(cohort.programme, LEARNER)
    session_ids = plan.session_ids
    results = completions_of([cohort], {cohort.programme_id: session_ids})[cohort.pk]
    self_studies = _self_studies([cohort])[cohort.pk]
    trainee_ids = list(results)
    progress: dict = defaultdict(dict)
    for record in StudyProgress.objects.filter(
        trainee_id__in=trainee_ids, session_id__in=session_ids
    ).only("trainee_id", "session_id", "parts_seen", "studied_at"):
        progress[record.trainee_id][record.session_id] = record
    rows = [
        TraineeRow(
            result.trainee,
            [
                _state(
                    item,
                    result,
                    self_studies[trainee_id].get(item.session.pk),
                    progress[trainee_id].get(item.session.pk),
                )
                for item in plan.sessions
            ],
        )
        for trainee_id, result in sorted(
            results.items(), key=lambda pair: pair[1].trainee.display_name
        )
    ]
    to_confirm = [
        (self_studies[row.trainee.pk][state.session.pk], state.session)
        for row in rows
        for state in row.states
        if state.waiting_for_trainer
    ]
    answers = CheckAnswer.objects.filter(trainee_id__in=trainee_ids, session_id__in=session_ids)
    return CohortLearning(cohort, plan.sessions, rows, to_confirm, _figures(plan, answers))


def check_figures(cohorts) -> list[CheckFigures]:
    """Every knowledge check of the live sessions, with how the members of ``cohorts`` did:
    for evaluators, across cohorts and without names."""
    cohorts = list(cohorts)
    members = Membership.objects.filter(cohort__in=cohorts).values("trainee_id")
    sessions = SessionPage.objects.live().order_by("title")
    answers = CheckAnswer.objects.filter(trainee_id__in=members)
    checks = []
    for session in sessions:
        checks += _checks_of(session)
    return _count(checks, answers)


def _figures(plan, answers) -> list[CheckFigures]:
    checks = []
    for item in dict.fromkeys(i.session for i in plan.sessions):
        checks += _checks_of(item)
    return _count(checks, answers)


def _checks_of(session: SessionPage) -> list[CheckFigures]:
    return [
        CheckFigures(session, part.id, part.value["question"], part.value["options"])
        for part in visible(session, LEARNER)
        if part.block_type == CHECK
    ]


def _count(checks: list[CheckFigures], answers) -> list[CheckFigures]:
    by_key = {(c.session.pk, c.check_id): c for c in checks}
    tried: dict = defaultdict(set)
    for trainee_id, session_id, check_id, option, correct, attempt in answers.values_list(
        "trainee_id", "session_id", "check_id", "option", "correct", "attempt"
    ):
        figures = by_key.get((session_id, check_id))
        if figures is None or option >= len(figures.options):
            continue  # a check since removed or changed
        tried[(session_id, check_id)].add(trainee_id)
        if attempt == 1 and correct:
            figures.right_first_time += 1
        if not correct:
            figures.wrong_choices[option] += 1
    for key, people in tried.items():
        by_key[key].answered = len(people)
    return checks
