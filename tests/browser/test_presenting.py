"""Presenting a session: the audience deck, the presenter view, and who may use them."""

import html
import re

import pytest
from playwright.sync_api import expect

SESSION = "/curriculum/communication-in-care/"
SLIDES = SESSION + "slides/"


def slide_count(page) -> tuple[int, int]:
    """(current, total) from a "Slide 3 of 12" label."""
    match = re.fullmatch(r"Slide (\d+) of (\d+)", page.text_content("#slide-count").strip())
    assert match, page.text_content("#slide-count")
    return int(match[1]), int(match[2])


def visible_note_index(presenter) -> str:
    return presenter.get_attribute(".presenter__note:not([hidden])", "data-index")


def preview_index(presenter, frame_name: str) -> int:
    """The slide index shown in one of the presenter view's preview frames."""
    frame = presenter.frame(name=frame_name)
    frame.wait_for_function("window.Reveal && window.Reveal.isReady()")
    return frame.evaluate("window.Reveal.getIndices().h")


def wait_for_deck(page):
    page.wait_for_function("window.Reveal && window.Reveal.isReady()")


@pytest.fixture
def deck(log_in):
    """The audience deck of "Communication in Care", as the trainer sees it."""
    page = log_in("trainer")
    page.goto(SLIDES)
    wait_for_deck(page)
    return page


@pytest.fixture
def presenter(deck):
    """The presenter view, opened from the deck with S, once it has caught up with the deck."""
    with deck.context.expect_page() as opened:
        deck.keyboard.press("s")
    view = opened.value
    view.wait_for_load_state()
    expect(view.locator("#presenter-count")).to_have_text(deck.text_content("#slide-count"))
    return view


@pytest.mark.browser
def test_trainer_reaches_the_slides_from_the_home_page(log_in):
    page = log_in("trainer")
    page.get_by_role("link", name="Three-day programme", exact=True).click()
    assert page.url.endswith("/curriculum/three-day-programme/")
    page.get_by_role("link", name="Communication in Care").first.click()
    assert page.url.endswith(SESSION)
    page.get_by_role("link", name="Present slides").click()
    assert page.url.split("#")[0].endswith(SLIDES)
    wait_for_deck(page)
    total = page.evaluate("window.Reveal.getTotalSlides()")
    expect(page.locator("#slide-count")).to_have_text(f"Slide 1 of {total}")


@pytest.mark.browser
def test_page_down_and_page_up_move_through_the_deck(deck):
    _, total = slide_count(deck)
    deck.keyboard.press("PageDown")
    deck.keyboard.press("PageDown")
    expect(deck.locator("#slide-count")).to_have_text(f"Slide 3 of {total}")
    deck.keyboard.press("PageUp")
    expect(deck.locator("#slide-count")).to_have_text(f"Slide 2 of {total}")


@pytest.mark.browser
def test_b_blanks_the_deck_and_b_again_brings_it_back(deck):
    deck.keyboard.press("b")
    assert deck.evaluate("window.Reveal.isPaused()") is True
    expect(deck.locator(".pause-overlay")).to_be_visible()
    deck.keyboard.press("b")
    assert deck.evaluate("window.Reveal.isPaused()") is False
    expect(deck.locator(".pause-overlay")).to_be_hidden()


@pytest.mark.browser
def test_s_opens_the_presenter_view_on_the_current_slide(deck):
    deck.keyboard.press("PageDown")
    expect(deck.locator("#slide-count")).to_have_text(re.compile(r"Slide 2 of \d+"))
    with deck.context.expect_page() as opened:
        deck.keyboard.press("s")
    view = opened.value
    view.wait_for_load_state()
    assert view.url.endswith(SESSION + "presenter/")
    expect(view.locator("#presenter-count")).to_have_text(deck.text_content("#slide-count"))
    assert visible_note_index(view) == "1"


