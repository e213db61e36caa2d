// Decks kept on this laptop for presenting without the network (see offline_worker.js).
// Each deck is one cache, "deck-<slug>": its slides, the slides as the presenter view frames
// them, the presenter view, and its own manifest (title and when it was kept). The files every
// deck uses share "deck-files". Pages use it through window.offlineDecks and these attributes:
//   data-offline-keep="URL URL"  a button that keeps the decks of those manifest URLs
//   data-offline-list             a panel that lists the decks kept here, each with "Clear"
(() => {
  const WORKER = "/curriculum/offline-worker.js";
  const PREFIX = "deck-";
  const FILES = "deck-files";
  const supported = "serviceWorker" in navigator && "caches" in window;

  // Resolves once a worker is active. The worker starting may be replaced while it starts (a
  // second window updating it), so follow the registration until one is active, never waiting
  // on a worker that has gone.
  const activated = async () => {
    const registration = await navigator.serviceWorker.register(WORKER, { scope: "/curriculum/" });
    while (!(registration.active && registration.active.state === "activated")) {
      const worker = registration.installing || registration.waiting || registration.active;
      await new Promise((resolve) => {
        worker.addEventListener("statechange", resolve, { once: true });
        registration.addEventListener("updatefound", resolve, { once: true });
      });
    }
  };

  // A response worth keeping: the page asked for, not a sign-in page reached by a redirect.
  const fetchPage = async (url) => {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok || response.redirected) throw new Error(`${url} answered ${response.status}`);
    return response;
  };

  const keep = async (manifestUrl) => {
    await activated();
    const manifestResponse = await fetchPage(manifestUrl);
    const manifest = await manifestResponse.clone().json();
    const pages = await Promise.all(manifest.pages.map(fetchPage));
    const slides = await pages[0].clone().text();
    const pictures = [...new DOMParser().parseFromString(slides, "text/html").querySelectorAll("img[src]")]
      .map((img) => new URL(img.getAttribute("src"), location.href).pathname);
    const files = await caches.open(FILES);
    await Promise.all([...manifest.files, ...pictures].map(async (url) => files.put(url, await fetchPage(url))));
    const deck = await caches.open(PREFIX + manifest.slug);
    const record = new Response(JSON.stringify({ ...manifest, kept: new Date().toISOString() }),
      { headers: { "Content-Type": "application/json" } });
    await Promise.all([
      ...manifest.pages.map((url, i) => deck.put(url, pages[i])),
      deck.put(manifestUrl, record),
    ]);
    return manifest;
  };

  const kept = async () => {
    if (!supported) return [];
    const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== FILES);
    const decks = await Promise.all(names.map(async (name) => {
      const response = await (await caches.open(name)).match(`/curriculum/${name.slice(PREFIX.length)}/offline/`);
      return response ? response.json() : null;
    }));
    return decks.filter(Boolean).sort((a, b) => a.title.localeCompare(b.title));
  };

  const forget = (slug) => caches.delete(PREFIX + slug);

  const forgetAll = async () => {
    if (!supported) return;
    const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
    await Promise.all(names.map((name) => caches.delete(name)));
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(registrations.map((registration) => registration.unregister()));
  };

  window.offlineDecks = { supported, keep, kept, forget, forgetAll };

  const dateTime = (iso) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

  const renderList = async (panel) => {
    const list = panel.querySelector("[data-offline-items]");
    const empty = panel.querySelector("[data-offline-empty]");
    const decks = await kept();
    list.replaceChildren(...decks.map((deck) => {
      const item = document.createElement("li");
      item.className = "app-offline__item";
      const text = document.createElement("span");
      text.textContent = `${deck.title} (kept ${dateTime(deck.kept)})`;
      const clear = document.createElement("button");
      clear.type = "button";
      clear.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
      clear.textContent = "Clear";
      clear.setAttribute("aria-label", `Clear ${deck.title} from this laptop`);
      clear.addEventListener("click", async () => { await forget(deck.slug); renderList(panel); });
      item.append(text, " ", clear);
      return item;
    }));
    empty.hidden = decks.length > 0;
  };

  const wire = () => {
    const panels = [...document.querySelectorAll("[data-offline-list]")];
    const refresh = () => panels.forEach(renderList);
    panels.forEach((panel) => {
      if (!supported) { panel.hidden = true; return; }
      renderList(panel);
    });
    document.querySelectorAll("[data-offline-keep]").forEach((button) => {
      if (!supported) { button.hidden = true; return; }
      const status = document.getElementById(button.getAttribute("aria-describedby"));
      button.addEventListener("click", async () => {
        button.disabled = true;
        const urls = button.dataset.offlineKeep.split(" ").filter(Boolean);
        if (status) status.textContent = "Keeping the slides on this laptop…";
        try {
          const decks = [];
          for (const url of urls) decks.push(await keep(url));
          if (status) status.textContent = `Ready offline on this laptop: ${decks.map((d) => d.title).join(", ")}.`;
        } catch (error) {
          if (status) status.textContent = "Could not keep the slides: check the network and try again.";
        } finally {
          button.disabled = false;
          refresh();
        }
      });
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
