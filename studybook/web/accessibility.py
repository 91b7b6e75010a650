"""HTML fixes that the accessibility checks (axe-core, WCAG 2.1 A and AA) ask for.

docutils writes citations as ``role="doc-biblioentry"`` inside ``role="list"``; that role is
deprecated in DPUB-ARIA 1.1 (axe ``aria-deprecated-role``). The entries keep docutils' markup
and become plain list items.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


def visit_citation_html(self: HTML5Translator, node: nodes.citation) -> None:
    HTML5Translator.visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def setup_accessibility(app: Sphinx) -> None:
    app.add_node(nodes.citation, override=True, html=(visit_citation_html, HTML5Translator.depart_citation))
