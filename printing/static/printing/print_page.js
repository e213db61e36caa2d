// The print page: while a book is building, fetch the states of its programme every few
// seconds and swap in what changed, without reloading the page. Without JavaScript the page
// works the same, with its "Refresh this page" link.
const POLL_MS = 3000;
const documents = document.getElementById("print-documents");
const announcer = document.getElementById("print-announcer");

function buildingProgrammes() {
  return [...documents.querySelectorAll("section[data-building]")].map((s) => s.dataset.programme);
}

function announce(before, after) {
  const changes = [];
  for (const row of after.querySelectorAll("tr[data-state]")) {
    const old = before.querySelector(`#${CSS.escape(row.id)}`);
    if (old && old.dataset.state !== row.dataset.state) changes.push(row.dataset.announce);
  }
  if (changes.length) announcer.textContent = changes.join(" ");
}

function update(html) {
  const fresh = new DOMParser().parseFromString(html, "text/html");
  for (const section of fresh.querySelectorAll("section[data-programme]")) {
    const current = document.getElementById(section.id);
    if (!current || current.dataset.version === section.dataset.version) continue;
    announce(current, section);
    const focusedRow = document.activeElement?.closest("tr[id]")?.id;
    const open = [...current.querySelectorAll("details[open]")].map((d) => d.id);
    current.replaceWith(section);
    open.forEach((id) => document.getElementById(id)?.setAttribute("open", ""));
    if (focusedRow) document.getElementById(focusedRow)?.querySelector("a, button")?.focus();
  }
}

async function refresh() {
  const programmes = buildingProgrammes();
  if (!programmes.length) return;
  const url = new URL(documents.dataset.statesUrl, window.location.href);
  programmes.forEach((id) => url.searchParams.append("programme", id));
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.redirected || !response.ok) return; // signed out, or refused: stop asking
    update(await response.text());
  } catch {
    // The network went for a moment: try again at the next tick.
  }
  window.setTimeout(refresh, POLL_MS);
}

if (documents) window.setTimeout(refresh, POLL_MS);
