"""The web book as an installable app that keeps working offline after one visit (HTML only).

- ``manifest.webmanifest`` at the book's root names the book and its icons (``icons/``: an SVG
  drawn for the book and PNGs rendered from it by ``tools/icons.py``), linked from every page's
  head with the theme colours for light and dark (``templates/studybook-head.html``).
- ``sw.js``, the service worker (``service_worker.js``, with Workbox's modules from npm), precaches
  the whole book with a revision (hash) per file, so a new build replaces exactly the files that
  changed; the PDF and EPUB are cached only once a reader downloads them. ``service_worker.cjs``
  writes it under Node: it starts with the build and bundles the worker while Sphinx works (some
  2 s), and when the build ends, after every other file is in place, Workbox's
  ``injectManifest`` lists the files in it.
- ``static/offline.js`` registers it after the page has loaded, with ``workbox-window`` (npm),
  and offers a reload when a new edition is waiting.

The live preview (``make serve``, ``studybook_offline = False``) must never be served from a
cache: there ``sw.js`` is a worker that removes itself, so that a browser which once kept the
built book on the same address lets go of it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..state import build_run
from .assets import STATIC

LOGGER = logging.getLogger(__name__)
HERE = Path(__file__).parent
ICONS = HERE / "icons"
GENERATE_WORKER = HERE / "service_worker.cjs"
MANIFEST = "manifest.webmanifest"
WORKER = "sw.js"
THEME_COLOURS = {"light": "#ffffff", "dark": "#14181e"}  # pydata-sphinx-theme's page backgrounds
ICON_COLOUR = "#7a1f1f"
# Hand-written, because there is nothing to cache: the standard way to retire a service worker.
SELF_REMOVING_WORKER = """\
// The live preview keeps nothing offline: this worker replaces one that a built book left on the
// same address, removes itself and reloads the open pages from the network.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
})()));
"""


def manifest(app: Sphinx) -> dict:
    icons = f"_static/{STATIC}/icons"
    return {
        "id": "./",
        "name": app.config.html_title or app.config.project,
        "short_name": app.config.studybook_short_name or app.config.project,
        "description": "A study edition with notes, people, sources and timelines; it works offline after one visit.",
        "lang": app.config.language or "en",
        "start_url": "chapters/index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": THEME_COLOURS["light"],
        "theme_color": ICON_COLOUR,
        "icons": [
            {"src": f"{icons}/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": f"{icons}/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": f"{icons}/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": f"{icons}/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or app.builder.name == "epub":
        return
    context["studybook_theme_colours"] = THEME_COLOURS
    if app.config.studybook_offline:
        app.add_js_file(f"{STATIC}/offline.js", loading_method="defer")


def start_worker(app: Sphinx) -> None:
    """Start writing the service worker: Node bundles it now and lists the book's files when told the build ended."""
    if app.builder.format != "html" or app.builder.name == "epub" or not app.config.studybook_offline:
        return
    if not shutil.which("node"):
        raise ExtensionError(
            "Node is missing: the web book's service worker is written by Workbox under Node (make book installs it)"
        )
    outdir = Path(app.outdir)
    command = ["node", str(GENERATE_WORKER), str(outdir), str(outdir / "_static" / STATIC)]
    build_run(app).worker_writer = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def write_worker(writer: subprocess.Popen) -> dict:
    """Tell the writer that every file is in place; returns what it precached (files, bytes)."""
    output, errors = writer.communicate()  # closes its standard input: its signal to go on
    if writer.returncode:
        raise ExtensionError(
            f"Workbox could not write the service worker (are the npm packages installed? run `npm ci`):\n{errors.strip()}"
        )
    precached = json.loads(output)
    if precached["warnings"]:  # for example a file too large to precache: the offline book would lack it
        raise ExtensionError("Workbox: " + "; ".join(precached["warnings"]))
    return precached


def finish_offline_book(app: Sphinx, exception: Exception | None) -> None:
    writer = build_run(app).worker_writer
    if exception and writer:
        writer.kill()
        writer.communicate()
    if exception or app.builder.format != "html" or app.builder.name == "epub":
        return
    outdir = Path(app.outdir)
    icons = outdir / "_static" / STATIC / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for icon in ICONS.glob("icon*"):  # not the EPUB's cover
        shutil.copyfile(icon, icons / icon.name)
    (outdir / MANIFEST).write_text(json.dumps(manifest(app), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not app.config.studybook_offline:
        (outdir / WORKER).write_text(SELF_REMOVING_WORKER, encoding="utf-8")
        return
    assert writer is not None  # started with the build (start_worker)
    precached = write_worker(writer)
    LOGGER.info(
        f"offline copy: {precached['count']} files, {precached['size'] / 1e6:.1f} MB "
        f"(kept by a reader's browser after the first visit)"
    )


def setup_offline(app: Sphinx) -> None:
    app.add_config_value("studybook_offline", True, "html", bool)
    app.add_config_value("studybook_short_name", "", "html", str)  # under an installed app's icon
    app.connect("builder-inited", start_worker)
    app.connect("html-page-context", add_page_context)
    app.connect("build-finished", finish_offline_book, priority=900)  # after every other file is written
