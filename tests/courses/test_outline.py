"""One outline: the sessions of a programme that completion, the workbook, the programme and
reading pages, readiness, the print page and the evaluation figures all go by. A session
unpublished or deleted since it was placed in the programme counts for none of them."""

import pytest

from cohorts.services import (
    COMPLETED,
    IN_PROGRESS,
    cohort_completion,
    local_delivery_readiness,
    required_session_ids,
)
from courses.blocks import SLIDES, TRAINER, WORKBOOK
from courses.outline import outline, programmes_containing
from courses.rendering import visible
from evaluation.services import cohort_figures
from printing import documents
from printing import services as printing
from printing.errors import PrintingError
from tests.factories import hold_sessions, make_cohort, sessions_of
from tests.helpers import page_text


@pytest.fixture
def gappy(db):
    """A cohort whose programme had four sessions: the second is unpublished since, the fourth
    deleted. Trainee 1 came to both that remain, Trainee 2 to the first only."""
    cohort = make_cohort(sessions=4, trainees=2)
    first, unpublished, third, deleted = sessions_of(cohort.programme)
    unpublished.unpublish()
    deleted.delete()
    hold_sessions(cohort, {"Trainee 1": ["present", "present"], "Trainee 2": ["present"]})
    return cohort, first, unpublished, third


def titles(items) -> list[str]:
    return [item.session.title for item in items]


def test_the_outline_leaves_out_unpublished_and_deleted_sessions_and_numbers_the_rest(gappy):
    cohort, first, _, third = gappy
    for audience in (WORKBOOK, TRAINER, SLIDES):
        book = outline(cohort.programme, audience)
        assert [(i.number, i.session.pk) for i in book.sessions] == [(1, first.pk), (2, third.pk)]
        assert book.session_ids == [first.pk, third.pk]
        assert book.total_minutes == 120


def shape(parts) -> list:
    return [(part.id, part.block_type, sorted(part.value)) for part in parts]


def test_each_audience_sees_of_a_session_what_rendering_allows_it(gappy):
    cohort, first, _, _ = gappy
    for audience in (WORKBOOK, TRAINER):
        item = outline(cohort.programme, audience).sessions[0]
        assert shape(item.parts) == shape(visible(first, audience))
    slides = outline(cohort.programme, SLIDES).sessions[0].parts
    assert [slide.kind for slide in slides] == [slide.kind for slide in visible(first, SLIDES)]


def test_completion_requires_the_outline_sessions_and_nothing_else(gappy):
    cohort, first, unpublished, third = gappy
    assert required_session_ids(cohort.programme) == [first.pk, third.pk]
    results = {r.trainee.display_name: r for r in cohort_completion(cohort).values()}
    assert results["Trainee 1"].status == COMPLETED
    assert results["Trainee 1"].required_sessions == 2
    assert results["Trainee 2"].status == IN_PROGRESS
    assert [c.session.pk for c in results["Trainee 2"].catch_ups] == [third.pk]


def test_the_evaluation_figures_count_completion_by_the_outline(gappy):
    cohort, *_ = gappy
    assert cohort_figures(cohort).completion_counts[COMPLETED] == 1


def test_readiness_covers_the_outline_sessions(gappy):
    cohort, first, _, third = gappy
    readiness = local_delivery_readiness(cohort.establishment, cohort.programme)
    assert [row.session.pk for row in readiness.sessions] == [first.pk, third.pk]
    assert readiness.total_minutes == 120


def test_the_workbook_and_trainer_book_print_the_outline_sessions(gappy):
    cohort, first, unpublished, third = gappy
    for kind in ("workbook", "trainer_book"):
        context = documents.document_context(kind, cohort.programme)
        assert titles(context["sessions"]) == [first.title, third.title]
        html = documents.document_html(kind, cohort.programme)
        assert first.title in html and third.title in html
        assert unpublished.title not in html
    sources = documents.document_sources("workbook", cohort.programme)
    assert unpublished not in sources
    assert [s.pk for s in sources[1:3]] == [first.pk, third.pk]


def test_the_print_page_offers_handouts_of_the_outline_sessions_only(gappy):
    cohort, first, unpublished, third = gappy
    assert printing.programme_sessions(cohort.programme) == [first, third]
    with pytest.raises(PrintingError) as refused:
        printing.check_document("handout", cohort.programme, unpublished)
    assert refused.value.code == "session_not_in_programme"
    assert programmes_containing(first) == [cohort.programme]


def test_the_programme_page_lists_the_outline_sessions(gappy, client_for):
    cohort, first, unpublished, third = gappy
    text = page_text(client_for("trainee").get(cohort.programme.url))
    assert first.title in text and third.title in text
    assert unpublished.title not in text
    assert "2 hours in 2 sessions" in text


def test_the_reading_page_shows_a_trainee_what_the_outline_gives_them(gappy, client_for):
    cohort, first, unpublished, _ = gappy
    client = client_for("trainee")
    response = client.get(first.url)
    item = outline(cohort.programme, WORKBOOK).sessions[0]
    assert [part.value["heading"] for part in response.context["parts"]] == [
        part.value["heading"] for part in item.parts
    ]
    assert client.get(unpublished.url).status_code == 404


def test_a_programme_with_nothing_live_has_an_empty_outline(db):
    cohort = make_cohort(sessions=2)
    for session in sessions_of(cohort.programme):
        session.unpublish()
    assert outline(cohort.programme).sessions == []
    assert required_session_ids(cohort.programme) == []
