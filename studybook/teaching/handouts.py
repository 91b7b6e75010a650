"""Handouts: one sheet (at most two sides) per part, for a reading group, printed from the book's own pages.

A Sphinx builder (``handouts``), a LaTeX builder with one document per part page, so that each
handout is written by Sphinx's LaTeX writer from the page as Sphinx read and resolved it, with the
book's fonts, paper size (``latex_elements.papersize`` in _config.yml) and print style, plus
``handout.sty`` for the sheet's layout. A handout holds, from the page: its learning goals (the
``goals`` admonition), its key points and its discussion questions (the sections with those ids);
from the data: a timeline of the events that ``events.csv`` assigns to the page, and the glossary
terms that the page's ``{term}`` roles use (recorded in the Domain for the self-checks), each with
the first sentence of its definition. The students' sheet leaves lines to write on under each
question; the teacher edition prints the guidance for group leaders there instead (the student
edition has none to print: studybook/teaching/editions.py removes it as pages are read).

The builder writes ``<part>.tex`` files; ``studybook/commands/handouts.py`` runs LaTeX on them.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.builders.latex.theming import Theme
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.texescape import escape

from ..domain import book_domain
from ..people import reading_order
from ..state import book_data
from ..tables.extension import loaded
from ..timelines.figure import date_label
from .editions import edition, is_guidance
from .selfcheck import glossary_definitions, title_of

STYLE = Path(__file__).parent / "styles" / "handout.sty"
GOALS_CLASS = "goals"
KEY_POINTS, QUESTIONS = "key-points", "discussion-questions"
# The template's parts that a sheet does without: a title page, contents, an index.
SHEET_ELEMENTS = {
    "maketitle": "",
    "tableofcontents": "",
    "makeindex": "",
    "printindex": "",
    "pointsize": "10pt",
}


def part_pages(env) -> list[str]:
    """The pages with discussion questions (the self-checks' part pages), in reading order."""
    order = reading_order(env)
    return sorted(book_domain(env).self_check_pages(), key=lambda page: order.get(page, len(order)))


def heading(text: str) -> nodes.raw:
    return latex(rf"\handoutheading{{{escape(text)}}}")


def latex(code: str) -> nodes.raw:
    return nodes.raw("", code + "\n", format="latex")


def unlinked(tree: nodes.Element) -> nodes.Element:
    """A sheet is read on paper: links become their text (and a reference to another page, which
    the sheet does not hold, would point nowhere)."""
    for reference in list(tree.findall(nodes.reference)):
        reference.replace_self(nodes.inline("", "", *reference.children))
    return tree


def section_with_id(page: nodes.document, section_id: str) -> nodes.section | None:
    return next((s for s in page.findall(nodes.section) if section_id in s["ids"]), None)


def learning_goals(page: nodes.document) -> list[nodes.Node]:
    goals = next((a for a in page.findall(nodes.admonition) if GOALS_CLASS in a["classes"]), None)
    if goals is None:
        return []
    title = next(iter(goals.findall(nodes.title)), None)
    return [heading(title.astext() if title else "Learning goals"), *(c for c in goals.children if c is not title)]


def section_body(section: nodes.section | None) -> list[nodes.Node]:
    if section is None:
        return []
    title = section[0] if isinstance(section[0], nodes.title) else None
    return [heading(title.astext() if title else ""), *(c for c in section.children if c is not title)]


def timeline(env, part: str) -> list[nodes.Node]:
    """The events events.csv gives to the page, in date order: a two-column list of dates and names."""
    events = loaded(book_data(env).events)
    events = events[events["page"] == part.rsplit("/", 1)[-1]] if "page" in events.columns else events.iloc[0:0]
    if events.empty:
        return []
    entries = nodes.bullet_list()
    for _, event in events.sort_values(["start_date", "id"]).iterrows():
        entries += nodes.list_item(
            "", nodes.paragraph("", "", nodes.strong("", date_label(event)), nodes.Text(" " + event["label"]))
        )
    return [heading("Timeline"), latex(r"\begin{handouttimeline}"), entries, latex(r"\end{handouttimeline}")]


def glossary_terms(env, part: str) -> list[nodes.Node]:
    """The glossary terms the page's {term} roles use, alphabetically, each with its definition's
    first sentence."""
    definitions = glossary_definitions(env)
    used = {term.lower() for term in book_domain(env).self_check_offer(part)["terms"]}
    found = sorted((definitions[term] for term in used if term in definitions), key=lambda entry: entry[0].lower())
    if not found:
        return []
    entries = nodes.bullet_list()
    for name, _, sentence in found:
        entries += nodes.list_item("", nodes.paragraph("", "", nodes.strong("", name), nodes.Text(": " + sentence)))
    return [heading("Terms"), latex(r"\begin{handoutterms}"), entries, latex(r"\end{handoutterms}")]


def discussion_questions(section: nodes.section | None, teacher: bool) -> list[nodes.Node]:
    """The questions, each followed by lines to write on (students) or by its guidance (teachers)."""
    body = section_body(section)
    guidance_title = ""
    for question in (item for node in body for item in node.findall(nodes.list_item)):
        for guidance in list(question.findall(is_guidance)):
            title = next(iter(guidance.findall(nodes.title)), None)
            guidance_title = title.astext() if title is not None else guidance_title
            note = nodes.container(classes=["handoutguidance"])  # in smaller type, under the question
            note.extend(child for child in guidance.children if child is not title)
            guidance.replace_self(note)
        if not teacher:
            question += latex(r"\handoutwritingspace")
    if guidance_title:  # said once, not under each question, so that the sheet stays one sheet
        body.insert(1, nodes.paragraph("", f"{guidance_title}: in smaller type under each question."))
    return [latex(r"\handoutquestions"), *body]


class HandoutsBuilder(LaTeXBuilder):
    """One LaTeX document per part page, ``<part>.tex``, written by Sphinx's LaTeX writer."""

    name = "handouts"
    supported_image_types: list[str] = []  # a sheet shows no figure, so no timeline image is exported for it
    epilog = "The handouts' LaTeX files are in %(outdir)s."

    def init(self) -> None:
        super().init()
        self.context.update(SHEET_ELEMENTS)
        self.context["preamble"] = self.context.get("preamble", "") + "\n\\usepackage{handout}\n"

    def init_document_data(self) -> None:
        self.titles = []
        self.document_data = [
            (page, f"{page.rsplit('/', 1)[-1]}.tex", title_of(self.env, page), self.config.author, "manual", False)
            for page in part_pages(self.env)
        ]
        wanted = {entry[1] for entry in self.document_data}
        for stale in Path(self.outdir).glob("*.tex"):  # a part that was renamed or removed
            if stale.name not in wanted:
                stale.unlink()

    def update_doc_context(self, title: str, author: str, theme: Theme) -> None:
        super().update_doc_context(title, author, theme)
        self.context["pointsize"] = SHEET_ELEMENTS["pointsize"]

    def copy_assets(self) -> None:
        super().copy_assets()
        copy_asset_file(str(STYLE), self.outdir)

    def assemble_doctree(self, indexfile: str, toctree_only: bool, appendices: list[str]) -> nodes.document:
        """The handout of the part page ``indexfile``: its pieces, taken from the page once Sphinx has
        resolved it as it does for the book."""
        self.docnames = set(self.env.all_docs)  # references to other pages resolve, and then lose their links
        page = self.env.get_doctree(indexfile)
        page["docname"] = indexfile
        self.env.resolve_references(page, indexfile, self)
        teacher = edition(self.config) == "teacher"
        title = next(iter(page.findall(nodes.title)))
        number = ".".join(map(str, self.env.toc_secnumbers.get(indexfile, {}).get("", ())))
        sheet = new_document(page["source"], page.settings)
        sheet["docname"] = indexfile
        sheet += latex(
            rf"\handouthead{{{escape(self.config.html_title)}}}{{{number}}}"
            + rf"{{{'Handout for group leaders' if teacher else 'Handout'}}}"
        )
        sheet += latex(rf"\hypersetup{{pdftitle={{{escape(title.astext())}}}, pdfauthor={{{escape(self.config.author)}}}}}")
        sheet += nodes.paragraph("", "", latex(r"\handouttitle{"), *title.deepcopy().children, latex("}"))
        sheet.extend(learning_goals(page))
        sheet.extend(section_body(section_with_id(page, KEY_POINTS)))
        sheet.extend(timeline(self.env, indexfile))
        sheet.extend(glossary_terms(self.env, indexfile))
        sheet.extend(discussion_questions(section_with_id(page, QUESTIONS), teacher))
        return unlinked(sheet)


def setup_handouts(app: Sphinx) -> None:
    app.add_builder(HandoutsBuilder)
