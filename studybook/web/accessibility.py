"""HTML fixes that the accessibility checks ask for: axe-core (WCAG 2.1 A and AA) and what axe
cannot see, read from the browser's accessibility tree (tests/test_browser.py).

- docutils writes citations as ``role="doc-biblioentry"`` inside ``role="list"``; that role is
  deprecated in DPUB-ARIA 1.1 (axe ``aria-deprecated-role``). The entries keep docutils' markup
  and become plain list items.
- Margin notes (``{margin}``, a docutils sidebar) are ``<aside role="note">`` named by their title:
  a bare ``<aside>`` is an unnamed "complementary" landmark, eleven of them on a part page.
- Admonitions with the class ``dropdown`` (the guidance for group leaders under each discussion
  question) are native ``<details>``, their title the ``<summary>``: sphinx-togglebutton's button
  was named "Toggle hidden content" six times on a page. Each summary says which question it
  belongs to ("Guidance for group leaders on question 3"; the number for screen readers only).
  The EPUB and the PDF keep the open admonition.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator


def visit_citation_html(self: HTML5Translator, node: nodes.citation) -> None:
    HTML5Translator.visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def visit_sidebar_html(self: HTML5Translator, node: nodes.sidebar) -> None:
    title = node.children[0] if node.children else None
    if "margin" not in node["classes"] or not isinstance(title, nodes.title):
        return HTML5Translator.visit_sidebar(self, node)
    if not title["ids"]:
        base = nodes.make_id(f"note-{title.astext()}")
        note_id, number = base, 1
        while note_id in self.document.ids:
            number += 1
            note_id = f"{base}-{number}"
        self.document.ids[note_id] = title
        title["ids"].append(note_id)
    self.body.append(self.starttag(node, "aside", CLASS="sidebar", role="note", **{"aria-labelledby": title["ids"][0]}))
    self.in_sidebar = True


class disclosure(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """An admonition that opens on demand: ``<details>``."""


class disclosure_summary(nodes.Part, nodes.TextElement):  # noqa: N801
    """The title of a disclosure: ``<summary>``."""


def visit_disclosure(self: HTML5Translator, node: disclosure) -> None:
    self.body.append(self.starttag(node, "details"))


def depart_disclosure(self: HTML5Translator, node: disclosure) -> None:
    self.body.append("</details>\n")


def visit_disclosure_summary(self: HTML5Translator, node: disclosure_summary) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="admonition-title"))


def depart_disclosure_summary(self: HTML5Translator, node: disclosure_summary) -> None:
    self.body.append("</summary>\n")


class DropdownsAsDisclosures(SphinxPostTransform):
    default_priority = 200
    builders = ("html", "dirhtml", "singlehtml")

    def run(self, **kwargs) -> None:
        for admonition in list(self.document.findall(nodes.admonition)):
            if "dropdown" not in admonition["classes"] or not isinstance(admonition[0], nodes.title):
                continue
            title, *body = admonition.children
            summary = disclosure_summary(title.rawsource, "", *title.children)
            item = admonition.parent
            if isinstance(item, nodes.list_item) and isinstance(item.parent, nodes.enumerated_list):
                number = item.parent.get("start", 1) + item.parent.index(item)
                summary += nodes.inline("", f" on question {number}", classes=["visually-hidden"])
            classes = [name for name in admonition["classes"] if name != "dropdown"] + ["admonition"]
            # not replace_self(), which would copy the admonition's classes, "dropdown" among them
            admonition.parent.replace(admonition, disclosure("", summary, *body, ids=admonition["ids"], classes=classes))


def setup_accessibility(app: Sphinx) -> None:
    app.add_node(nodes.citation, override=True, html=(visit_citation_html, HTML5Translator.depart_citation))
    app.add_node(nodes.sidebar, override=True, html=(visit_sidebar_html, HTML5Translator.depart_sidebar))
    app.add_node(disclosure, html=(visit_disclosure, depart_disclosure))
    app.add_node(disclosure_summary, html=(visit_disclosure_summary, depart_disclosure_summary))
    app.add_post_transform(DropdownsAsDisclosures)
