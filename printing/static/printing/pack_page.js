// A cohort's pack page: while the pack is building, fetch its state every few seconds and
// swap it in, without reloading the page. Without JavaScript, the page says to refresh.
const POLL_MS = 2000;
const region = document.getElementById("pack-state");
const announcer = document.getElementById("pack-announcer");
const MESSAGES = {
  ready: "The pack is ready to download.",
  failed: "The pack could not be made.",
};

async function refresh() {
  const current = region.querySelector("#pack-status");
  if (!current?.hasAttribute("data-building")) return;
  try {
    const response = await fetch(region.dataset.stateUrl, { credentials: "same-origin" });
    if (response.redirected || !response.ok) return; // signed out, or refused: stop asking
    const fresh = new DOMParser()
      .parseFromString(await response.text(), "text/html")
      .getElementById("pack-status");
    if (fresh && fresh.dataset.version !== current.dataset.version) {
      current.replaceWith(fresh);
      if (MESSAGES[fresh.dataset.state]) announcer.textContent = MESSAGES[fresh.dataset.state];
    }
  } catch {
    // The network went for a moment: try again at the next tick.
  }
  window.setTimeout(refresh, POLL_MS);
}

if (region) window.setTimeout(refresh, POLL_MS);
