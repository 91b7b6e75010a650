// Previews of glossary terms, people and sources where they are linked: shown on hover, on
// keyboard focus and on a first tap (a second tap follows the link; Enter always does); closed by
// Escape, blur or leaving the link and the preview. A preview is never taller than the window
// and scrolls inside; it sits below or above the whole link, never over a wrapped link's lines.
// Screen readers get the entry's first sentence as the link's description, not the whole entry.
// The texts are built with the book (preview-texts.js, see studybook/web/link_previews.py) and
// loaded on first use.
// Why ~100 lines of our own and not sphinx-tippy: offline, tippy copies <dt>/<dd> out of their
// list (axe `dlitem`), Escape does not close it (WCAG 1.4.13) and it writes uuid-named files
// per page; the native Popover API gives the top layer with no library.
"use strict";
(() => {
  const textsUrl = new URL("preview-texts.js", document.currentScript.src).href;
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  const preview = Object.assign(document.createElement("div"), { id: "studybook-preview", className: "studybook-preview" });
  preview.setAttribute("popover", "manual");
  const description = Object.assign(document.createElement("span"), { id: "studybook-preview-description", hidden: true });
  let texts = null; // absolute URL of an entry -> {description, html}
  let owner = null; // the link whose preview is open
  let wanted = null; // the link that most recently asked for a preview
  let hideTimer = 0;
  let lastPointer = "mouse";
  const gap = 6;

  function loadTexts() {
    texts ??= new Promise((resolve) => {
      const script = Object.assign(document.createElement("script"), { src: textsUrl });
      script.onload = () => resolve(new Map(Object.entries(window.studybookPreviewTexts)
        .map(([key, entry]) => [new URL(key, root).href, entry])));
      script.onerror = () => resolve(new Map());
      document.head.append(script);
    });
    return texts;
  }

  const linkOf = (target) => (target instanceof Element ? target.closest("a.reference.internal[href*='#']") : null);

  async function show(link) {
    wanted = link;
    const entry = (await loadTexts()).get(link.href);
    if (!entry || wanted !== link) return Boolean(entry);
    clearTimeout(hideTimer);
    if (owner === link) return true;
    hide();
    if (!preview.isConnected) document.body.append(preview, description);
    preview.innerHTML = entry.html;
    description.textContent = entry.description;
    preview.showPopover();
    preview.scrollTop = 0;
    place(link);
    owner = link;
    link.setAttribute("aria-describedby", description.id);
    return true;
  }

  // Below the whole link (all its lines), or above it when there is more room there; as tall as
  // the room on that side allows (CSS caps it at the window's height), scrolling inside.
  function place(link) {
    const box = link.getBoundingClientRect();
    const lines = link.getClientRects();
    preview.style.maxHeight = "";
    const height = preview.offsetHeight;
    const roomBelow = window.innerHeight - box.bottom - 2 * gap;
    const roomAbove = box.top - 2 * gap;
    const below = height <= roomBelow || roomBelow >= roomAbove;
    const room = Math.max(below ? roomBelow : roomAbove, 0);
    if (height > room) preview.style.maxHeight = `${room}px`;
    const top = below ? box.bottom + gap : box.top - gap - Math.min(height, room);
    const line = (below ? lines[lines.length - 1] : lines[0]) ?? box;
    const left = Math.max(gap, Math.min(line.left, document.documentElement.clientWidth - preview.offsetWidth - gap));
    preview.style.top = `${top}px`;
    preview.style.left = `${left}px`;
  }

  function hide() {
    clearTimeout(hideTimer);
    wanted = null;
    if (!owner) return;
    owner.removeAttribute("aria-describedby");
    owner = null;
    preview.hidePopover();
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300); // time to move the pointer onto the preview (WCAG 1.4.13)
  }

  document.addEventListener("pointerdown", (event) => {
    lastPointer = event.pointerType;
    if (!linkOf(event.target) && !preview.contains(event.target)) hide();
  });
  document.addEventListener("pointerover", (event) => {
    const link = linkOf(event.target);
    if (preview.contains(event.target)) clearTimeout(hideTimer);
    else if (link && event.pointerType !== "touch") show(link);
  });
  document.addEventListener("pointerout", (event) => {
    const leaving = linkOf(event.target) ?? (preview.contains(event.target) ? preview : null);
    if (leaving && !leaving.contains(event.relatedTarget) && event.pointerType !== "touch") hideSoon();
  });
  document.addEventListener("focusin", (event) => {
    const link = linkOf(event.target);
    if (link && link.matches(":focus-visible")) show(link);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target === owner || event.target === wanted) hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && (owner || wanted)) hide();
  });
  window.addEventListener("scroll", () => owner && place(owner), { passive: true });
  // A first tap on a link with a preview shows the preview instead of following the link. Enter
  // on a focused link also sends a click, with no pointer (detail 0): it always follows the link.
  document.addEventListener("click", (event) => {
    const link = linkOf(event.target);
    const tap = event.detail > 0 && (event.pointerType || lastPointer) === "touch";
    if (!link || !tap || owner === link) return;
    event.preventDefault();
    show(link).then((shown) => { if (!shown) window.location.href = link.href; });
  });
})();
