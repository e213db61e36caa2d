"""Every slide of every live session is readable on a 1024x768 projector."""

import tomllib
from pathlib import Path

import pytest

SLIDE_WIDTH, SLIDE_HEIGHT = 1024, 768
MIN_BODY_FONT_PX = 28
CURRICULUM_SOURCES = Path(__file__).resolve().parents[2] / "courses" / "curriculum" / "sessions"

# Sizes are in reveal's own 1024x768 coordinate space, before it scales the deck to the window.
# ``answers`` maps slide indexes to the right options to mark first, as slides.js does when the
# presenter view sends them; pass {} to measure the slides as the audience first sees them.
MEASURE_SLIDES = """async (answers) => {
  await document.fonts.ready;
  const deck = window.Reveal;
  const edge = (element, side, top) =>
    (element.getBoundingClientRect()[side] - top) / deck.getScale();
  const measure = (section) => {
    const top = section.getBoundingClientRect().top;
    return {
      kind: section.dataset.kind,
      scrollWidth: section.scrollWidth,
      scrollHeight: section.scrollHeight,
      contentBottom: Math.max(
        0, ...[...section.querySelectorAll("*")].map((e) => edge(e, "bottom", top))),
      statusTop: edge(document.querySelector(".deck-status"), "top", top),
      text: [...section.querySelectorAll("p, li")].map((element) => ({
        text: element.textContent.trim().slice(0, 60),
        fontSize: parseFloat(getComputedStyle(element).fontSize),
      })),
    };
  };
  const slides = [];
  for (let i = 0; i < deck.getTotalSlides(); i++) {
    deck.slide(i);
    const section = deck.getCurrentSlide();
    if (answers[i] !== undefined) {
      const list = section.querySelector(".slide-options");
      list.classList.add("slide-options--answered");
      [...list.children].forEach((option, n) => {
        option.classList.toggle("slide-option--right", answers[i].includes(n));
        option.querySelector(".slide-option__mark").hidden = !answers[i].includes(n);
      });
    } else if (Object.keys(answers).length) {
      continue;
    }
    slides.push({ number: i + 1, ...measure(section) });
  }
  return slides;
}"""

ANSWERS_IN_PRESENTER_VIEW = """() => Object.fromEntries(
  [...document.querySelectorAll(".presenter__answer")].map(
    (answer) => [
      answer.closest(".presenter__note").dataset.index, JSON.parse(answer.dataset.right)]))"""


@pytest.fixture
def projector(log_in):
    """A trainer's browser window the size of a 1024x768 projector."""
    return log_in("trainer", viewport={"width": SLIDE_WIDTH, "height": SLIDE_HEIGHT})


def live_session_urls(page) -> list[str]:
    page.goto("/curriculum/")
    links = page.locator(".app-session-list a").evaluate_all(
        "(links) => links.map((link) => new URL(link.href).pathname)"
    )
    return list(dict.fromkeys(links))


def measure_slides(page, session_url: str, answers: dict) -> list[dict]:
    page.goto(session_url + "slides/")
    page.wait_for_function("window.Reveal && window.Reveal.isReady()")
    return page.evaluate(MEASURE_SLIDES, answers)


def every_slide(page):
    """(session URL, slide measurements) for every slide of every live session."""
    for url in live_session_urls(page):
        for slide in measure_slides(page, url, {}):
            yield url, slide


def every_answer_slide(page):
    """The same for every knowledge check slide, with its answer shown."""
    for url in live_session_urls(page):
        page.goto(url + "presenter/")
        answers = page.evaluate(ANSWERS_IN_PRESENTER_VIEW)
        for slide in measure_slides(page, url, answers):
            yield url, slide


def where(url: str, slide: dict) -> str:
    return f"{url} slide {slide['number']} ({slide['kind']})"


@pytest.mark.browser
def test_curriculum_lists_every_seeded_session(projector):
    slugs = [tomllib.loads(path.read_text())["slug"] for path in CURRICULUM_SOURCES.glob("*.toml")]
    urls = live_session_urls(projector)
    assert sorted(urls) == sorted(f"/curriculum/{slug}/" for slug in slugs)


@pytest.mark.browser
def test_every_slide_fits_a_1024x768_screen(projector):
    too_big = [
        f"{where(url, slide)}: {slide['scrollWidth']}x{slide['scrollHeight']}"
        for url, slide in every_slide(projector)
        if slide["scrollWidth"] > SLIDE_WIDTH or slide["scrollHeight"] > SLIDE_HEIGHT
    ]
    assert not too_big, "Slides larger than 1024x768:\n" + "\n".join(too_big)


@pytest.mark.browser
def test_slide_content_stays_above_the_status_line(projector):
    covered = [
        f"{where(url, slide)}: content ends at {slide['contentBottom']:.0f}px, "
        f"status line starts at {slide['statusTop']:.0f}px"
        for url, slide in every_slide(projector)
        if slide["contentBottom"] > slide["statusTop"]
    ]
    assert not covered, "Slide content under the status line:\n" + "\n".join(covered)


@pytest.mark.browser
def test_slide_text_is_at_least_28px(projector):
    too_small = [
        f"{where(url, slide)}: {item['fontSize']}px {item['text']!r}"
        for url, slide in every_slide(projector)
        for item in slide["text"]
        if item["fontSize"] < MIN_BODY_FONT_PX
    ]
    assert not too_small, f"Slide text smaller than {MIN_BODY_FONT_PX}px:\n" + "\n".join(too_small)


@pytest.mark.browser
def test_knowledge_check_slides_fit_with_the_right_option_marked(projector):
    measured = list(every_answer_slide(projector))
    assert measured, "No knowledge check answers found in the curriculum"
    too_big = [
        f"{where(url, slide)}: {slide['scrollWidth']}x{slide['scrollHeight']}, "
        f"content ends at {slide['contentBottom']:.0f}px"
        for url, slide in measured
        if slide["scrollWidth"] > SLIDE_WIDTH
        or slide["scrollHeight"] > SLIDE_HEIGHT
        or slide["contentBottom"] > slide["statusTop"]
    ]
    assert not too_big, "Answers that do not fit on the slide:\n" + "\n".join(too_big)
