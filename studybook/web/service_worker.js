// The web book's service worker (offline.py), bundled with Workbox's modules by service_worker.cjs.
// Workbox fills in self.__WB_MANIFEST: every file of the book with a hash of its content, so that
// a new build replaces exactly the files that changed.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";

// Sphinx adds ?v=<hash> or ?digest=<hash> to styles and scripts, and the search page takes ?q=:
// the precache holds each file once, under its plain address.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();

// A first install takes the open page at once, so that it works offline too. A new edition waits
// until the reader agrees to reload (offline.js sends SKIP_WAITING), so that an open page never
// mixes two editions.
clientsClaim();
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

// The PDF and the EPUB are kept only once a reader has downloaded them; online, the newest copy.
registerRoute(/\/downloads\/[^/]+\.(?:pdf|epub)$/, new NetworkFirst({ cacheName: "studybook-downloads" }));
