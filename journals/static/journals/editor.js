// The journal editor: nothing typed is lost.
//
// Every change is kept in localStorage (one key per person and entry) until the server says it
// has saved it. Drafts save by themselves about two seconds after typing stops, when a box loses
// the focus and when the page is hidden. The first save of a new entry creates it; later saves
// go to its edit address. If the login has ended, the writing stays on this computer and is
// saved as soon as the writer signs in again and comes back. Without JavaScript the form posts
// as usual. Nothing the writer types ever goes into a URL.

import { forgetCopy, keepCopy, storedCopy } from "../trainingsite/kept.js";

const form = document.getElementById("entry-form");

if (form) {
  const DELAY = 2000;
  const status = document.getElementById("entry-status");
  const restoredBox = document.getElementById("entry-restored");
  const autosave = form.dataset.autosave === "on";
  const saveButton = form.querySelector("[data-save]");
  const changeButton = form.querySelector("[data-change-framework]");
  let key = form.dataset.storageKey;
  let timer = null;
  let saving = null; // the promise of the save in flight
  let again = false; // another change came while saving
  let changes = 0; // bumped on every change, to know if a save covered the latest one
  let savedChanges = 0;

  // --- What the form holds, and the copy kept on this computer ---

  const read = () => {
    const data = {};
    for (const control of form.elements) {
      if (!control.name || control.name === "csrfmiddlewaretoken" || control.type === "submit") {
        continue;
      }
      if (control.type === "radio") {
        if (control.checked) data[control.name] = control.value;
      } else if (control.type === "checkbox") {
        data[control.name] = data[control.name] || [];
        if (control.checked) data[control.name].push(control.value);
      } else {
        data[control.name] = control.value;
      }
    }
    return data;
  };

  const write = (data) => {
    for (const [name, value] of Object.entries(data)) {
      const controls = [...form.elements].filter((control) => control.name === name);
      if (!controls.length) {
        // A box of another framework: carried along as it is, for the server to move.
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        hidden.value = value;
        form.append(hidden);
        continue;
      }
      for (const control of controls) {
        if (control.type === "radio") {
          control.checked = control.value === value;
        } else if (control.type === "checkbox") {
          control.checked = Array.isArray(value) && value.includes(control.value);
        } else {
          control.value = value;
        }
      }
    }
  };

  const stored = () => storedCopy(key);
  const keep = () => keepCopy(key, read());
  const forget = (which = key) => forgetCopy(which);

  const hasWriting = () =>
    [...form.querySelectorAll("textarea, input[name=title]")].some((box) => box.value.trim());

  // --- Messages ---

  const say = (text, { tone = "", extra = null } = {}) => {
    const paragraph = document.createElement("p");
    paragraph.className = `govuk-body app-editor__message${tone ? ` app-editor__message--${tone}` : ""}`;
    paragraph.textContent = text;
    if (extra) paragraph.append(" ", extra);
    status.replaceChildren(paragraph);
  };

  const loginLink = () => {
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = `${form.dataset.loginUrl}?next=${encodeURIComponent(location.pathname + location.search)}`;
    link.textContent = "Sign in again";
    return link;
  };

  const tryAgainButton = () => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
    button.textContent = "Try again";
    button.addEventListener("click", () => save());
    return button;
  };

  const signedOut = () =>
    say(
      "You have been signed out. Your writing is kept on this computer. Sign in again and it will be saved.",
      { tone: "problem", extra: loginLink() },
    );

  const notSaved = (detail) =>
    say(
      `Not saved yet${detail ? `: ${detail}` : ""}. Your writing is kept on this computer. It will be saved when you type again, or press Try again.`,
      { tone: "problem", extra: tryAgainButton() },
    );

  // --- Saving ---

  const becameEntry = (answer) => {
    if (form.getAttribute("action") === answer.edit_url) return;
    const oldKey = key;
    key = oldKey.replace(/-new$/, `-${answer.id}`);
    form.setAttribute("action", answer.edit_url);
    history.replaceState(null, "", answer.edit_url);
    forget(oldKey);
    keep(); // anything typed while the first save was on its way stays kept, under the new key
  };

  // One save at a time: a change that comes in while saving is saved straight after.
  // Answers {ok, answer} when the server saved, or {ok: false}.
  const send = async (final) => {
    const body = new FormData(form);
    body.delete("change_framework");
    if (!final) body.append("autosave", "1");
    const covers = changes;
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      });
    } catch {
      notSaved("the connection was lost");
      return { ok: false };
    }
    if (
      response.type === "opaqueredirect" ||
      response.status === 401 ||
      response.status === 403 ||
      (response.redirected && new URL(response.url).pathname.startsWith(form.dataset.loginUrl))
    ) {
      signedOut();
      return { ok: false };
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    if (response.ok && answer && answer.id) {
      becameEntry(answer);
      savedChanges = covers;
      if (changes === covers) forget();
      return { ok: true, answer };
    }
    if (response.status === 400 && answer && answer.errors) {
      if (!final) notSaved(answer.errors.map((error) => error.message).join(". "));
      return { ok: false, invalid: true };
    }
    notSaved("something went wrong on the server");
    return { ok: false };
  };

  const save = async ({ final = false, restored = false } = {}) => {
    clearTimeout(timer);
    if (!autosave) return { ok: false };
    if (saving) {
      again = true;
      await saving;
      if (!final) return { ok: true };
    }
    saving = send(final);
    const result = await saving;
    saving = null;
    if (result.ok && !final) {
      const when = result.answer.saved_at;
      say(restored ? `Your writing from this computer was put back and saved at ${when}.` : `Saved at ${when}`);
    }
    if (again && !final) {
      again = false;
      if (changes !== savedChanges) return save();
    }
    return result;
  };

  const changed = () => {
    changes += 1;
    keep();
    if (!autosave) return;
    clearTimeout(timer);
    timer = setTimeout(() => save(), DELAY);
  };

  const saveSoon = () => {
    if (autosave && changes !== savedChanges && hasWriting()) save();
  };

  form.addEventListener("input", changed);
  form.addEventListener("change", (event) => {
    if (event.target.name === "framework" && changeButton) {
      keep();
      form.requestSubmit(changeButton);
      return;
    }
    changed();
  });
  form.addEventListener("focusout", (event) => {
    if (event.target.matches("textarea, input")) saveSoon();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveSoon();
  });

  form.addEventListener("submit", async (event) => {
    if (!autosave || event.submitter !== saveButton) {
      keep();
      return; // the framework change, and typed-up reflections, post as usual
    }
    event.preventDefault();
    keep();
    saveButton.setAttribute("aria-disabled", "true");
    try {
      const result = await save({ final: true });
      if (result.ok) {
        forget();
        location.assign(result.answer.entry_url);
      } else if (result.invalid) {
        form.submit(); // the server shows what to put right; the writing is kept here too
      }
    } finally {
      saveButton.removeAttribute("aria-disabled");
    }
  });

  // markdownx turns Tab into an indent: give Tab back to moving between boxes.
  for (const pair of form.querySelectorAll(".markdownx")) {
    pair.addEventListener(
      "keydown",
      (event) => {
        if (event.key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey) {
          event.stopPropagation();
        }
      },
      true,
    );
  }

  if (changeButton) changeButton.hidden = true;

  // --- Coming back ---

  const restoredNote = (text) => {
    const box = document.createElement("div");
    box.className = "govuk-notification-banner";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Important");
    box.innerHTML =
      '<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title">Important</h2></div>' +
      '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading"></p></div>';
    box.querySelector(".govuk-notification-banner__heading").textContent = text;
    restoredBox.replaceChildren(box);
  };

  const unsaved = stored();
  if (form.dataset.fresh === "1") {
    // The server has just shown the form again with everything that was sent.
    if (unsaved && unsaved.restoring) {
      changes += 1;
      save({ restored: true });
    } else if (autosave && hasWriting()) {
      changes += 1;
      save();
    }
    keep();
  } else if (unsaved && unsaved.data) {
    const current = JSON.stringify(read());
    const boxesFor = form.elements.sections_framework.value;
    write(unsaved.data);
    if (JSON.stringify(read()) === current) {
      forget();
    } else if (unsaved.data.sections_framework && unsaved.data.sections_framework !== boxesFor) {
      // The writing was in another framework's boxes: let the server carry it over.
      localStorage.setItem(key, JSON.stringify({ ...unsaved, restoring: true }));
      form.elements.sections_framework.value = unsaved.data.sections_framework;
      form.requestSubmit(changeButton);
    } else if (autosave) {
      changes += 1;
      restoredNote("Your writing that was not saved has been put back from this computer.");
      save({ restored: true });
    } else {
      changes += 1;
      restoredNote("Your writing that was not saved has been put back. Check it, then press Save.");
    }
  }
}
