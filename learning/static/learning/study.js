// Studying a session one part at a time, with no server round trip.
//
// The whole session is in the page. This script shows one part at a time with a progress bar,
// marks the checks on the spot (the feedback of every option is in the page, for the learner),
// and keeps every answer and the parts seen in localStorage, as the register and the journal
// keep unsent work (trainingsite/kept.js), until the server confirms it. It sends them at once
// and again every few seconds while any wait, whatever the browser says about being online;
// the learner is told plainly when something is waiting. Without JavaScript every part is on
// the page in order and each check posts as a form.

import { forgetCopy, keepCopy, storedCopy } from "../trainingsite/kept.js";

const root = document.querySelector("[data-study]");
const stateElement = document.getElementById("study-state");

if (root && stateElement) {
  const RETRY = 5000;
  const server = JSON.parse(stateElement.textContent);
  const key = `learning-${server.user}-${server.session}`;
  const parts = [...root.querySelectorAll("[data-part]")];
  const endPart = root.querySelector("[data-part-end]");
  const nav = root.querySelector("[data-nav]");
  const backButton = root.querySelector("[data-back]");
  const nextButton = root.querySelector("[data-next]");
  const progressBox = root.querySelector("[data-progress]");
  const progressBar = progressBox.querySelector("progress");
  const progressLabel = progressBox.querySelector("[data-progress-label]");
  const status = document.getElementById("study-status");
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

  // What is waiting to be sent, and what this device knows: kept together under one key.
  const kept = storedCopy(key)?.data || {};
  const local = {
    answers: Array.isArray(kept.answers) ? kept.answers : [], // not yet confirmed by the server
    seen: [...new Set([...(server.seen || []), ...(Array.isArray(kept.seen) ? kept.seen : [])])],
    position: kept.position || server.position || "",
    progressWaiting: Boolean(kept.progressWaiting),
    right: [...new Set([...(server.right || []), ...(Array.isArray(kept.right) ? kept.right : [])])],
    signedOut: false,
  };
  const known = new Set(server.parts);
  local.seen = local.seen.filter((part) => known.has(part));
  if (!known.has(local.position)) local.position = "";

  const save = () => {
    const waiting = local.answers.length || local.progressWaiting;
    if (waiting) {
      keepCopy(key, {
        answers: local.answers,
        seen: local.seen,
        position: local.position,
        progressWaiting: local.progressWaiting,
        right: local.right,
      });
    } else {
      forgetCopy(key);
    }
  };

  // --- Telling the learner what is waiting ---

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const showStatus = () => {
    const answers = local.answers.length;
    status.replaceChildren();
    if (!answers && !local.progressWaiting) {
      status.className = "app-study__status";
      return;
    }
    const box = document.createElement("div");
    box.className = "app-waiting";
    const heading = document.createElement("p");
    heading.className = "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1";
    const what = answers ? plural(answers, "answer", "answers") : "where you are in this session";
    const they = answers > 1 ? "They are" : "It is";
    heading.textContent = local.signedOut
      ? `Not sent: ${what}. You have been signed out.`
      : `Waiting to be sent: ${what}.`;
    const detail = document.createElement("p");
    detail.className = "govuk-body govuk-!-margin-bottom-0";
    if (local.signedOut) {
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = server.loginUrl;
      link.textContent = "Sign in again";
      detail.append(`${they} kept on this tablet. `, link, " to send it all.");
    } else {
      detail.textContent = `${they} kept on this tablet and will be sent when the network is back. You can carry on.`;
    }
    box.append(heading, detail);
    status.append(box);
  };

  // --- Sending, one thing at a time, until the server has it all ---

  let sending = false;
  let timer = null;

  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf,
      },
      body: JSON.stringify(body),
    });

  // "sent", "refused" (the server will never take it) or "waiting" (try again later).
  const outcome = (response) => {
    if (
      response.type === "opaqueredirect" ||
      response.status === 401 ||
      response.status === 403
    ) {
      local.signedOut = true;
      return "waiting";
    }
    if (response.ok) return "sent";
    if (response.status === 400 || response.status === 404) return "refused";
    return "waiting";
  };

  const send = async () => {
    if (sending) return;
    sending = true;
    clearTimeout(timer);
    try {
      while (local.answers.length) {
        const answer = local.answers[0];
        const result = outcome(await post(server.answerUrl, answer));
        if (result === "waiting") throw new Error("waiting");
        local.answers.shift();
        save();
      }
      if (local.progressWaiting) {
        const result = outcome(
          await post(server.progressUrl, { seen: local.seen, position: local.position }),
        );
        if (result === "waiting") throw new Error("waiting");
        local.progressWaiting = false;
        save();
      }
      local.signedOut = false;
    } catch {
      timer = setTimeout(send, RETRY);
    } finally {
      sending = false;
      showStatus();
    }
  };

  // --- Moving through the parts ---

  let current = 0;

  const showPart = (index, { focus = true } = {}) => {
    current = Math.max(0, Math.min(index, parts.length));
    parts.forEach((part, i) => {
      part.hidden = i !== current;
    });
    endPart.hidden = current !== parts.length;
    backButton.hidden = current === 0;
    nextButton.hidden = current === parts.length;
    nextButton.textContent = current === parts.length - 1 ? "Finish" : "Next";
    const shown = current === parts.length ? endPart : parts[current];
    const number = Math.min(current + 1, parts.length);
    progressBar.value = current === parts.length ? parts.length : number;
    progressLabel.textContent =
      current === parts.length ? `All ${parts.length} parts` : `Part ${number} of ${parts.length}`;
    if (current < parts.length) {
      const partKey = parts[current].dataset.part;
      if (!local.seen.includes(partKey)) local.seen.push(partKey);
      local.position = partKey;
      local.progressWaiting = true;
      save();
      send();
    } else {
      showEnd();
    }
    if (focus) {
      const heading = shown.querySelector("h2") || shown;
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
      root.scrollIntoView({ block: "start" });
    }
  };

  const checkKeys = Object.keys(server.checks);

  const showEnd = () => {
    const unseen = parts.filter((part) => !local.seen.includes(part.dataset.part));
    const wrong = checkKeys.filter((check) => !local.right.includes(check));
    const done = !unseen.length && !wrong.length;
    endPart.querySelector("[data-end-studied]").hidden = !done;
    endPart.querySelector("[data-end-left]").hidden = done;
    const list = endPart.querySelector("[data-end-list]");
    list.replaceChildren();
    for (const check of wrong) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "app-link-button govuk-link app-big-link";
      const question = root.querySelector(`[data-check="${check}"] legend`)?.textContent || "";
      button.textContent = `Get this check right: ${question.trim()}`;
      button.addEventListener("click", () =>
        showPart(parts.findIndex((part) => part.dataset.part === check)),
      );
      item.append(button);
      list.append(item);
    }
    for (const part of unseen) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "app-link-button govuk-link app-big-link";
      button.textContent = `Read: ${part.querySelector("h2")?.textContent.trim() || "a part"}`;
      button.addEventListener("click", () => showPart(parts.indexOf(part)));
      item.append(button);
      list.append(item);
    }
  };

  // --- Checks: marked on the spot, the answer queued for the server ---

  const showFeedback = (form, option, right) => {
    const box = form.querySelector("[data-feedback]");
    const card = document.createElement("div");
    card.className = `app-feedback app-feedback--${right ? "right" : "wrong"}`;
    const heading = document.createElement("p");
    heading.className = "govuk-heading-s";
    heading.textContent = right ? "Right." : "Not quite. Try again.";
    const text = document.createElement("p");
    text.className = "govuk-body";
    text.textContent = server.checks[form.dataset.check][option].feedback;
    card.append(heading, text);
    box.replaceChildren(card);
  };

  const newId = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
          (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
        );

  for (const form of root.querySelectorAll("[data-check]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = form.querySelector("input[name=option]:checked");
      if (!chosen) {
        const box = form.querySelector("[data-feedback]");
        const note = document.createElement("p");
        note.className = "govuk-error-message";
        note.textContent = "Choose an answer first.";
        box.replaceChildren(note);
        form.querySelector("input[name=option]").focus();
        return;
      }
      const option = Number(chosen.value);
      const right = Boolean(server.checks[form.dataset.check][option]?.right);
      showFeedback(form, option, right);
      if (right && !local.right.includes(form.dataset.check)) local.right.push(form.dataset.check);
      local.answers.push({
        client_id: newId(),
        check: form.dataset.check,
        option,
        answered_at: new Date().toISOString(),
      });
      save();
      send();
    });
  }

  nextButton.addEventListener("click", () => showPart(current + 1));
  backButton.addEventListener("click", () => showPart(current - 1));

  // Start where the learner was; a link to one part (#part-...) opens that part.
  root.classList.add("app-study--stepped");
  nav.hidden = false;
  progressBox.hidden = false;
  const fromHash = parts.findIndex((part) => `#${part.id}` === window.location.hash);
  const resume = parts.findIndex((part) => part.dataset.part === local.position);
  showPart(fromHash >= 0 ? fromHash : Math.max(resume, 0), { focus: fromHash >= 0 });
  showStatus();
  send();
}
