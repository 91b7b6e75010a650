"""Paragraph numbers: every paragraph of running text on the reading pages is numbered per page.

Which pages count is ``studybook_paragraph_pages`` in ``_config.yml``: each page with the name that
goes before the ¶ (empty: the page's chapter number, so the third paragraph of part 2 is "2 ¶ 3").
Running text is a paragraph that stands directly in a section; lists, quotations, margin notes,
admonitions (learning goals, guidance), tables and figures are not numbered (CONTRIBUTING.md).

Each numbered paragraph gets the anchor ``p-<n>`` and a ``paragraph_number`` node as its first child,
written as a link in the margin on the web and in the EPUB and as a number in the left margin in
print (``\\studyparanumber`` in studybook.sty; margin notes keep the outer margin). The number's
label needs the chapter number, which is known only once every page is read, so the writers
compute it (``paragraph_label``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util.texescape import escape

from ..domain import book_domain

PILCROW = "\N{PILCROW SIGN}"


def anchor(number: int) -> str:
    return f"p-{number}"


class paragraph_number(nodes.Inline, nodes.Element):  # noqa: N801
    """The number of the paragraph it opens (``number``); no text, so search and previews skip it."""


def page_prefix(env: BuildEnvironment, docname: str) -> str:
    """What goes before the ¶: the name set in the config, or the page's chapter number."""
    named = env.config.studybook_paragraph_pages.get(docname)
    if named:
        return str(named)
    numbers = env.toc_secnumbers.get(docname, {}).get("", ())
    return ".".join(map(str, numbers))


def paragraph_label(env: BuildEnvironment, docname: str, number: int) -> str:
    """ "2 ¶ 14": how the paragraph is named everywhere (margin, links, citations, {para})."""
    prefix = page_prefix(env, docname)
    return f"{prefix} {PILCROW} {number}" if prefix else f"{PILCROW} {number}"


def spoken_label(env: BuildEnvironment, docname: str, number: int) -> str:
    """The link's name for a screen reader: "Paragraph 2 ¶ 14". It contains the visible label, so that
    speech input can name the link (WCAG 2.5.3); screen readers at their default settings skip the ¶."""
    return f"Paragraph {paragraph_label(env, docname, number)}"


def numbered_paragraphs(doctree: nodes.Node):
    """The paragraphs of running text: those that stand directly in a section."""
    return (paragraph for paragraph in doctree.findall(nodes.paragraph) if isinstance(paragraph.parent, nodes.section))


class NumberParagraphs(SphinxTransform):
    """Number the running text of the pages in ``studybook_paragraph_pages``, in reading order."""

    default_priority = 400  # after docutils attaches labels such as (chemnitz)= to their paragraph

    def apply(self, **kwargs) -> None:
        if self.env.docname not in self.config.studybook_paragraph_pages:
            return
        domain = book_domain(self.env)
        for number, paragraph in enumerate(numbered_paragraphs(self.document), start=1):
            for label in paragraph["names"]:  # (label)= on the line before: what {para} points to
                domain.note_paragraph_label(self.env.docname, label, number)
            paragraph["ids"].append(anchor(number))
            paragraph["classes"].append("numbered")
            paragraph.insert(0, paragraph_number(number=number))


def visit_number_html(self, node: paragraph_number) -> None:
    env, docname, number = self.builder.env, self.builder.current_docname, node["number"]
    self.body.append(
        f'<a class="para-number" href="#{anchor(number)}" '
        f'aria-label="{self.attval(spoken_label(env, docname, number))}">'
        f"{self.encode(paragraph_label(env, docname, number))}</a>"
    )
    raise nodes.SkipNode


def visit_number_latex(self, node: paragraph_number) -> None:
    env, docname, number = self.builder.env, self.curfilestack[-1], node["number"]
    label = escape(paragraph_label(env, docname, number))
    self.body.append(self.hypertarget(anchor(number), anchor=True) + rf"\studyparanumber{{{label}}}")
    raise nodes.SkipNode


def skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_numbers(app: Sphinx) -> None:
    app.add_config_value("studybook_paragraph_pages", {}, "env", types=[dict])
    app.add_transform(NumberParagraphs)
    others = {fmt: (skip, None) for fmt in ("text", "man", "texinfo")}
    app.add_node(paragraph_number, html=(visit_number_html, None), latex=(visit_number_latex, None), **others)
