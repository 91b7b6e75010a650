// What the theme leaves out for keyboard and screen-reader users (issue 22; tests/test_browser.py):
// - the sidebar and contents dialogs of narrow screens are named, their toggles say whether they
//   are open (aria-expanded), and Escape gives the focus back to the toggle (the theme blurs the
//   toggle on click, so the dialog returned the focus to <body>);
// - the search page focuses its field and announces the result count ("Search finished, found 9
//   pages ...") in a live region;
// - on wide screens a margin note stays level with the paragraph it comments on: floats stack, so
//   a note that follows a long one drifts down (up to 384 px); the paragraph waits for it instead.
"use strict";
(() => {
  const onReady = (run) => (document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", run) : run());

  function connectDialogs() {
    const dialogs = [
      [".primary-toggle", "pst-primary-sidebar-modal", "pst-primary-sidebar", "Book navigation"],
      [".secondary-toggle", "pst-secondary-sidebar-modal", "pst-secondary-sidebar", "Contents of this page"],
    ];
    for (const [toggleSelector, dialogId, sidebarId, name] of dialogs) {
      const toggle = document.querySelector(toggleSelector);
      const dialog = document.getElementById(dialogId);
      const sidebar = document.getElementById(sidebarId);
      if (!toggle || !dialog || !sidebar) continue;
      dialog.setAttribute("aria-label", name);
      // Open: the dialog is (narrow screens), or the sidebar shows beside the text (wide screens).
      const update = () => toggle.setAttribute("aria-expanded",
        String(dialog.open || (sidebar.childElementCount > 0 && sidebar.checkVisibility({ visibilityProperty: true }))));
      toggle.addEventListener("click", () => setTimeout(update));
      dialog.addEventListener("close", () => {
        update();
        toggle.focus();
      });
      window.addEventListener("resize", update, { passive: true });
      update();
    }
  }

  function announceSearchResults() {
    const results = document.getElementById("search-results");
    const field = document.querySelector(".bd-search-container form.bd-search input[name='q']");
    if (!results || !field) return;
    field.focus();
    const status = Object.assign(document.createElement("p"), { className: "visually-hidden", id: "studybook-search-status" });
    status.setAttribute("role", "status");
    results.before(status);
    new MutationObserver(() => {
      const summary = results.querySelector(".search-summary")?.textContent.trim();
      if (summary && status.textContent !== summary) status.textContent = summary;
    }).observe(results, { childList: true, subtree: true, characterData: true });
  }

  // Each floating note's paragraph (the next element with a height, unless a note or a heading
  // comes first) starts level with the note.
  const waiting = new Set(); // the paragraphs moved down
  function alignMarginNotes() {
    waiting.forEach((paragraph) => { paragraph.style.marginTop = ""; });
    waiting.clear();
    for (const note of document.querySelectorAll(".bd-article aside.margin")) {
      if (getComputedStyle(note).float === "none") continue;
      let paragraph = note.nextElementSibling;
      while (paragraph && paragraph.getBoundingClientRect().height === 0) paragraph = paragraph.nextElementSibling;
      if (!paragraph || paragraph.matches("aside.margin, section, h1, h2, h3, h4, h5, h6")) continue;
      for (let pass = 0; pass < 3; pass += 1) { // margins collapse: move, measure again
        const drift = note.getBoundingClientRect().top - paragraph.getBoundingClientRect().top;
        if (drift <= 1) break;
        paragraph.style.marginTop = `${parseFloat(getComputedStyle(paragraph).marginTop) + drift}px`;
        waiting.add(paragraph);
      }
    }
  }

  onReady(() => {
    connectDialogs();
    announceSearchResults();
    if (document.querySelector(".bd-article aside.margin")) {
      alignMarginNotes();
      document.fonts.ready.then(alignMarginNotes);
      let timer = 0;
      window.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(alignMarginNotes, 100); }, { passive: true });
    }
  });
})();
