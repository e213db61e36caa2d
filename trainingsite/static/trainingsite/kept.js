// A copy of a form's unsaved state on this computer, kept until the server confirms the save.
// Storage can be full or refused (private windows): then the page itself still holds the text.

export const storedCopy = (key) => {
  try {
    return JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    return null;
  }
};

export const keepCopy = (key, data) => {
  try {
    localStorage.setItem(key, JSON.stringify({ kept: new Date().toISOString(), data }));
  } catch {
    // Not kept: the form still holds it.
  }
};

export const forgetCopy = (key) => {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing was kept.
  }
};