@pytest.mark.browser
def test_presenter_view_follows_the_audience_deck(deck, presenter):
    _, total = slide_count(deck)
    assert visible_note_index(presenter) == "0"
    deck.bring_to_front()
    deck.keyboard.press("PageDown")
    expect(presenter.locator("#presenter-count")).to_have_text(f"Slide 2 of {total}")
    assert visible_note_index(presenter) == "1"


@pytest.mark.browser
def test_presenter_view_previews_the_current_and_the_next_slide(deck):
    with deck.context.expect_page() as opened:
        deck.keyboard.press("s")
    view = opened.value
    view.wait_for_load_state()
    deck.keyboard.press("PageDown")  # straight away, while the previews are still starting
    expect(view.locator("#presenter-count")).to_have_text(re.compile(r"Slide 2 of \d+"))
    view.wait_for_timeout(500)  # nothing may put a preview back on an older slide
    assert preview_index(view, "current-slide") == 1
    assert preview_index(view, "next-slide") == 2


@pytest.mark.browser
def test_audience_deck_follows_the_presenter_view(deck, presenter):
    _, total = slide_count(deck)
    presenter.bring_to_front()
    presenter.keyboard.press("ArrowRight")
    expect(deck.locator("#slide-count")).to_have_text(f"Slide 2 of {total}")
    assert deck.evaluate("window.Reveal.getIndices().h") == 1
    expect(presenter.locator("#presenter-count")).to_have_text(f"Slide 2 of {total}")


@pytest.mark.browser
def test_windows_stay_in_step_without_the_server(deck, presenter):
    _, total = slide_count(deck)
    # Opening a deck keeps a copy on the laptop and the presenter's previews load their own
    # deck: both finish before the network goes, so that any request after it is the windows'.
    # Keeping a deck is many requests through the test server's two workers, beside the
    # presenter's own windows: allow for a busy machine.
    expect(deck.locator("#deck-offline")).to_have_text("Ready offline", timeout=45_000)
    for frame in ("current-slide", "next-slide"):
        presenter.frame(name=frame).wait_for_function("window.Reveal && window.Reveal.isReady()")
    requests = []
    deck.context.on("request", lambda request: requests.append(request.url))
    deck.context.set_offline(True)

    deck.bring_to_front()
    deck.keyboard.press("PageDown")
    deck.keyboard.press("PageDown")
    expect(presenter.locator("#presenter-count")).to_have_text(f"Slide 3 of {total}")
    assert visible_note_index(presenter) == "2"

    presenter.bring_to_front()
    presenter.keyboard.press("ArrowRight")
    expect(deck.locator("#slide-count")).to_have_text(f"Slide 4 of {total}")
    expect(presenter.locator("#presenter-count")).to_have_text(f"Slide 4 of {total}")
    assert visible_note_index(presenter) == "3"

    deck.context.set_offline(False)
    assert [url for url in requests if url.startswith("http")] == []


@pytest.mark.browser
def test_presenter_view_shows_the_clock(presenter):
    expect(presenter.locator("#presenter-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    presenter.wait_for_function(
        """() => {
          const now = new Date();
          const time = [now.getHours(), now.getMinutes()].map((n) => String(n).padStart(2, "0"));
          return document.getElementById("presenter-clock").textContent === time.join(":");
        }""",
        timeout=5_000,
    )


@pytest.mark.browser
def test_presenter_timer_counts_and_pause_stops_it(presenter):
    timer = presenter.locator("#presenter-timer")
    expect(timer).not_to_have_text("0:00:00", timeout=5_000)
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d:\d\d$"))

    presenter.click("#timer-toggle")
    expect(presenter.locator("#timer-toggle")).to_have_text("Start timer")
    stopped_at = timer.text_content()
    presenter.wait_for_timeout(2_200)
    assert timer.text_content() == stopped_at

    presenter.click("#timer-toggle")
    expect(presenter.locator("#timer-toggle")).to_have_text("Pause timer")
    expect(timer).not_to_have_text(stopped_at, timeout=5_000)


def trainer_only_sentences_of(presenter) -> list[str]:
    """Every sentence of the presenter view's notes and answers: what only the trainer reads."""
    texts = presenter.locator(".presenter__note dd, .presenter__note h3 ~ *").all_text_contents()
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t.strip()) if len(s) > 25]


