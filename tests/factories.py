"""Pages built for one test, with only what that test needs."""

import itertools

from courses.models import CurriculumIndexPage, ProgrammePage, SessionPage

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
