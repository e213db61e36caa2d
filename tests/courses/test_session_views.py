"""A session as reading page, slides and presenter view, and its editor previews."""

from courses.models import SessionPage
from courses.rendering import build_slides
from tests.helpers import page_text


def session(slug="communication-in-care"):
    return SessionPage.objects.live().get(slug=slug)


def test_slides_are_title_outcomes_then_one_per_projected_block(db):
    page = session()
    projected = [c for c in page.body if c.block_type not in ("trainer_note",)]
    slides = build_slides(page)
    assert [s.kind for s in slides[:2]] == ["title", "outcomes"]
    assert len(slides) == 2 + len(projected)


def test_a_block_left_off_the_slides_is_not_projected(db):
    page = session()
    heading = page.body[0].value["heading"]
    page.body[0].value["appears_in"] = ["workbook", "trainer"]
    assert heading not in [slide.value.get("heading") for slide in build_slides(page)]


def test_a_block_left_out_of_the_workbook_is_not_on_the_trainee_page(client_for):
    page = session()
    heading = page.body[0].value["heading"]
    page.body[0].value["appears_in"] = ["slides", "trainer"]
    page.save_revision().publish()
    assert heading not in page_text(client_for("trainee").get(page.url))
    assert heading in page_text(client_for("trainer").get(page.url + "trainer/"))


def test_editor_offers_reading_trainer_slides_and_book_page_previews(db):
    modes = [mode for mode, _ in session().preview_modes]
    assert modes == ["", "trainer", "slides", "workbook", "trainer_book"]


def test_programme_page_shows_days_local_staff_marks_and_total_hours(client_for):
    response = client_for("trainee").get("/curriculum/three-day-programme/")
    text = page_text(response)
    for day in ("Day one", "Day two", "Day three"):
        assert day in text
    assert "15 hours in 10 sessions" in text
    marks = response.content.decode().count('govuk-tag--green">Local staff<')
    assert marks == 4  # the key, and the three sessions of Table 2
