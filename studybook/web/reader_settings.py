"""Reading settings for the web book: text size, type, line spacing, and a sepia scheme beside the
theme's light and dark (HTML only; the EPUB reader has its own).

A "Reading settings" button in the article header (beside the theme's buttons, through
sphinx-book-theme's ``header_buttons``) opens the dialog of ``static/reader-settings.js``;
``static/reader.css`` draws the settings from data attributes on ``<html>``, which the head
script in ``templates/studybook-head.html`` sets before the first paint. The button needs the
script, so it is hidden without JavaScript (the theme's ``pst-js-only``).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .assets import STATIC

SETTINGS_BUTTON = {
    "type": "javascript",
    "javascript": "window.studybookReaderSettings?.()",
    "tooltip": "Reading settings",
    "icon": "fas fa-font",
    "label": "reader-settings-button",
    "classes": "pst-navbar-icon pst-js-only",
}


def add_reader_settings(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or app.builder.name == "epub":
        return
    app.add_css_file(f"{STATIC}/reader.css")
    app.add_js_file(f"{STATIC}/reader-settings.js", loading_method="defer")
    if "header_buttons" in context:
        context["header_buttons"].append(SETTINGS_BUTTON)


def setup_reader_settings(app: Sphinx) -> None:
    app.connect("html-page-context", add_reader_settings, priority=502)  # after the theme's buttons (501)
