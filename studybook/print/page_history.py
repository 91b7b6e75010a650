"""The printed book's page history: each chapter opens with the date it last changed (from git,
``history.py``), so a teacher can tell two printouts apart. Outside git, nothing is added.

The LaTeX builder resolves one doctree for the whole book, with each page inlined in a
``start_of_file`` node; each page's date goes under its own first heading. This runs as an early
post-transform, before sphinx-jupyterbook-latex rearranges the tree into parts and chapters.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..history import page_change


class ChapterDates(SphinxPostTransform):
    builders = ("latex",)
    default_priority = 150  # sphinx-jupyterbook-latex's rearranging runs at 500 and 700

    def run(self, **kwargs) -> None:
        add_chapter_dates(self.app, self.document, self.env.docname)  # the root page, the others inlined


def add_chapter_dates(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    pages = [(docname, doctree), *((page["docname"], page) for page in doctree.findall(addnodes.start_of_file))]
    for page_name, page in pages:
        found = page_change(app, page_name)
        section = own_section(page)
        if found is None or section is None or not isinstance(section[0], nodes.title):
            continue
        change, _ = found
        section.insert(
            1, nodes.paragraph("", "", nodes.emphasis("", f"Last changed on {change.words}."), classes=["studybook-last-changed"])
        )


def own_section(page: nodes.Element) -> nodes.section | None:
    """The page's first section, not one of a page inlined in it. Walked down through children:
    inlining leaves the inlined nodes' parent pointers on their own documents."""
    for child in page.children:
        if isinstance(child, nodes.section):
            return child
        if isinstance(child, nodes.Element) and not isinstance(child, addnodes.start_of_file):
            found = own_section(child)
            if found is not None:
                return found
    return None


def setup_page_history(app: Sphinx) -> None:
    app.add_post_transform(ChapterDates)
