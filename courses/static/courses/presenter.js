// The presenter view: current and next slide, notes, a clock and a pausable timer. It talks to the
// audience window over a BroadcastChannel, so nothing goes to the server once the page is loaded.
(() => {
  const root = document.getElementById("presenter");
  const total = Number(root.dataset.total);
  const channel = new BroadcastChannel(`session-${root.dataset.session}`);
  const $ = (id) => document.getElementById(id);
  const notes = [...document.querySelectorAll(".presenter__note")];
  let index = 0;
  let blanked = false;

  // Each preview frame shows the slide last asked for. A frame's deck is driven directly (it is
  // on our origin) once it is ready: it says so with a "preview-ready" message, or it was ready
  // before this script ran. Until then only the latest request is remembered.
  const frames = [...document.querySelectorAll("iframe")];
  const deckOf = (frame) => {
    const deck = frame.contentWindow && frame.contentWindow.Reveal;
    return deck && deck.isReady && deck.isReady() ? deck : null;
  };
  const drive = (frame, slide) => {
    frame.dataset.slide = slide;
    const deck = deckOf(frame);
    if (deck && deck.getIndices().h !== slide) deck.slide(slide);
  };
  window.addEventListener("message", ({ data, source, origin }) => {
    if (origin !== location.origin || !data || data.type !== "preview-ready") return;
    const frame = frames.find((f) => f.contentWindow === source);
    if (frame && frame.dataset.slide !== undefined) drive(frame, Number(frame.dataset.slide));
  });
  // Long notes get smaller type, down to 14px, so that they fit the panel without scrolling
  // on a 1024x768 laptop; anything longer still scrolls inside the panel.
  const panel = document.querySelector(".presenter__notes");
  const fitNotes = () => {
    for (let size = 18; size >= 14; size -= 1) {
      panel.style.setProperty("--notes-size", `${size}px`);
      if (panel.scrollHeight <= panel.clientHeight) break;
    }
  };
  window.addEventListener("resize", fitNotes);
  const show = (next) => {
    index = Math.max(0, Math.min(total - 1, next));
    $("presenter-count").textContent = `Slide ${index + 1} of ${total}`;
    notes.forEach((note) => { note.hidden = Number(note.dataset.index) !== index; });
    fitNotes();
    drive($("current-slide"), index);
    const last = index >= total - 1;
    $("next-slide").style.visibility = last ? "hidden" : "visible";
    $("presenter-end").hidden = !last;
    if (!last) drive($("next-slide"), index + 1);
  };
  const setBlank = (on) => {
    blanked = on;
    $("presenter-blank").hidden = !on;
    $("go-blank").textContent = on ? "Show screen" : "Blank screen";
  };
  const go = (type, target) => {
    channel.postMessage(type === "go" ? { type, index: target } : { type });
    show(type === "next" ? index + 1 : type === "prev" ? index - 1 : target);
  };
  const sendAnswer = (slide) => {
    const answer = notes[slide] && notes[slide].querySelector(".presenter__answer");
    if (answer) channel.postMessage({ type: "answer", index: slide, right: JSON.parse(answer.dataset.right) });
  };

  channel.onmessage = ({ data }) => {
    if (data.type === "state") {
      if (data.index !== index) show(data.index);
      setBlank(data.paused);
    } else if (data.type === "answer-request") {
      sendAnswer(data.index);
    }
  };

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter")) return;
    const actions = {
      ArrowRight: () => go("next"), PageDown: () => go("next"), " ": () => go("next"), n: () => go("next"),
      ArrowLeft: () => go("prev"), PageUp: () => go("prev"), p: () => go("prev"),
      Home: () => go("go", 0), End: () => go("go", total - 1),
      b: () => channel.postMessage({ type: "blank", on: !blanked }), ".": () => channel.postMessage({ type: "blank", on: !blanked }),
      a: () => sendAnswer(index),
    };
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) { event.preventDefault(); action(); }
  });
  $("go-next").addEventListener("click", () => go("next"));
  $("go-prev").addEventListener("click", () => go("prev"));
  $("go-blank").addEventListener("click", () => channel.postMessage({ type: "blank", on: !blanked }));
  document.querySelectorAll(".presenter__show-answer").forEach((button) =>
    button.addEventListener("click", () => sendAnswer(Number(button.dataset.index))));

  // Clock and elapsed timer.
  let elapsed = 0;
  let startedAt = Date.now();
  let running = true;
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const now = new Date();
    $("presenter-clock").textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
    const seconds = Math.floor((elapsed + (running ? Date.now() - startedAt : 0)) / 1000);
    $("presenter-timer").textContent = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  };
  $("timer-toggle").addEventListener("click", () => {
    if (running) { elapsed += Date.now() - startedAt; } else { startedAt = Date.now(); }
    running = !running;
    $("timer-toggle").textContent = running ? "Pause timer" : "Start timer";
    tick();
  });
  $("timer-reset").addEventListener("click", () => { elapsed = 0; startedAt = Date.now(); tick(); });
  setInterval(tick, 1000);
  tick();

  show(0);
  channel.postMessage({ type: "hello" });
})();
