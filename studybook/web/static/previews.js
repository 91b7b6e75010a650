// Previews of glossary terms, people and sources where they are linked: shown on hover, on
// keyboard focus and on a first tap (a second tap follows the link); closed by Escape, blur
// or leaving the link and the preview. The texts are built with the book
// (preview-texts.js, see studybook/web/link_previews.py) and loaded on first use.
// Why ~100 lines of our own and not sphinx-tippy: offline, tippy copies <dt>/<dd> out of their
// list (axe `dlitem`), Escape does not close it (WCAG 1.4.13) and it writes uuid-named files
// per page; the native Popover API gives the top layer with no library.
"use strict";
(() => {
  const textsUrl = new URL("preview-texts.js", document.currentScript.src).href;
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  const preview = Object.assign(document.createElement("div"), { id: "studybook-preview", className: "studybook-preview" });
  preview.setAttribute("popover", "manual");
  preview.setAttribute("role", "tooltip");
  let texts = null; // absolute URL of an entry -> its preview HTML
  let owner = null; // the link whose preview is open
  let wanted = null; // the link that most recently asked for a preview
  let hideTimer = 0;
  let lastPointer = "mouse";

  function loadTexts() {
    texts ??= new Promise((resolve) => {
      const script = Object.assign(document.createElement("script"), { src: textsUrl });
      script.onload = () => resolve(new Map(Object.entries(window.studybookPreviewTexts)
        .map(([key, html]) => [new URL(key, root).href, html])));
      script.onerror = () => resolve(new Map());
      document.head.append(script);
    });
    return texts;
  }

  const linkOf = (target) => (target instanceof Element ? target.closest("a.reference.internal[href*='#']") : null);

  async function show(link) {
    wanted = link;
    const html = (await loadTexts()).get(link.href);
    if (!html || wanted !== link) return Boolean(html);
    clearTimeout(hideTimer);
    if (owner === link) return true;
    hide();
    if (!preview.isConnected) document.body.append(preview);
    preview.innerHTML = html;
    preview.showPopover();
    place(link);
    owner = link;
    link.setAttribute("aria-describedby", preview.id);
    return true;
  }

  // Below the link, or above it when there is no room below; never past the window's edges.
  function place(link) {
    const box = link.getClientRects()[0] ?? link.getBoundingClientRect();
    const gap = 6;
    const below = box.bottom + gap;
    const top = below + preview.offsetHeight > window.innerHeight && box.top - gap - preview.offsetHeight > 0
      ? box.top - gap - preview.offsetHeight : below;
    const left = Math.max(gap, Math.min(box.left, document.documentElement.clientWidth - preview.offsetWidth - gap));
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
  // A first tap on a link with a preview shows the preview instead of following the link.
  document.addEventListener("click", (event) => {
    const link = linkOf(event.target);
    if (!link || lastPointer !== "touch" || owner === link) return;
    event.preventDefault();
    show(link).then((shown) => { if (!shown) window.location.href = link.href; });
  });
})();
