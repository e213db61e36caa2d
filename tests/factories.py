"""Pages built for one test, with only what that test needs."""

import itertools

from courses.models import CurriculumIndexPage, ProgrammePage, SessionPage
from courses.outline import outline

_numbers = itertools.count(1)


def section(n: int) -> dict:
    return {
        "type": "section",
        "value": {
            "heading": f"Part {n}",
            "text": f"<p>Text of part {n}.</p>",
            "slide_points": ["One point", "Another point"],
            "appears_in": ["slides", "workbook", "trainer"],
        },
    }


def make_session(blocks: int = 4, **fields) -> SessionPage:
    number = next(_numbers)
    session = SessionPage(
        title=fields.pop("title", f"Test session {number}"),
        slug=fields.pop("slug", f"test-session-{number}"),
        summary="A session made for a test.",
        duration=60,
        suggested_deliverer="nurse",
        learning_outcomes=[{"type": "outcome", "value": "Learn a thing"}],
        body=[section(n) for n in range(blocks)],
        **fields,
    )
    CurriculumIndexPage.objects.get().add_child(instance=session)
    session.save_revision().publish()
    return session


def sessions_of(programme: ProgrammePage) -> list[SessionPage]:
    """The programme's live sessions in timetable order, as its outline gives them."""
    return [item.session for item in outline(programme).sessions]


def make_programme(sessions: list[SessionPage], days: int = 5) -> ProgrammePage:
    number = next(_numbers)
    per_day = max(1, len(sessions) // days)
    day_blocks = [
        {
            "type": "day",
            "value": {
                "title": f"Day {d + 1}",
                "slots": [
                    {"session": s.pk, "start_time": "09:30", "local_staff": i % 2 == 0}
                    for i, s in enumerate(sessions[d * per_day : (d + 1) * per_day])
                ],
            },
        }
        for d in range(days)
    ]
    programme = ProgrammePage(
        title=f"Test programme {number}",
        slug=f"test-programme-{number}",
        purpose="For a test.",
        format="Five days",
        days=day_blocks,
    )
    CurriculumIndexPage.objects.get().add_child(instance=programme)
    programme.save_revision().publish()
    return programme


def make_cohort(sessions: int = 3, trainees: int = 3, **fields):
    """A cohort of a programme of ``sessions`` sessions, with ``trainees`` members."""
    from datetime import date

    from cohorts.models import Cohort, Establishment, Membership, Trainee

    number = next(_numbers)
    establishment = fields.pop("establishment", None) or Establishment.objects.create(
        name=f"HMP Test {number}", code=f"hmp-test-{number}"
    )
    programme = make_programme([make_session() for _ in range(sessions)], days=1)
    cohort = Cohort.objects.create(
        establishment=establishment,
        programme=programme,
        name=f"Cohort {number}",
        start_date=fields.pop("start_date", date(2026, 1, 5)),
        **fields,
    )
    for n in range(trainees):
        trainee = Trainee.objects.create(
            establishment=establishment, display_name=f"Trainee {n + 1}"
        )
        Membership.objects.create(cohort=cohort, trainee=trainee)
    return cohort


def hold_sessions(cohort, marks: dict, first_day=None, status="delivered", **fields):
    """Deliver the cohort's sessions in order, one a day, with ``marks`` per trainee name:
    ``{"Trainee 1": ["present", "absent", ...]}``; a missing name or mark means no record."""
    from datetime import UTC, datetime, timedelta

    from cohorts.models import Attendance, Delivery

    start = first_day or datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    trainees = {
        m.trainee.display_name: m.trainee for m in cohort.memberships.select_related("trainee")
    }
    deliveries = []
    for i, session in enumerate(sessions_of(cohort.programme)):
        delivery = Delivery.objects.create(
            cohort=cohort,
            session=session,
            starts_at=start + timedelta(days=i),
            status=status,
            **fields,
        )
        deliveries.append(delivery)
        for name, row in marks.items():
            if i < len(row) and row[i]:
                reason = "healthcare" if row[i] == "absent" else ""
                Attendance.objects.create(
                    delivery=delivery, trainee=trainees[name], mark=row[i], absence_reason=reason
                )
    return deliveries
