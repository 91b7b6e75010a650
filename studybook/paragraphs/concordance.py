"""The chapter beside the edition: which part discusses each paragraph of the source chapter.

``data/concordance.csv`` maps each of the chapter's paragraphs (counted from its first line) to
the edition's page and to the paragraph of it that discusses it, named by its label (``(chemnitz)=``
on the line before it, which stays right when paragraphs are added above it) or by its number;
an empty paragraph means the edition does not discuss it. The chapter's text itself is not in the
repository. From it:

- each page it names opens with a line saying which of the chapter's paragraphs it discusses, and
  which it leaves out (a ``chapter_coverage`` note, inserted before the paragraphs are numbered,
  outside the numbering);
- the ``concordance`` directive writes the whole table, with each edition paragraph's section
  and a link to it, or "not discussed", once every page has been read; a label that the page does
  not carry, or a number beyond its last paragraph, is a ``studybook.concordance`` warning at the
  row's line.
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
from ..checks.mistakes import did_you_mean, warn
from ..domain import book_domain
from ..state import book_data
from ..tables.extension import data_file, page_docname
from ..tables.load import DataValidationError, load_concordance
from .numbers import anchor, numbered_paragraphs, page_prefix, paragraph_label

TABLE = "concordance.csv"
CONCORDANCE_PAGE = "concordance"
WIDTHS = (11, 26, 9, 38, 16)  # chapter ¶, opening, part (its heading fits at 9), section, edition ¶


def load(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    relative, path = data_file(env, TABLE)
    book_data(env).concordance = pd.DataFrame()
    if not path.exists():
        return
    try:
        book_data(env).concordance = load_concordance(path, path.with_name("concordance.schema.json"), relative)
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
        concordance = book_data(self.env).concordance
        page = self.env.docname.rpartition("/")[2]
        if concordance.empty or page not in set(concordance.page):
            return
        self.env.note_dependency(data_file(self.env, TABLE)[0])
        rows = concordance[concordance.page == page]
        numbers = rows[rows.paragraph.notna()].chapter_paragraph.tolist()
        left_out = rows[rows.paragraph.isna()].chapter_paragraph.tolist()
        title = self.document.next_node(nodes.section)
        if title is None:
            return
        note = nodes.container(classes=["chapter-coverage"])
        text = nodes.paragraph()
        discussed = (
            f"paragraph{'s' if len(numbers) > 1 else ''} {ranges(numbers)} of the chapter"
            if numbers
            else "none of the chapter's paragraphs"
        )
        text += nodes.Text(f"This part discusses {discussed}")
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
        if left_out:
            text += nodes.Text(f"; it does not discuss paragraph{'s' if len(left_out) > 1 else ''} {ranges(left_out)}")
        text += nodes.Text(".")
        note += text
        heading_end = next((i for i, child in enumerate(title) if not isinstance(child, (nodes.title, nodes.target))), len(title))
        title.insert(heading_end, note)


class concordance_table(nodes.General, nodes.Element):  # noqa: N801
    """Where the concordance table goes, filled in once every page is read."""


class ConcordanceDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(data_file(self.env, TABLE)[0])
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
        concordance = book_data(self.env).concordance
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
            if pd.isna(row.paragraph):
                where = nodes.emphasis("", "not discussed")
            elif (number := self.edition_paragraph(row, docname, len(paragraphs[docname]))) is not None:
                section = nodes.Text(section_of(self.env, docname, paragraphs[docname][number - 1]))
                label = paragraph_label(self.env, docname, number)
                where = make_refnode(self.app.builder, self.env.docname, docname, anchor(number), nodes.Text(label))
            body += _row([nodes.Text(str(row.chapter_paragraph)), nodes.Text(f"{row.opening} …"), page_link, section, where])
        return table

    def edition_paragraph(self, row, docname: str, count: int) -> int | None:
        """The number of the row's edition paragraph, named by its label or number; a warning if the page has none such."""
        where = f"{data_file(self.env, TABLE)[0]}:{row.line}"
        if row.paragraph.isdigit():
            if int(row.paragraph) <= count:
                return int(row.paragraph)
            warn(
                StudybookWarning.CONCORDANCE,
                f"column 'paragraph': {row.page} has {count} numbered paragraph{'' if count == 1 else 's'}, "
                f"so no paragraph {row.paragraph}: "
                f"write the label or number of the paragraph that discusses the chapter's paragraph {row.chapter_paragraph}",
                where,
            )
            return None
        domain = book_domain(self.env)
        number = domain.paragraph_number(docname, row.paragraph)
        if number is None:
            labels = [label for page, label in domain.paragraph_labels() if page == docname]
            warn(
                StudybookWarning.CONCORDANCE,
                f"column 'paragraph': no numbered paragraph of {row.page} has the label '{row.paragraph}'"
                f"{did_you_mean(row.paragraph, labels)}: put ({row.paragraph})= on the line before the paragraph "
                f"in {row.page}.md, or write its number",
                where,
            )
        return number


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
