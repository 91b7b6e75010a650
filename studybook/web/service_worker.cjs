// Writes the web book's service worker with Workbox (npm), run by offline.py under Node:
//   node service_worker.cjs <the built book's folder> <folder for scripts>
// It starts with the build and bundles service_worker.js with Workbox's modules (rollup, as
// Workbox's documentation does for injectManifest) while Sphinx reads and writes the pages, and
// copies workbox-window (npm), which the pages use to register the worker, into the scripts'
// folder. When its standard input closes, every file of the book is in place: Workbox's
// injectManifest then lists them in sw.js, and this prints what it precached as JSON:
// {"count": files, "size": bytes, "warnings": [...]}.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { rollup } = require("rollup");
const { nodeResolve } = require("@rollup/plugin-node-resolve");
const replace = require("@rollup/plugin-replace");
const terser = require("@rollup/plugin-terser");
const { injectManifest } = require("workbox-build");

const [book, scripts] = process.argv.slice(2);

async function bundle() {
  const bundled = await rollup({
    input: path.join(__dirname, "service_worker.js"),
    plugins: [
      nodeResolve(),
      replace({ preventAssignment: true, "process.env.NODE_ENV": JSON.stringify("production") }),
      terser(),
    ],
  });
  const { output } = await bundled.generate({ format: "iife" });
  await bundled.close();
  const source = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "studybook-sw-")), "sw.js");
  fs.writeFileSync(source, output[0].code);
  return source;
}

function bookWritten() {
  return new Promise((resolve) => {
    process.stdin.resume();
    process.stdin.on("end", resolve);
  });
}

async function main() {
  const [source] = await Promise.all([bundle(), bookWritten()]);
  fs.mkdirSync(scripts, { recursive: true });
  const workboxWindow = require.resolve("workbox-window/build/workbox-window.prod.mjs");
  fs.copyFileSync(workboxWindow, path.join(scripts, path.basename(workboxWindow)));
  const { count, size, warnings } = await injectManifest({
    swSrc: source,
    swDest: path.join(book, "sw.js"),
    globDirectory: book,
    // The whole book: pages, the search index and scripts, styles, icon fonts, figure previews,
    // plotly.js and the preview texts. Not the page sources, the fonts' TrueType copies (every
    // browser with service workers takes WOFF2), the translations or the downloads.
    globPatterns: ["**/*.{html,js,mjs,css,svg,woff2,png,webmanifest}"],
    globIgnores: ["_sources/**", "downloads/**", "**/*.LICENSE.txt", "sw.js"],
    maximumFileSizeToCacheInBytes: 6 * 1024 * 1024, // plotly.js is 1.2 MB
  });
  fs.rmSync(path.dirname(source), { recursive: true });
  process.stdout.write(JSON.stringify({ count, size, warnings }));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
