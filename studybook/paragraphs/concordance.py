"""The chapter beside the edition: which part discusses each paragraph of the source chapter.

``data/concordance.csv`` maps each of the chapter's paragraphs (counted from its first line) to
the edition's page and, where checked, to its numbered paragraph; the chapter's text itself is
not in the repository. From it:

- each page it names opens with a line saying which of the chapter's paragraphs it discusses
  (a ``chapter_coverage`` note, inserted before the paragraphs are numbered, outside the numbering);
- the ``concordance`` directive writes the whole table, with each edition paragraph's section
  and a link to it, once every page has been read.
"""

from __future__ import annotations

import pandas as pd
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ..checks.catalogue import StudybookWarning
from ..checks.mistakes import warn
from ..tables.extension import data_file, page_docname
from ..tables.load import DataValidationError, load_concordance
from .numbers import anchor, numbered_paragraphs, page_prefix, paragraph_label

TABLE = "concordance.csv"
CONCORDANCE_PAGE = "concordance"
WIDTHS = (11, 26, 9, 38, 16)  # chapter ¶, opening, part (its heading fits at 9), section, edition ¶


def load(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    relative, path = data_file(env, TABLE)
    env.studybook_concordance = pd.DataFrame()
    if not path.exists():
        return
    try:
        env.studybook_concordance = load_concordance(path, path.with_name("concordance.schema.json"), relative)
    except DataValidationError as exc:
        for error in exc.errors:
            warn(StudybookWarning.DATA, error.detail, f"{error.path}:{error.line}")


def ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1–3 and 7"."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    parts = [f"{a}–{b}" if b > a else f"{a}" for a, b in spans]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class CoverageNote(SphinxTransform):
    """Open each page the concordance names with the chapter's paragraphs it discusses."""

    default_priority = 390  # before NumberParagraphs: the note sits in a container, outside the numbering

    def apply(self, **kwargs) -> None:
        concordance = getattr(self.env, "studybook_concordance", pd.DataFrame())
        page = self.env.docname.rpartition("/")[2]
        if concordance.empty or page not in set(concordance.page):
            return
        self.env.note_dependency(data_file(self.env, TABLE)[1])
        numbers = concordance[concordance.page == page].chapter_paragraph.tolist()
        title = self.document.next_node(nodes.section)
        if title is None:
            return
        note = nodes.container(classes=["chapter-coverage"])
        text = nodes.paragraph()
        text += nodes.Text(f"This part discusses paragraphs {ranges(numbers)} of the chapter")
        concordance_page = page_docname(self.env, CONCORDANCE_PAGE)
        if concordance_page in self.env.found_docs:
            link = addnodes.pending_xref(
                "",
                refdomain="std",
                reftype="doc",
                reftarget=f"/{concordance_page}",
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            link += nodes.inline("", "the Concordance")
            text += [nodes.Text(" (see "), link, nodes.Text(")")]
        text += nodes.Text(".")
        note += text
        heading_end = next((i for i, child in enumerate(title) if not isinstance(child, (nodes.title, nodes.target))), len(title))
        title.insert(heading_end, note)


class concordance_table(nodes.General, nodes.Element):  # noqa: N801
    """Where the concordance table goes, filled in once every page is read."""


class ConcordanceDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(data_file(self.env, TABLE)[1])
        for page in ("germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions"):
            self.env.note_dependency(self.env.doc2path(page_docname(self.env, page)))
        node = concordance_table()
        self.set_source_info(node)
        return [node]


def section_of(env: BuildEnvironment, docname: str, paragraph: nodes.paragraph) -> str:
    """The paragraph's section as the page shows it: "1.2 A republic in crisis"."""
    section = paragraph.parent
    title = section.next_node(nodes.title)
    numbers = env.toc_secnumbers.get(docname, {}).get("#" + section["ids"][0]) if section["ids"] else None
    prefix = ".".join(map(str, numbers)) + " " if numbers else ""
    return prefix + (title.astext() if title is not None else "")


class FillConcordance(SphinxPostTransform):
    default_priority = 20  # after {para} and before the writers

    def run(self, **kwargs) -> None:
        for placeholder in list(self.document.findall(concordance_table)):
            table = self.table()
            # print: ragged-right columns at the given widths, as the chronology's
            spec = "".join(
                rf">{{\RaggedRight\arraybackslash}}p{{\dimexpr {width / sum(WIDTHS):.3f}\linewidth-2\tabcolsep}}"
                for width in WIDTHS
            )
            placeholder.replace_self([addnodes.tabular_col_spec(spec=spec), table])

    def table(self) -> nodes.table:
        concordance = getattr(self.env, "studybook_concordance", pd.DataFrame())
        headers = ["Chapter ¶", "Opens", "Part", "Section", "Paragraph"]
        table = nodes.table(classes=["concordance", "colwidths-given"])  # print wraps at these widths
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in WIDTHS:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row([nodes.Text(h) for h in headers], header=True)
        group += head
        body = nodes.tbody()
        group += body
        paragraphs = {}
        for row in concordance.itertuples():
            docname = page_docname(self.env, row.page)
            if docname not in paragraphs:
                paragraphs[docname] = list(numbered_paragraphs(self.env.get_doctree(docname)))
            part = page_prefix(self.env, docname) or self.env.titles[docname].astext()
            page_link = make_refnode(self.app.builder, self.env.docname, docname, "", nodes.Text(part))
            page_link["reftitle"] = self.env.titles[docname].astext()
            section, where = nodes.Text(""), nodes.Text("")
            if not pd.isna(row.paragraph) and row.paragraph <= len(paragraphs[docname]):
                section = nodes.Text(section_of(self.env, docname, paragraphs[docname][row.paragraph - 1]))
                label = paragraph_label(self.env, docname, int(row.paragraph))
                where = make_refnode(self.app.builder, self.env.docname, docname, anchor(int(row.paragraph)), nodes.Text(label))
            body += _row([nodes.Text(str(row.chapter_paragraph)), nodes.Text(f"{row.opening} …"), page_link, section, where])
        return table


def _row(cells: list[nodes.Node], header: bool = False) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        paragraph += content
        entry += paragraph
        row += entry
    return row


def setup_concordance(app: Sphinx) -> None:
    app.connect("env-before-read-docs", load)
    app.add_transform(CoverageNote)
    app.add_directive("concordance", ConcordanceDirective)
    app.add_node(concordance_table)
    app.add_post_transform(FillConcordance)
