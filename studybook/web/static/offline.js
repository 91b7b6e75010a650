// Keeps the book for reading offline (see studybook/web/offline.py): registers the service worker
// that Workbox wrote (sw.js, at the book's root) once the page has loaded and the browser is idle,
// so the first view never waits for it; the worker then keeps the whole book (3.4 MB stored,
// under 1 MB over the network when the server compresses, once per edition: only changed files after).
// When a later visit finds a new edition, the worker waits and this script offers a reload; the
// new edition takes over only then, so an open page never mixes two editions.
// Nothing of this runs from file:// (browsers allow service workers only on http and https), nor
// when the reader has asked the browser to save data.
"use strict";
(() => {
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(window.location.protocol)) return;
  if (navigator.connection?.saveData) return;
  const script = document.currentScript;
  const worker = new URL("../../sw.js", script.src); // this file is _static/studybook/offline.js
  const workboxWindow = new URL("workbox-window.prod.mjs", script.src);

  // A polite notice at the foot of the window: announced by screen readers without taking the
  // focus, two buttons in the Tab order. Shown again on the next page until the reader reloads.
  function offerNewEdition() {
    if (document.getElementById("studybook-new-edition")) return;
    const notice = document.createElement("div");
    notice.id = "studybook-new-edition";
    notice.className = "studybook-new-edition";
    notice.setAttribute("role", "region");
    notice.setAttribute("aria-label", "New edition");
    const message = Object.assign(document.createElement("p"), { className: "studybook-new-edition-text" });
    message.setAttribute("role", "status");
    const reload = Object.assign(document.createElement("button"), { type: "button", textContent: "Reload" });
    const later = Object.assign(document.createElement("button"), { type: "button", textContent: "Not now" });
    reload.addEventListener("click", useNewEdition);
    later.addEventListener("click", () => notice.remove());
    notice.append(message, reload, later);
    document.body.append(notice);
    // Filled in after insertion, so that the live region announces it.
    requestAnimationFrame(() => { message.textContent = "A new edition of this book is available: reload to read it."; });
  }

  async function useNewEdition() {
    const registration = await navigator.serviceWorker.getRegistration(worker.href);
    if (!registration?.waiting) { // another tab has already switched to the new edition
      window.location.reload();
      return;
    }
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
    registration.waiting.postMessage({ type: "SKIP_WAITING" }); // Workbox's message for skipWaiting()
  }

  async function register() {
    const { Workbox } = await import(workboxWindow.href);
    const workbox = new Workbox(worker.href);
    workbox.addEventListener("waiting", offerNewEdition);
    await workbox.register();
  }

  const whenIdle = window.requestIdleCallback ?? ((callback) => setTimeout(callback, 200));
  const start = () => whenIdle(() => register().catch((error) => console.warn("offline copy:", error)), { timeout: 5000 });
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
})();
