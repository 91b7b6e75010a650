"""What the web book and the EPUB load for numbered paragraphs and citations.

The web book loads ``paragraphs.css`` on every page (the "Cite this page" panel is on every page)
and ``passages.js`` (copy a paragraph's link, cite the paragraph a link leads to). The EPUB gets the
stylesheet through ``html_static_path``, which Sphinx copies before it packs the EPUB, and no script.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..web.assets import ASSETS, STATIC

STYLESHEET = "paragraphs.css"
SCRIPT = "passages.js"


def add_assets(app: Sphinx) -> None:
    if app.builder.name == "epub":
        app.config.html_static_path = [*app.config.html_static_path, str(ASSETS / STYLESHEET)]
        app.add_css_file(STYLESHEET)
    elif app.builder.format == "html":
        app.add_css_file(f"{STATIC}/{STYLESHEET}")
        app.add_js_file(f"{STATIC}/{SCRIPT}", loading_method="defer")


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", add_assets)
