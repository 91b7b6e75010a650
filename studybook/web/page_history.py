"""Page history for readers: each page's footer says when it last changed and links to its history.

The date and the commit come from ``history.py`` (one ``git log`` per build); the footer is the
theme's article footer (``article_footer_items``), drawn by ``templates/page-history.html``.
Outside git the footer is left out.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ..history import history_url, page_change

TEMPLATE = "page-history.html"


def add_footer_item(app: Sphinx, config: Config) -> None:
    items = config.html_theme_options.setdefault("article_footer_items", [])
    if TEMPLATE not in items:
        items.append(TEMPLATE)


def add_page_history(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    found = page_change(app, pagename) if app.builder.format == "html" and doctree is not None else None
    if found is None:
        context["studybook_history"] = None
        return
    change, source = found
    context["studybook_history"] = {"date": change.date.isoformat(), "words": change.words, "url": history_url(app, source)}


def setup_page_history(app: Sphinx) -> None:
    app.connect("config-inited", add_footer_item)
    app.connect("html-page-context", add_page_history)
