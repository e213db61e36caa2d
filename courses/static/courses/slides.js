// The audience deck. reveal.js handles the keys a clicker sends (Right/Left, Space, PageDown/PageUp,
// Home/End, B or . to blank, F for full screen). The presenter view, in a second window, stays in
// step through a BroadcastChannel: no server round trip, so it keeps working offline once loaded.
(() => {
  const root = document.getElementById("deck");
  const embedded = root.dataset.embedded === "1";
  const deck = new Reveal(root, {
    width: 1024,
    height: 768,
    margin: 0.02,
    center: false,
    transition: "none",
    backgroundTransition: "none",
    hash: !embedded,
    history: false,
    controls: !embedded,
    controlsTutorial: false,
    progress: !embedded,
    keyboard: !embedded,
    touch: !embedded,
    embedded,
    postMessage: false,
    postMessageEvents: false,
    help: true,
    pause: true,
    viewDistance: 3,
    // Reveal turns a window narrower than 435px into a scrolling page, where slide() no longer
    // moves the deck: the presenter view's small "next" preview stayed on the title slide.
    scrollActivationWidth: null,
  });
  window.Reveal = deck;
  if (embedded) {
    deck.on("ready", () => window.parent.postMessage({ type: "preview-ready" }, location.origin));
    deck.initialize();
    return;
  }

  const channel = new BroadcastChannel(`session-${root.dataset.session}`);
  const counter = document.getElementById("slide-count");
  const keys = document.getElementById("deck-keys");
  const toast = document.getElementById("deck-toast");
  let answerTimer = null;

  const state = () => ({
    type: "state",
    index: deck.getIndices().h,
    total: deck.getTotalSlides(),
    paused: deck.isPaused(),
  });
  const announce = () => {
    const { index, total } = state();
    counter.textContent = `Slide ${index + 1} of ${total}`;
    keys.hidden = index !== 0; // the key list and offline state are for the trainer: title slide only
    document.getElementById("deck-offline").hidden = index !== 0;
    channel.postMessage(state());
  };
  const say = (text) => {
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { toast.hidden = true; }, 4000);
  };
  const showAnswer = (index, right) => {
    const slide = deck.getSlide(index);
    const list = slide && slide.querySelector(".slide-options");
    if (!list) return;
    list.classList.add("slide-options--answered");
    [...list.children].forEach((option, i) => {
      const isRight = right.includes(i);
      option.classList.toggle("slide-option--right", isRight);
      option.querySelector(".slide-option__mark").hidden = !isRight;
    });
  };
  const openPresenter = () => {
    const width = Math.min(screen.availWidth, 1280);
    const height = Math.min(screen.availHeight, 800);
    window.open(root.dataset.presenterUrl, `presenter-${root.dataset.session}`, `popup,width=${width},height=${height}`);
  };
  const askForAnswer = () => {
    const index = deck.getIndices().h;
    if (!deck.getSlide(index).querySelector(".slide-options")) {
      say("This slide has no answer to show.");
      return;
    }
    channel.postMessage({ type: "answer-request", index });
    clearTimeout(answerTimer);
    answerTimer = setTimeout(() => say("Answers stay in the presenter view. Press S to open it."), 600);
  };

  channel.onmessage = ({ data }) => {
    switch (data.type) {
      case "hello": announce(); break;
      case "next": deck.next(); break;
      case "prev": deck.prev(); break;
      case "go": deck.slide(data.index); break;
      case "blank": deck.togglePause(data.on); break;
      case "answer":
        clearTimeout(answerTimer);
        showAnswer(data.index, data.right);
        break;
    }
  };

  deck.addKeyBinding({ keyCode: 83, key: "S", description: "Open the presenter view" }, openPresenter);
  deck.addKeyBinding({ keyCode: 65, key: "A", description: "Show the answer" }, askForAnswer);
  ["ready", "slidechanged", "paused", "resumed"].forEach((name) => deck.on(name, announce));
  deck.initialize();

  // Keep this deck and its presenter view on the laptop, so both open again with no network.
  // navigator.onLine is not asked: a laptop serving itself, or on a closed network, has no
  // outside interface and Chromium calls it offline. The server answering is what counts.
  const offline = document.getElementById("deck-offline");
  if (window.offlineDecks && window.offlineDecks.supported) {
    offline.textContent = "Saving for offline…";
    window.offlineDecks.keep(offline.dataset.manifest)
      .then(() => { offline.textContent = "Ready offline"; offline.dataset.ready = "1"; })
      .catch((error) => {
        const copy = navigator.serviceWorker.controller;
        offline.textContent = copy ? "Offline copy" : "Not kept offline";
        console.warn("This deck was not kept offline:", error.message);
      });
  }
})();
