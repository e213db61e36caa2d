// On the sign-in page (where signing out lands): remove the decks kept on this laptop and the
// service worker that serves them, so no trainer material stays behind for the next person.
(() => {
  if (!("caches" in window)) return;
  caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith("deck-")).map((name) => caches.delete(name))));
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.getRegistrations().then((registrations) =>
      registrations.forEach((registration) => registration.unregister()));
  }
})();
