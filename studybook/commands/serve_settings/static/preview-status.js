// Live preview only (make serve): when the last build failed, a banner over the page lists each
// problem with its file:line, until a build passes. The server writes the status after each build;
// the page reads it on load (the server reloads the page after a build) and every 2 s.
(() => {
  "use strict";
  const STATUS = "/_preview-status.json";
  const DISMISSED = "studybook-preview-dismissed";
  let shownBuild = null;

  function remove() {
    document.getElementById("preview-status")?.remove();
    shownBuild = null;
  }

  function dismiss(build) {
    sessionStorage.setItem(DISMISSED, String(build));
    remove();
  }

  function show(status) {
    remove();
    const banner = document.createElement("section");
    banner.id = "preview-status";
    banner.setAttribute("role", "alert");
    banner.setAttribute("aria-labelledby", "preview-status-title");
    const title = document.createElement("h2");
    title.id = "preview-status-title";
    const count = status.problems.length;
    title.textContent = count
      ? `The last build failed: ${count} problem${count === 1 ? "" : "s"} to fix`
      : "The last build failed: see the terminal";
    banner.append(title);
    const list = document.createElement("ol");
    for (const problem of status.problems) {
      const item = document.createElement("li");
      const place = document.createElement("code");
      place.textContent = problem.place;
      item.append(place, `: ${problem.message}`);
      list.append(item);
    }
    if (count) banner.append(list);
    const note = document.createElement("p");
    note.textContent = "The page shows what the build could make of the text; this note goes away when the build passes.";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => dismiss(status.build));
    banner.addEventListener("keydown", (event) => {
      if (event.key === "Escape") dismiss(status.build);
    });
    banner.append(note, close);
    document.body.prepend(banner);
    shownBuild = status.build;
  }

  async function check() {
    let status;
    try {
      const response = await fetch(STATUS, { cache: "no-store" });
      if (!response.ok) return;
      status = await response.json();
    } catch {
      return; // the server is restarting
    }
    if (!status.failed || sessionStorage.getItem(DISMISSED) === String(status.build)) remove();
    else if (status.build !== shownBuild) show(status);
  }

  check();
  setInterval(check, 2000);
})();
