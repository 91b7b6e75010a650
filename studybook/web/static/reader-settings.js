// Reading settings: text size, serif or sans-serif type, line spacing and colours (automatic,
// light, sepia, dark), in a native modal <dialog> opened from the header's "Reading settings"
// button (reader_settings.py). Kept in localStorage for every page and visit; the head script in
// templates/studybook-head.html sets them on <html> before the first paint, reader.css draws them.
// Light, dark and automatic are the theme's own modes (pydata-sphinx-theme's "mode" and "theme"
// keys and data attributes, which its switcher in the header cycles); sepia is its light mode
// with warmer colours, and goes when the reader switches the theme to another mode.
"use strict";
(() => {
  const KEY = "studybook-reader";
  const root = document.documentElement;
  const CHOICES = { // setting -> its legend and options (value -> label); "" is the book's default
    size: ["Text size", { small: "Small", "": "Normal", large: "Large", larger: "Larger" }],
    font: ["Type", { "": "Sans-serif", serif: "Serif" }],
    spacing: ["Line spacing", { compact: "Compact", "": "Normal", wide: "Wide" }],
    scheme: ["Colours", { auto: "Automatic", light: "Light", sepia: "Sepia", dark: "Dark" }],
  };
  let dialog = null;

  function saved() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch { return {}; }
  }

  const attribute = (name) => `reader${name[0].toUpperCase()}${name.slice(1)}`;

  function current(name) {
    if (name !== "scheme") return saved()[name] ?? "";
    return root.dataset.readerScheme === "sepia" ? "sepia" : (root.dataset.mode || "auto");
  }

  function setMode(mode) { // as the theme's switcher does
    const theme = mode === "auto" ? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light") : mode;
    Object.assign(root.dataset, { mode, theme });
    localStorage.setItem("mode", mode);
    localStorage.setItem("theme", theme);
  }

  function choose(name, value) {
    if (name === "scheme") {
      setMode(value === "sepia" ? "light" : value);
      value = value === "sepia" ? value : "";
    }
    const settings = saved();
    if (value) settings[name] = value;
    else delete settings[name];
    localStorage.setItem(KEY, JSON.stringify(settings));
    if (value) root.dataset[attribute(name)] = value;
    else delete root.dataset[attribute(name)];
  }

  function build() {
    dialog = Object.assign(document.createElement("dialog"), {
      id: "studybook-reader-settings", className: "studybook-reader-settings",
    });
    dialog.setAttribute("aria-labelledby", "studybook-reader-settings-title");
    const groups = Object.entries(CHOICES).map(([name, [legend, options]]) => `<fieldset><legend>${legend}</legend>${
      Object.entries(options).map(([value, label]) => `<label><input type="radio" name="${name}" value="${value}">${label}</label>`).join("")
    }</fieldset>`);
    dialog.innerHTML = `<form method="dialog"><h2 id="studybook-reader-settings-title">Reading settings</h2>${groups.join("")}`
      + "<p>Kept by this browser for every page of the book.</p><button type=\"submit\">Close</button></form>";
    dialog.addEventListener("change", (event) => choose(event.target.name, event.target.value));
    dialog.addEventListener("click", (event) => event.target === dialog && dialog.close()); // on the backdrop
    document.body.append(dialog);
  }

  window.studybookReaderSettings = () => {
    if (!dialog) build();
    for (const name of Object.keys(CHOICES)) {
      dialog.querySelector(`input[name="${name}"][value="${current(name)}"]`).checked = true;
    }
    dialog.showModal();
  };

  // The theme's switcher moved to dark or automatic: sepia goes.
  new MutationObserver(() => {
    if (root.dataset.mode !== "light" && root.dataset.readerScheme) choose("scheme", root.dataset.mode);
  }).observe(root, { attributes: true, attributeFilter: ["data-mode"] });
})();
