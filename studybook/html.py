"""Web assets: the timeline script and plotly.js, only on pages that have a timeline.

plotly.js is copied from the plotly package into ``_static/studybook/`` (one cached
file for the whole book, never inlined); ``timeline.js`` fetches it when a reader asks
for the interactive chart.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import plotly
from docutils import nodes
from sphinx.application import Sphinx

from .timeline import timeline_chart

ASSETS = Path(__file__).parent / "assets"
TEMPLATES = Path(__file__).parent / "templates"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def copy_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "studybook"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PLOTLY_JS, target / "plotly.min.js")
    for asset in ASSETS.iterdir():
        shutil.copyfile(asset, target / asset.name)


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    if doctree is None or app.builder.format != "html":
        return
    if next(doctree.findall(timeline_chart), None) is not None:
        app.add_js_file("studybook/timeline.js", loading_method="defer")


def add_book_css(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.add_css_file("studybook/studybook.css")


def add_templates(app: Sphinx, config) -> None:
    config.templates_path.append(str(TEMPLATES))


def setup_html(app: Sphinx) -> None:
    app.connect("config-inited", add_templates)
    app.connect("builder-inited", add_book_css)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", copy_assets)
