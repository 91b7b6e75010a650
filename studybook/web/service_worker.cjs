// Writes the web book's service worker with Workbox (npm workbox-build), called by offline.py
// when an HTML build ends:  node service_worker.cjs <the built book's folder> <folder for scripts>
// It first copies workbox-window (npm), which the pages use to register the worker, into the
// scripts' folder, then prints what it precached as JSON: {"count": files, "size": bytes, "warnings": [...]}.
"use strict";
const fs = require("fs");
const path = require("path");
const { generateSW } = require("workbox-build");

const [book, scripts] = process.argv.slice(2);
const workboxWindow = require.resolve("workbox-window/build/workbox-window.prod.mjs");
fs.copyFileSync(workboxWindow, path.join(scripts, path.basename(workboxWindow)));
generateSW({
  globDirectory: book,
  // The whole book: pages, the search index and scripts, styles, icon fonts, figure previews,
  // plotly.js and the preview texts. Not the page sources, the fonts' TrueType copies (every
  // browser with service workers takes WOFF2), the translations or the downloads.
  globPatterns: ["**/*.{html,js,mjs,css,svg,woff2,png,webmanifest}"],
  globIgnores: ["_sources/**", "downloads/**", "**/*.LICENSE.txt"],
  swDest: `${book}/sw.js`,
  inlineWorkboxRuntime: true, // one file, nothing fetched from a CDN
  sourcemap: false, // the book ships no source maps (assets.py)
  maximumFileSizeToCacheInBytes: 6 * 1024 * 1024, // plotly.js is 1.2 MB
  // Sphinx adds ?v=<hash> or ?digest=<hash> to styles and scripts, and the search page takes ?q=:
  // the precache holds each file once, under its plain address.
  ignoreURLParametersMatching: [/.*/],
  // A new edition waits until the reader agrees to reload (offline.js), so that an open page never
  // mixes two editions; a first install takes the open page at once, so it works offline too.
  skipWaiting: false,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  // The PDF and the EPUB are kept only once a reader has downloaded them; online, the newest copy.
  runtimeCaching: [{
    urlPattern: /\/downloads\/[^/]+\.(?:pdf|epub)$/,
    handler: "NetworkFirst",
    options: { cacheName: "studybook-downloads" },
  }],
}).then(({ count, size, warnings }) => {
  process.stdout.write(JSON.stringify({ count, size, warnings }));
}, (error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