@pytest.mark.browser
def test_a_marks_the_right_option_on_the_projector_and_shows_no_trainer_wording(deck, presenter):
    index = deck.evaluate(
        """() => [...document.querySelectorAll('.reveal .slides > section')]
                 .findIndex((s) => s.dataset.kind === 'knowledge_check')"""
    )
    assert index > 0
    secret = trainer_only_sentences_of(presenter)
    assert secret, "The presenter view of this session has no notes or feedback"
    right = presenter.locator(f'.presenter__note[data-index="{index}"] .presenter__right')
    expect(right).to_have_count(1)
    right_text = right.text_content().split(": ", 1)[1]

    deck.bring_to_front()
    deck.evaluate(f"window.Reveal.slide({index})")
    expect(presenter.locator("#presenter-count")).to_have_text(re.compile(f"Slide {index + 1} "))
    slide = deck.locator(".reveal .slides > section").nth(index)
    options = slide.locator(".slide-option")
    expect(options).to_have_count(3)
    expect(slide.locator(".slide-option--right")).to_have_count(0)

    deck.keyboard.press("a")
    marked = slide.locator(".slide-option--right")
    expect(marked).to_have_count(1)
    expect(marked.locator(".slide-option__text")).to_have_text(right_text)
    expect(marked.locator(".slide-option__mark")).to_be_visible()
    expect(marked.locator(".slide-option__mark")).to_have_text("Right answer")
    expect(options).to_have_count(3)  # every option stays on the screen

    shown = fold_space(deck.locator("body").inner_text())
    dom = fold_space(deck.content())
    assert "trainer only" not in shown.lower()
    leaked = [sentence for sentence in secret if fold_space(sentence) in dom]
    assert leaked == [], "Trainer-only text reached the projector"


def fold_space(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.mark.browser
def test_presenter_view_has_notes_for_every_slide(deck, presenter):
    _, total = slide_count(deck)
    expect(presenter.locator(".presenter__note")).to_have_count(total)


@pytest.mark.browser
def test_at_1024x768_the_presenter_notes_are_fully_visible(log_in):
    page = log_in("trainer", viewport={"width": 1024, "height": 768})
    page.goto(SESSION + "presenter/")
    total = page.locator(".presenter__note").count()
    for index in range(total):
        if index:
            page.keyboard.press("ArrowRight")
        expect(page.locator("#presenter-count")).to_have_text(f"Slide {index + 1} of {total}")
        box = page.evaluate(
            """() => {
              const notes = document.querySelector('.presenter__notes');
              const r = notes.getBoundingClientRect();
              return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                      scroll: notes.scrollHeight, client: notes.clientHeight,
                      page: document.documentElement.scrollHeight};
            }"""
        )
        assert box["top"] >= 0 and box["left"] >= 0, box
        assert box["bottom"] <= 768 and box["right"] <= 1024, box
        assert box["scroll"] <= box["client"], f"Notes for slide {index + 1} are cut off: {box}"
        assert box["page"] <= 768, "The presenter view scrolls at 1024x768"


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["presenter/", "trainer/", "slides/"])
def test_trainee_may_not_open_trainer_pages(log_in, mode):
    page = log_in("trainee")
    response = page.goto(SESSION + mode)
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You cannot see this page")


@pytest.mark.browser
def test_trainee_sees_no_present_slides_button(log_in):
    page = log_in("trainee")
    response = page.goto(SESSION)
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Communication in Care")
    expect(page.get_by_text("Present slides")).to_have_count(0)
