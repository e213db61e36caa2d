"""A deck that survives the network: kept on the laptop when opened, served with no network,
listed and cleared by the trainer, and removed at sign-out."""

import re

import pytest
from playwright.sync_api import expect

SESSION = "/curriculum/communication-in-care/"
SLIDES = SESSION + "slides/"


def open_kept_deck(page):
    page.goto(SLIDES)
    page.wait_for_function("window.Reveal && window.Reveal.isReady()")
    expect(page.locator("#deck-offline")).to_have_text("Ready offline", timeout=45_000)


def kept_decks(page) -> list[str]:
    return page.evaluate("async () => (await window.offlineDecks.kept()).map((d) => d.slug)")


@pytest.mark.browser
def test_deck_reloads_and_presenter_opens_with_no_network_and_both_keep_in_step(log_in):
    deck = log_in("trainer")
    open_kept_deck(deck)
    deck.context.set_offline(True)

    deck.reload()
    deck.wait_for_function("window.Reveal && window.Reveal.isReady()")
    total = deck.evaluate("window.Reveal.getTotalSlides()")
    assert total >= 11
    expect(deck.locator("#slide-count")).to_have_text(f"Slide 1 of {total}")

    with deck.context.expect_page() as opened:
        deck.keyboard.press("s")
    presenter = opened.value
    presenter.wait_for_load_state()
    expect(presenter.locator("h1")).to_have_text("Communication in Care")
    for frame in ("current-slide", "next-slide"):
        presenter.frame(name=frame).wait_for_function("window.Reveal && window.Reveal.isReady()")

    for step in range(1, 11):
        window = presenter if step % 2 else deck
        window.bring_to_front()
        window.keyboard.press("ArrowRight" if step % 2 else "PageDown")
        expected = f"Slide {step + 1} of {total}"
        expect(deck.locator("#slide-count")).to_have_text(expected)
        expect(presenter.locator("#presenter-count")).to_have_text(expected)
        note = presenter.locator(".presenter__note:not([hidden])")
        expect(note).to_have_attribute("data-index", str(step))
        presenter.wait_for_function(
            """(step) => ['current-slide', 'next-slide'].every((id, i) =>
                 document.getElementById(id).contentWindow.Reveal.getIndices().h === step + i)""",
            arg=step,
        )
    deck.context.set_offline(False)


@pytest.mark.browser
def test_trainer_sees_the_decks_kept_on_the_laptop_and_clears_one(log_in):
    page = log_in("trainer")
    open_kept_deck(page)
    page.goto("/")
    panel = page.locator("[data-offline-list]")
    expect(panel.get_by_text(re.compile(r"^Communication in Care \(kept "))).to_be_visible()
    panel.get_by_role("button", name="Clear Communication in Care from this laptop").click()
    expect(panel.get_by_text("No slides are kept on this laptop.")).to_be_visible()
    assert kept_decks(page) == []


@pytest.mark.browser
def test_signing_out_removes_the_decks_from_the_laptop(log_in):
    page = log_in("trainer")
    open_kept_deck(page)
    assert kept_decks(page) == ["communication-in-care"]
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    page.wait_for_function(
        """async () => (await caches.keys()).every((name) => !name.startsWith('deck-'))
                 && (await navigator.serviceWorker.getRegistrations()).length === 0"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/curriculum/offline-worker.js", SESSION + "offline/"])
def test_a_trainee_gets_neither_the_offline_worker_nor_a_deck_manifest(log_in, url):
    page = log_in("trainee")
    assert page.goto(url).status == 403


@pytest.mark.browser
def test_a_day_kept_ahead_from_the_timetable_opens_with_no_network(log_in):
    page = log_in("trainer")
    page.goto("/cohorts/")
    page.get_by_role("link", name="Cycle 2").first.click()
    keep = page.locator("[data-offline-keep]").first
    first_session = keep.get_attribute("data-offline-keep").split()[0].removesuffix("offline/")
    keep.click()
    expect(page.get_by_text(re.compile(r"^Ready offline on this laptop: "))).to_be_visible(
        timeout=30_000
    )
    page.context.set_offline(True)
    page.goto(first_session + "slides/")
    page.wait_for_function("window.Reveal && window.Reveal.isReady()")
    assert page.evaluate("window.Reveal.getTotalSlides()") > 5
    with page.context.expect_page() as opened:
        page.keyboard.press("s")
    presenter = opened.value
    expect(presenter.locator("#presenter-count")).to_have_text(re.compile(r"^Slide 1 of \d+$"))
    page.context.set_offline(False)
