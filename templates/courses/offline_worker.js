{% load static %}// The offline copy of the decks a trainer has opened or chosen, on this laptop only (scope
// /curriculum/). Workbox routes each request: a deck's slides and presenter view from the network
// when it answers within a few seconds, else from that deck's cache; the files they use (scripts,
// styles, fonts, pictures) from the cache at once, refreshed behind it. Nothing else is kept. Sign-out deletes it all
// (courses/forget-decks.js on the sign-in page).
importScripts("{% static 'vendor/workbox/workbox-sw.js' %}");
const MODULES = {
  "workbox-core": "{% static 'vendor/workbox/workbox-core.prod.js' %}",
  "workbox-routing": "{% static 'vendor/workbox/workbox-routing.prod.js' %}",
  "workbox-strategies": "{% static 'vendor/workbox/workbox-strategies.prod.js' %}",
};
workbox.setConfig({ debug: false, modulePathCb: (name) => MODULES[name] });

const { registerRoute } = workbox.routing;
const { NetworkFirst, StaleWhileRevalidate } = workbox.strategies;
const DECK_PAGE = /^\/curriculum\/([a-z0-9-]+)\/(slides|presenter)\/$/;
const FILES = ["{% get_static_prefix %}", "{% get_media_prefix %}", "/media/images/"];

// Only the page itself is kept: never a sign-in page reached by a redirect, nor an error.
const onlyThePage = {
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && !response.redirected ? response : null,
};
const decks = {};
const deckStrategy = (slug) => {
  decks[slug] = decks[slug] || new NetworkFirst({
    cacheName: `deck-${slug}`,
    networkTimeoutSeconds: 4,
    plugins: [onlyThePage],
    matchOptions: { ignoreVary: true },
  });
  return decks[slug];
};

registerRoute(
  ({ url, sameOrigin }) => sameOrigin && DECK_PAGE.test(url.pathname),
  ({ url, request, event }) => deckStrategy(url.pathname.match(DECK_PAGE)[1]).handle({ event, request }),
);
registerRoute(
  ({ url, sameOrigin, request }) =>
    sameOrigin && request.method === "GET" && FILES.some((prefix) => url.pathname.startsWith(prefix)),
  new StaleWhileRevalidate({ cacheName: "deck-files", plugins: [onlyThePage], matchOptions: { ignoreVary: true } }),
);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
