"""The EPUB: the web book's pages for e-readers, with static figures and no scripts.

Sphinx's EPUB builder writes HTML pages, so without this module it would also get the web-only
parts: the interactive chart (a script with the figure's data), the disclosure with the
figure's events, sphinx-thebe's configuration scripts, and two stylesheets that their
extensions copy only when the build has finished, after the EPUB has been packed. Each of
these makes ``epubcheck`` fail. The figure itself stays: an SVG image with its caption.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .timelines.directive import timeline_chart, timeline_events

# Written at build-finished by myst-nb and by studybook.web.assets; neither styles anything the EPUB has.
LATE_STYLESHEETS = ("_static/mystnb.", "_static/studybook/")


class RemoveWebOnlyNodes(SphinxPostTransform):
    builders = ("epub",)
    default_priority = 200

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(lambda n: isinstance(n, (timeline_chart, timeline_events)))):
            node.parent.remove(node)


def remove_scripts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop raw HTML scripts (sphinx-thebe adds two to every page, thebe or not)."""
    if app.builder.name != "epub":
        return
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and "<script" in raw.astext():
            raw.parent.remove(raw)


def drop_late_stylesheets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name == "epub":
        context["css_files"][:] = [css for css in context["css_files"]
                                   if not css.filename.startswith(LATE_STYLESHEETS)]


def setup_epub(app: Sphinx) -> None:
    app.add_post_transform(RemoveWebOnlyNodes)
    app.connect("doctree-resolved", remove_scripts, priority=600)  # after sphinx-thebe's (500)
    app.connect("html-page-context", drop_late_stylesheets)
