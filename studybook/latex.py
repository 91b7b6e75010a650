"""Margin notes in print: ``{margin}`` becomes a real note in the outer margin.

sphinx-book-theme's ``{margin}`` is a docutils sidebar with the class ``margin``; the
stock LaTeX writer sets sidebars as boxes inside the text column. Here those nodes are
written as ``\\studymarginnote{title}{text}`` (defined in ``studybook.sty``), which uses
``\\marginnote`` so it also works inside lists and admonitions, where ``\\marginpar``
fails with "Not in outer par mode". Other sidebars keep the stock rendering.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.latex import LaTeXTranslator

STYLE = "studybook"


def visit_sidebar_latex(self: LaTeXTranslator, node: nodes.sidebar) -> None:
    if "margin" not in node["classes"]:
        return LaTeXTranslator.visit_sidebar(self, node)
    title = node.next_node(nodes.title)
    if title is not None and title.parent is node:
        heading = self.encode(title.astext())
        title.parent.remove(title)  # written here as the note's heading, not as a sidebar title
    else:
        heading = ""
    self.body.append(f"\\studymarginnote{{{heading}}}{{")


def depart_sidebar_latex(self: LaTeXTranslator, node: nodes.sidebar) -> None:
    if "margin" not in node["classes"]:
        return LaTeXTranslator.depart_sidebar(self, node)
    self.body.append("}%\n")


def add_style(app: Sphinx) -> None:
    if app.builder.format == "latex":
        app.add_latex_package(STYLE)


def setup_latex(app: Sphinx) -> None:
    from docutils.nodes import sidebar

    app.add_node(sidebar, override=True, latex=(visit_sidebar_latex, depart_sidebar_latex))
    app.connect("builder-inited", add_style)
