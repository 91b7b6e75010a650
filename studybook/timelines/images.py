"""Static timeline images (SVG for the web preview, PDF for print), exported by kaleido.

A figure's image is named by a hash of the figure and kept under ``<build>/timeline-images/``,
shared by every builder, so an unchanged figure is never exported again.

Reading a page only plans its images (``planned_image``): the pages record them in the book's
Domain. Once reading ends, the images missing from the cache are exported by one process
(``export.py``: one headless Chromium) while Sphinx writes the pages; the build waits for it
where it copies the images (HTML and EPUB: before the extra pages are generated; other builders:
at once). So the processes that read pages in parallel never start a browser each (2–4 s
apiece), and none is forked while a browser's threads run. On a first build (no image in the
cache) the process starts before reading, so that Chromium is ready when the list comes; the build
command starts it even before Sphinx (``export.export_started_early``).

Until then an image is a ``timeline_image`` node, not Sphinx's image: Sphinx's image collector
would call the file that is not exported yet unreadable. A post-transform makes it an image.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import plotly
import plotly.graph_objects as go
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..domain import book_domain
from ..state import build_run
from .export import CACHE, FORMAT_FOR_BUILDER, first_export_due, take_or_start

# px. The web preview fills the page column; the print figure fills the 12.4 cm text column,
# where the figure's 14 px labels come out at about 8.8 pt.
EXPORT_WIDTH = {"svg": 700, "pdf": 560}
# Chromium embeds TrueType fonts as such but turns OpenType/CFF ones (the TeX Gyre fonts) into Type 3.
PRINT_FONT = "DejaVu Sans Condensed, DejaVu Sans, sans-serif"
CACHE_VERSION = 2  # bump when the export itself changes, so cached images are made again


class timeline_image(nodes.General, nodes.Element):  # noqa: N801
    """A figure's static image while its file may not exist yet; its attributes are the image's."""


def image_format(app: Sphinx) -> str | None:
    """None for a builder that writes no images (the flashcards)."""
    if not app.builder.supported_image_types:
        return None
    return FORMAT_FOR_BUILDER.get(app.builder.format, "svg")


def planned_image(env: BuildEnvironment, figure: go.Figure, attributes: dict) -> timeline_image:
    """The figure's image for this builder, its export noted for the page that shows it."""
    fmt = image_format(env.app) or "svg"
    if fmt == "pdf":
        figure = go.Figure(figure).update_layout(font_family=PRINT_FONT)
    key = json.dumps(
        [figure.to_plotly_json(), fmt, EXPORT_WIDTH[fmt], plotly.__version__, CACHE_VERSION], sort_keys=True, default=str
    )
    digest = hashlib.sha256(key.encode()).hexdigest()
    path = Path(env.app.outdir).parent / CACHE / f"timeline-{digest[:16]}.{fmt}"
    uri = Path(os.path.relpath(path, env.srcdir)).as_posix()  # as Sphinx names images: from the book's folder
    export = {"figure": figure.to_json(), "format": fmt, "width": EXPORT_WIDTH[fmt], "height": figure.layout.height}
    book_domain(env).note_figure_image(env.docname, uri, export | {"uid": digest[:6]})
    env.images.add_file(env.docname, uri)  # what Sphinx's image collector would do, but for a file not there yet
    return timeline_image(uri=uri, **attributes)


class ImagesFromPlans(SphinxPostTransform):
    """Each ``timeline_image`` becomes Sphinx's image, before Sphinx's own image transforms run."""

    default_priority = 5  # Sphinx's ImageConverter is 10

    def run(self, **kwargs) -> None:
        for planned in list(self.document.findall(timeline_image)):
            image = nodes.image(**planned.attributes)
            image["candidates"] = {"*": planned["uri"]}
            planned.replace_self(image)


def start_browser_on_a_first_build(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """With no image in the cache, and timelines to read, start the export (and its Chromium, 2 s) now,
    while the pages are read, rather than once they are."""
    fmt = image_format(app)
    if fmt and first_export_due(Path(app.outdir).parent, fmt, (Path(env.doc2path(docname)) for docname in docnames)):
        build_run(app).exporter = take_or_start()


def export_missing_images(app: Sphinx, env: BuildEnvironment) -> None:
    """Once reading ends: export the images that pages need and the cache lacks."""
    run = build_run(app)
    if not image_format(app):
        return
    srcdir = Path(app.srcdir)
    jobs = {str(srcdir / uri): job for uri, job in book_domain(env).figure_images().items() if not (srcdir / uri).exists()}
    if jobs and not run.exporter:
        run.exporter = take_or_start()
    if run.exporter:
        run.exporter.send(jobs)
        if app.builder.format != "html":  # no event comes between writing and copying images
            run.exporter.wait()


def wait_for_images(app: Sphinx, *args) -> list:
    """html-collect-pages comes after the pages are written and before their images are copied."""
    exporter = build_run(app).exporter
    if exporter:
        exporter.wait()
    return []  # no extra pages


def stop_exporting(app: Sphinx, exception: Exception | None) -> None:
    exporter = build_run(app).exporter
    if exporter:
        exporter.stop()


def setup_images(app: Sphinx) -> None:
    app.add_node(timeline_image)
    app.add_post_transform(ImagesFromPlans)
    app.connect("env-before-read-docs", start_browser_on_a_first_build)
    app.connect("env-updated", export_missing_images)
    app.connect("html-collect-pages", wait_for_images, priority=100)
    app.connect("build-finished", stop_exporting)
