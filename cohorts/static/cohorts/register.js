// The register screen: nothing typed is lost if saving fails.
//
// While the trainer works, the form's state is kept in localStorage under the delivery's id.
// Saving goes through fetch and asks for JSON; a saved register clears the stored copy. A
// network failure, a server error or an ended login keeps the copy and says so; the next visit
// to the page puts the unsaved marks back, unless the register was saved since (by someone
// else, or elsewhere): then it says so and offers them. Without JavaScript the form posts as
// usual.

import { forgetCopy, keepCopy, storedCopy } from "../trainingsite/kept.js";

const form = document.getElementById("register-form");

if (form) {
  const key = `register-marks-${form.dataset.delivery}`;
  const status = document.getElementById("register-status");
  const saveButton = form.querySelector("button[type=submit]");
  const title = document.title.replace(/^Error: /, "");
  let saving = false;

  const read = () => {
    const data = {};
    for (const control of form.elements) {
      if (!control.name || control.name === "csrfmiddlewaretoken") continue;
      if (control.type === "radio") {
        if (control.checked) data[control.name] = control.value;
      } else if (control.type === "checkbox") {
        data[control.name] = control.checked;
      } else {
        data[control.name] = control.value;
      }
    }
    return data;
  };

  const write = (data) => {
    for (const control of form.elements) {
      if (!control.name || !(control.name in data)) continue;
      if (control.type === "radio") {
        control.checked = control.value === data[control.name];
      } else if (control.type === "checkbox") {
        control.checked = Boolean(data[control.name]);
      } else {
        control.value = data[control.name];
      }
    }
  };

  const stored = () => storedCopy(key);
  const keep = () => keepCopy(key, read());
  const forget = () => forgetCopy(key);

  // The reason list matters only for an absence; elsewhere it is out of the way (and the
  // tab order) until the trainee is marked absent.
  const syncRow = (row) => {
    const absent = row.querySelector("input[type=radio][value=absent]");
    const reason = row.querySelector("select");
    if (absent && reason) reason.disabled = !absent.checked;
  };
  const syncRows = () => form.querySelectorAll("tr[data-trainee]").forEach(syncRow);

  // What disrupted the session is asked only when it was disrupted. (Not GOV.UK's own
  // conditional reveal: that puts aria-expanded on a radio, which ARIA does not allow.)
  const syncConditionals = () => {
    for (const input of form.querySelectorAll("input[data-reveals]")) {
      const panel = document.getElementById(input.dataset.reveals);
      if (panel) panel.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
    }
  };

  const banner = (kind, heading, detail) => {
    document.querySelectorAll("[data-register-banner]").forEach((old) => old.remove());
    const box = document.createElement("div");
    box.className = `govuk-notification-banner app-register-banner app-register-banner--${kind}`;
    if (kind === "saved") box.classList.add("govuk-notification-banner--success");
    box.setAttribute("data-register-banner", "");
    const header = document.createElement("div");
    header.className = "govuk-notification-banner__header";
    const label = document.createElement("p");
    label.className = "govuk-notification-banner__title";
    label.textContent = { saved: "Success", failed: "Not saved", restored: "Important" }[kind];
    header.append(label);
    const content = document.createElement("div");
    content.className = "govuk-notification-banner__content";
    const text = document.createElement("p");
    text.className = "govuk-notification-banner__heading";
    text.textContent = heading;
    content.append(text);
    if (detail) content.append(detail);
    box.append(header, content);
    if (kind === "restored") {
      document.getElementById("register-restored").replaceChildren(box);
    } else {
      status.replaceChildren(box);
      box.scrollIntoView({ block: "nearest" });
    }
  };

  const signInAgain = () => {
    const paragraph = document.createElement("p");
    paragraph.className = "govuk-body";
    const link = document.createElement("a");
    link.className = "govuk-notification-banner__link";
    link.href = form.dataset.loginUrl;
    link.textContent = "Sign in again";
    paragraph.append(link, ", and this page will put your marks back. Then press Save again.");
    return paragraph;
  };

  const clearErrors = () => {
    document.querySelectorAll(".govuk-error-summary").forEach((summary) => summary.remove());
    form.querySelectorAll(".govuk-error-message").forEach((message) => message.remove());
    form.querySelectorAll(".govuk-form-group--error").forEach((group) => {
      group.classList.remove("govuk-form-group--error");
    });
    form.querySelectorAll(".govuk-select--error, .govuk-input--error").forEach((control) => {
      control.classList.remove("govuk-select--error", "govuk-input--error");
      control.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".app-register-row--error").forEach((row) => {
      row.classList.remove("app-register-row--error");
    });
    document.title = title;
  };

  const markField = (control, message) => {
    if (!control) return;
    control.closest("tr")?.classList.add("app-register-row--error");
    const group = control.closest(".govuk-form-group");
    if (!group) return;
    group.classList.add("govuk-form-group--error");
    const note = document.createElement("p");
    note.className = "govuk-error-message";
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = "Error: ";
    note.append(hidden, message);
    if (control.type === "radio") {
      group.querySelector("legend")?.after(note);
    } else {
      control.classList.add(control.tagName === "SELECT" ? "govuk-select--error" : "govuk-input--error");
      control.before(note);
    }
  };

  const showErrors = (errors) => {
    const summary = document.createElement("div");
    summary.className = "govuk-error-summary";
    summary.tabIndex = -1;
    const alert = document.createElement("div");
    alert.setAttribute("role", "alert");
    const heading = document.createElement("h2");
    heading.className = "govuk-error-summary__title";
    heading.textContent = "There is a problem";
    const list = document.createElement("ul");
    list.className = "govuk-list govuk-error-summary__list";
    for (const { field, message } of errors) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${field}`;
      link.textContent = message;
      link.addEventListener("click", (event) => {
        const control = document.getElementById(field);
        if (!control) return;
        event.preventDefault();
        control.focus();
      });
      item.append(link);
      list.append(item);
      markField(document.getElementById(field), message);
    }
    const body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    body.append(list);
    alert.append(heading, body);
    summary.append(alert);
    document.getElementById("main-content").prepend(summary);
    document.title = `Error: ${title}`;
    summary.focus();
  };

  const showSaved = (savedAt) => {
    const tag = document.querySelector("[data-delivery-status]");
    const outcome = form.querySelector("input[name=status]:checked");
    if (tag && outcome) {
      tag.textContent = outcome.value === "disrupted" ? "Disrupted" : "Delivered";
      tag.className = `govuk-tag ${outcome.value === "disrupted" ? "govuk-tag--orange" : "govuk-tag--green"}`;
    }
    banner("saved", `Register saved. Saved at ${savedAt}`);
  };

  const save = async () => {
    const body = new FormData(form);
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
      banner(
        "failed",
        "Not saved. Your marks are kept on this laptop. Check the connection and press Save again.",
      );
      return;
    }
    const signedOut =
      response.type === "opaqueredirect" ||
      response.status === 401 ||
      response.status === 403 ||
      (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login/"));
    if (signedOut) {
      banner(
        "failed",
        "Not saved: you have been signed out. Your marks are kept on this laptop.",
        signInAgain(),
      );
      return;
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    if (response.ok && answer && answer.saved) {
      forget();
      showSaved(answer.saved_at);
    } else if (response.status === 400 && answer && answer.errors) {
      status.replaceChildren();
      showErrors(answer.errors);
    } else {
      banner(
        "failed",
        "Not saved. Your marks are kept on this laptop. Check the connection and press Save again.",
      );
    }
  };

  form.addEventListener("change", (event) => {
    const row = event.target.closest("tr[data-trainee]");
    if (row) syncRow(row);
    syncConditionals();
    keep();
  });
  form.addEventListener("input", keep);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (saving) return;
    saving = true;
    saveButton.setAttribute("aria-disabled", "true");
    keep();
    clearErrors();
    try {
      await save();
    } finally {
      saving = false;
      saveButton.removeAttribute("aria-disabled");
    }
  });

  const unsaved = stored();
  const savedSince =
    unsaved && form.dataset.savedVersion && new Date(form.dataset.savedVersion) > new Date(unsaved.kept);
  if (unsaved && unsaved.data && savedSince) {
    // Someone saved the register after these marks were kept: never overwrite theirs quietly.
    const choice = document.createElement("p");
    choice.className = "govuk-body";
    const useMine = Object.assign(document.createElement("button"), {
      type: "button",
      className: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0",
      textContent: "Use my unsaved marks instead",
    });
    useMine.addEventListener("click", () => {
      write(unsaved.data);
      syncRows();
      syncConditionals();
      keep();
      banner("restored", "Your unsaved marks are back.", Object.assign(document.createElement("p"), {
        className: "govuk-body",
        textContent: "Check them, then press Save register to keep them.",
      }));
    });
    choice.append(useMine);
    banner(
      "restored",
      "This register was saved after you made changes on this laptop that were not saved. " +
        "The page shows the saved register.",
      choice,
    );
  } else if (unsaved && unsaved.data) {
    const current = JSON.stringify(read());
    write(unsaved.data);
    if (JSON.stringify(read()) === current) {
      forget();
    } else {
      banner(
        "restored",
        "Restored marks you had not saved yet.",
        Object.assign(document.createElement("p"), {
          className: "govuk-body",
          textContent: "Check them, then press Save register to keep them.",
        }),
      );
    }
  }
  syncRows();
  syncConditionals();
}
