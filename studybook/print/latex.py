"""The printed book: margin notes in the margin, the page design, numbering and the chronology.

sphinx-book-theme's ``{margin}`` is a docutils sidebar with the class ``margin``; the
stock LaTeX writer sets sidebars as boxes inside the text column. Here those nodes are
written as ``\\studymarginnote{title}{text}``, which waits for the paragraph that follows;
as ``\\studymarginnotehere`` when something else follows (a waiting note would end up in
the next heading's box, and be lost); and as ``\\studymarginnote*`` inside boxes, where
LaTeX forbids ``\\marginpar``. The macros are defined in ``latex/studybook.sty`` with the rest of
the page design. Other sidebars keep the stock rendering.

The style files reach the LaTeX folder through ``latex_additional_files``: ``studybook.sty``
and a stand-in ``bbm.sty``, which sphinx-jupyterbook-latex's class requires (see that file).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import thebibliography
from sphinx.config import Config
from sphinx.domains.std import StandardDomain
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape
from sphinx.util.texescape import escape
from sphinx.writers.latex import LaTeXTranslator
from sphinx_jupyterbook_latex.nodes import RootHeader

from ..state import build_run
from ..timelines.directive import timeline_events
from . import marks

STYLE = "studybook"
STYLE_FILES = [Path(__file__).parent / "styles" / name for name in ("studybook.sty", "bbm.sty")]

# Fonts are chosen by file name, so the build does not depend on the fontconfig cache.
FONTS = r"""
\setmainfont{texgyrepagella}[Extension=.otf, UprightFont=*-regular, ItalicFont=*-italic,
  BoldFont=*-bold, BoldItalicFont=*-bolditalic]
\setsansfont{texgyreheros}[Extension=.otf, UprightFont=*-regular, ItalicFont=*-italic,
  BoldFont=*-bold, BoldItalicFont=*-bolditalic, Scale=MatchLowercase]
\setmonofont{FreeMono}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique,
  BoldFont=*Bold, BoldItalicFont=*BoldOblique, Scale=MatchLowercase]
"""
# The book's defaults; a key set in _config.yml (sphinx.config.latex_elements) wins.
LATEX_ELEMENTS = {
    "pointsize": "11pt",
    "fontpkg": FONTS,
    "fncychap": "",
    "maketitle": r"\studymaketitle",
}
# Where LaTeX forbids \marginpar ("Not in outer par mode"): a note there uses \marginnote.
BOXES = (nodes.Admonition, nodes.table, nodes.footnote, nodes.topic, nodes.figure, nodes.sidebar)


def visit_sidebar_latex(self: LaTeXTranslator, node: nodes.sidebar) -> None:
    if "margin" not in node["classes"]:
        return LaTeXTranslator.visit_sidebar(self, node)
    if any(isinstance(ancestor, BOXES) for ancestor in _ancestors(node)):
        self.body.append(r"\studymarginnote*{")
    elif _paragraph_follows(node):
        # \par ends the paragraph before, which Sphinx leaves open, so that the note waits for the next
        self.body.append(r"\par\studymarginnote{")
    else:
        self.body.append(r"\studymarginnotehere{")
    title = node.next_node(nodes.title)
    if title is not None and title.parent is node:
        # written here as the note's heading (empty for an untitled note), not as a sidebar title
        for child in title.children:
            child.walkabout(self)
        node.remove(title)
    self.body.append("}{")


def depart_sidebar_latex(self: LaTeXTranslator, node: nodes.sidebar) -> None:
    if "margin" not in node["classes"]:
        return LaTeXTranslator.depart_sidebar(self, node)
    self.body.append("}%\n")


def visit_reference_latex(self: LaTeXTranslator, node: nodes.reference) -> None:
    """A cross-reference to a chapter or a place in the book gives, in print, where to turn:
    "Germany 1923 (chapter 1, p. 21)", or "(chapter 1, p. 21)" where the reference stands alone
    in brackets; a reference named by its chapter's title gives that chapter and the page of the
    place it points to (the Who's who's "Appears in"); other internal references "(p. 30)". Names
    and glossary terms print as words."""
    LaTeXTranslator.visit_reference(self, node)
    target = _page_target(self, node)
    if target is None:
        return
    page, chapter = target
    where = rf"\studychapterref{{{chapter}}}{{{page}}}" if chapter else rf"\studypageref{{{page}}}"
    if _alone_in_brackets(node):
        self.body.append(where + self.context.pop())
        raise nodes.SkipNode
    self.context[-1] += rf" ({where})"


def _page_target(self: LaTeXTranslator, node: nodes.reference) -> tuple[str, str] | None:
    """(LaTeX label of the page, of the numbered chapter to name or "") for a reference to a chapter
    or a place in one."""
    uri = node.get("refuri", "")
    if self.in_title or not uri.startswith("%") or not node.children:
        return None
    if any({"std-term", "person", "para-ref"} & set(inner["classes"]) for inner in node.findall(nodes.inline)):
        return None  # a term, a name, or a paragraph named by its number ("1 ¶ 15"), which is its own locator
    docname, _, label = uri[1:].partition("#")
    env = self.builder.env
    title = env.titles[docname].astext()
    names_chapter = node.astext().strip() == title
    if label.startswith(("person-", "term-")) and not names_chapter:
        return None  # a name or a term (the chronology's "With:" people) prints as the word
    std = cast(StandardDomain, env.get_domain("std"))
    whole_chapter = not label or any((doc, anchor, name) == (docname, label, title) for doc, anchor, name in std.labels.values())
    number = ".".join(map(str, env.toc_secnumbers.get(docname, {}).get("", ())))
    if whole_chapter and number and node.astext().strip() == number:
        return None  # a chapter named by its number (the concordance's part column): nothing to add
    chapter = rf"\detokenize{{studydoc:{docname}}}"
    page = chapter if whole_chapter else self.idescape(f"{docname}:{label}")  # (idescape wraps it in \detokenize)
    return page, chapter if number and (whole_chapter or names_chapter) else ""


def _alone_in_brackets(node: nodes.reference) -> bool:
    before, after = node.previous_sibling(), node.next_node(descend=False, siblings=True)
    return (
        isinstance(before, nodes.Text)
        and before.astext().endswith("(")
        and isinstance(after, nodes.Text)
        and after.astext().startswith(")")
    )


def _paragraph_follows(note: nodes.sidebar) -> bool:
    """Whether the next visible thing is a paragraph; further margin notes wait for it too."""
    for sibling in note.parent[note.parent.index(note) + 1 :]:
        if isinstance(sibling, nodes.Invisible) or "margin" in sibling.get("classes", []):
            continue
        return isinstance(sibling, nodes.paragraph)
    return False


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


class BibliographyPlace(SphinxPostTransform):
    """Marks where the bibliography directive put the citations: Sphinx gathers them at the end of
    the book (BibliographyTransform, priority 750), after the last chapter and under its running
    head; PrintStructure puts them back in their chapter."""

    builders = ("latex",)
    default_priority = 740

    def run(self, **kwargs) -> None:
        first = next(self.document.findall(nodes.citation), None)
        if first is not None:
            first.parent.insert(first.parent.index(first), nodes.container(classes=[BIBLIOGRAPHY_PLACE]))


BIBLIOGRAPHY_PLACE = "studybook-bibliography-place"


class PrintStructure(SphinxPostTransform):
    r"""Shape the assembled book for print.

    - Only pages under a numbered part of ``_toc.yml`` get chapter and section numbers, as on
      the web; parts stay unnumbered.
    - The opening page becomes an unnumbered chapter under its own title (sphinx-jupyterbook-latex
      uses that title for the title page and prints the page's text without a heading), and its
      headings, which sphinx-jupyterbook-latex sets as bold lines (``RootHeader``), real unnumbered
      sections and subsections that the contents lists.
    - Figures and tables carry the numbers they have on the web ("Fig. 3.1"; "Fig. 1" on an
      unnumbered page), which LaTeX would otherwise count through the book.
    - A ``timeline-table`` (the chronology) breaks across pages, in small type, ragged right,
      with the column widths the directive gives, on pages as wide as the text and the note margin
      (from the start of its section), with its sources as bibliography citations only.
    - The bibliography stands in its chapter, where its directive is (see BibliographyPlace).
    - Every use of a glossary term is indexed where it stands, like every mention of a person; a
      name or term used on many pages gets one subentry per chapter (``index_by_chapter``).
    - Marks say where a part opens, where each glossary term is used and where each glossary entry
      starts and ends, for the part PDFs (``parts.py``; the self-checks mark the answers).
    - Index entries leave macro arguments: a glossary term's moves into its definition, a
      margin note's to just before the note. Inside an argument an entry reaches the index
      file as ``\sphinxhyphen {}`` (TeX adds a space when it writes a tokenised argument),
      which xindy does not merge with the ``\sphinxhyphen{}`` of the same name elsewhere,
      so "Chiang Kai-shek" would be listed twice.

    Runs after sphinx-jupyterbook-latex has arranged parts and chapters (priority 700).
    """

    builders = ("latex",)
    default_priority = 800

    def run(self, **kwargs) -> None:
        secnumbers = self.env.toc_secnumbers
        for start in self.document.findall(addnodes.start_of_file):
            numbered = bool(secnumbers.get(start["docname"]))
            start.insert(0, _latex(r"\studynumbered" if numbered else r"\studyunnumbered"))
            chapter = start.next_node(nodes.section)
            if chapter is not None and chapter.children and isinstance(chapter[0], nodes.title):
                # where cross-references to the page point (Sphinx's own label stands before the heading)
                chapter.insert(1, _latex(rf"\label{{studydoc:{start['docname']}}}"))
                if numbered:  # a part of the chapter
                    chapter.insert(2, _mark(marks.PART, start["docname"]))
        root = self.document.next_node(nodes.section)
        if root is not None and isinstance(root[0], nodes.title):
            heading = escape(root[0].astext())
            label = rf"\label{{studydoc:{self.env.config.root_doc}}}"
            root.insert(1, _latex(rf"\studyunnumbered\studyfrontchapter{{{heading}}}{label}"))
        for header in list(self.document.findall(RootHeader)):
            # (its "level" counts the headings before it, not their depth: the page has ## headings only)
            header.replace_self(_latex(rf"\studyfrontsection{{section}}{{{escape(header.astext())}}}"))
        for table in list(self.document.findall(nodes.table)):
            # (a figure's own table of events, its text alternative, is not printed)
            if "timeline-table" in table["classes"] and not any(isinstance(a, timeline_events) for a in _ancestors(table)):
                _cite_sources_only(table)
                table["classes"].append("longtable")
                parent = table.parent
                parent.insert(
                    parent.index(table),
                    [_latex(r"\begin{studychronology}"), addnodes.tabular_col_spec(spec=_ragged_columns(table))],
                )
                parent.insert(parent.index(table) + 1, _latex(r"\end{studychronology}\studynarrowpages"))
                section = next((a for a in _ancestors(table) if isinstance(a, nodes.section)), table)
                section.parent.insert(section.parent.index(section), _latex(r"\studywidepages"))
        bibliography = next(self.document.findall(thebibliography), None)
        place = next((n for n in self.document.findall(nodes.container) if BIBLIOGRAPHY_PLACE in n["classes"]), None)
        if bibliography is not None and place is not None:
            bibliography.parent.remove(bibliography)
            place.replace_self(bibliography)
        index_term_uses(self.document)
        index_term_mentions(self.document)
        index_by_chapter(self.document, self.env)
        for node in list(self.document.findall(lambda n: isinstance(n, (nodes.figure, nodes.table)))):
            number = _web_number(self.env, node)
            if number:
                kind = "figure" if isinstance(node, nodes.figure) else "table"
                node.parent.insert(node.parent.index(node), _latex(rf"\studyfloatnumber{{{kind}}}{{{number}}}"))
        for term in list(self.document.findall(nodes.term)):
            definition = term.next_node(nodes.definition, descend=False, siblings=True)
            definition[0:0] = _take_index_entries(term)
            ident = next((ident for ident in term["ids"] if ident.startswith("term-")), None)
            paragraphs = list(definition.findall(nodes.paragraph))
            if ident and paragraphs:
                term.insert(0, _mark(marks.ENTRY, ident))
                paragraphs[-1] += _mark(marks.ENTRY_END, ident)
        for note in list(self.document.findall(nodes.sidebar)):
            if "margin" in note["classes"]:
                note.parent.insert(note.parent.index(note), _take_index_entries(note))


# Above this many pages, a name's or a term's index entry is split into one subentry per chapter.
SUBENTRY_THRESHOLD = 12


def index_term_uses(document: nodes.document) -> None:
    """An index entry, under the glossary's own spelling, at every link to a glossary term, and a mark
    of the page it prints on for the part PDFs."""
    terms = {ident: term.astext() for term in document.findall(nodes.term) for ident in term["ids"] if ident.startswith("term-")}
    for ref in list(document.findall(nodes.reference)):
        # (a link within the glossary itself has a refid, not a refuri)
        anchor = ref.get("refid") or ref.get("refuri", "").partition("#")[2]
        if anchor in terms and not _in_heading(ref):
            ref.parent.insert(ref.parent.index(ref), [_index_entry(terms[anchor]), _mark(marks.USE, anchor)])


def index_term_mentions(document: nodes.document) -> None:
    """An index entry at every mention of a glossary term in running text, as the glossary spells it,
    linked or not: a term is discussed on many more pages than the one where it is linked. Only text
    directly in a paragraph (not in titles, links, emphasis or other macro arguments)."""
    terms = sorted({term.astext() for term in document.findall(nodes.term) if _glossary_term(term)}, key=len, reverse=True)
    if not terms:
        return
    spelled = {_apostrophes(term): term for term in terms}
    pattern = re.compile(r"\b(" + "|".join(re.escape(term) for term in spelled) + r")\b")
    for text in list(document.findall(nodes.Text)):
        if not isinstance(text.parent, nodes.paragraph) or _in_heading(text):
            continue
        source, pieces, last = _apostrophes(str(text)), [], 0
        for mention in pattern.finditer(source):
            pieces += [nodes.Text(source[last : mention.start()]), _index_entry(spelled[mention.group(1)])]
            last = mention.start()
        if pieces:
            text.parent.replace(text, [*pieces, nodes.Text(source[last:])])


def _glossary_term(term: nodes.term) -> bool:
    return any(ident.startswith("term-") for ident in term["ids"])


def _apostrophes(text: str) -> str:
    """Typographic apostrophes, as the text has them after smart quotes ("workers’ government")."""
    return text.replace("'", "’")


def _index_entry(text: str) -> addnodes.index:
    return addnodes.index(entries=[("single", text, "", "", None)])


def index_by_chapter(document: nodes.document, env) -> None:
    """Subentries by chapter ("Trotsky, Leon: Germany 1923") for the names and terms that would
    otherwise carry a long row of bare page numbers; the main entry (Who's who, glossary) stays."""
    uses: dict[str, list[tuple[addnodes.index, int, str]]] = {}
    for entry_node in document.findall(addnodes.index):
        docname = _docname(entry_node, env)
        for position, (kind, text, _, main, _) in enumerate(entry_node["entries"]):
            if kind == "single" and not main and ";" not in text:
                uses.setdefault(text, []).append((entry_node, position, docname))
    for text, places in uses.items():
        if len(places) < SUBENTRY_THRESHOLD or len({docname for *_, docname in places}) < 3:
            continue
        for entry_node, position, docname in places:
            kind, _, target, main, key = entry_node["entries"][position]
            entry_node["entries"][position] = (kind, f"{text}; {_chapter_label(env, docname)}", target, main, key)


def _chapter_label(env, docname: str) -> str:
    """A chapter's short name for index subentries: its title up to " and " or a colon."""
    if docname == env.config.root_doc:
        return "introduction"
    title = env.titles[docname].astext()
    return re.split(r" and |: ", title, maxsplit=1)[0]


def _docname(node: nodes.Node, env) -> str:
    for ancestor in _ancestors(node):
        if isinstance(ancestor, addnodes.start_of_file):
            return ancestor["docname"]
    return env.config.root_doc


def _in_heading(node: nodes.Node) -> bool:
    return any(isinstance(ancestor, (nodes.title, nodes.caption, nodes.term)) for ancestor in _ancestors(node))


def visit_index_latex(self: LaTeXTranslator, node: addnodes.index) -> None:
    """Sphinx's index entries, with three changes for the printed index: the sort key drops accents
    (so "Müller" files with "Muller", after "Moscow", as English indexes file it), a title in
    asterisks (``single: *Pravda*``) prints in italics and sorts without them, and apostrophes are
    typographic everywhere (one "workers’ government", not two)."""
    node["entries"] = [(kind, _apostrophes(text), *rest) for kind, text, *rest in node["entries"]]
    start = len(self.body)
    try:
        LaTeXTranslator.visit_index(self, node)
    finally:
        self.body[start:] = [_index_markup(code) for code in self.body[start:]]


# In \index{key@text!key@text|format}: a sort key, up to an @ that xindy's quote (") does not escape.
SORT_KEY = re.compile(r'(?<=[{!])((?:[^@!"{}]|"[@!"]|\{\})*)@')
TITLE = re.compile(r"\*([^*]+)\*")


def _index_markup(code: str) -> str:
    if not code.startswith(r"\index{"):
        return code
    code = SORT_KEY.sub(lambda key: TITLE.sub(r"\1", _without_accents(key.group(1))) + "@", code)
    return TITLE.sub(r"\\emph{\1}", code)


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _web_number(env, node: nodes.Element) -> str:
    """The number Sphinx gives a figure or table on the web ("3.1", or "1" on an unnumbered page), so
    that "Fig. 3.1" is the same figure in print; empty for one without a caption."""
    # sphinx-jupyterbook-latex moves pages' content out of their start_of_file: the page is the source's
    source = next((n.source for n in [node, *_ancestors(node)] if n.source), None)
    docname = env.path2doc(source) if source else None
    if docname is None or not node["ids"]:
        return ""
    kind = "figure" if isinstance(node, nodes.figure) else "table"
    number = env.toc_fignumbers.get(docname, {}).get(kind, {}).get(node["ids"][0])
    return ".".join(map(str, number)) if number else ""


def _take_index_entries(node: nodes.Element) -> list[addnodes.index]:
    entries = list(node.findall(addnodes.index))
    for entry in entries:
        entry.parent.remove(entry)
    return entries


def _ragged_columns(table: nodes.table) -> str:
    """Ragged-right columns; the first, the dates, never hyphenates ("Novem-ber")."""
    widths = [colspec["colwidth"] for colspec in table.findall(nodes.colspec)]
    return "".join(
        rf">{{\RaggedRight\arraybackslash{nohyphens}}}"
        rf"p{{\dimexpr {width / sum(widths):.3f}\linewidth-2\tabcolsep}}"
        for width, nohyphens in zip(widths, [r"\hyphenpenalty=10000"] + [""] * len(widths))
    )


def _cite_sources_only(table: nodes.table) -> None:
    """In print the chronology's sources are its bibliography citations; web addresses, which print
    as bare domain names, stay in the web edition. A row with web sources only says so."""
    header = [entry.astext().strip() for entry in table.findall(nodes.entry) if isinstance(entry.parent.parent, nodes.thead)]
    if "Sources" not in header:
        return
    column = header.index("Sources")
    for row in table.findall(nodes.row):
        if isinstance(row.parent, nodes.thead) or len(row) <= column:
            continue
        for paragraph in row[column].findall(nodes.paragraph):
            kept = [
                child
                for child in paragraph.children
                if not isinstance(child, nodes.Text)
                and not (isinstance(child, nodes.reference) and "://" in child.get("refuri", ""))
            ]
            paragraph.children = []
            for number, child in enumerate(kept or [nodes.Text("web edition")]):
                if number:
                    paragraph += nodes.Text("; ")
                paragraph += child


def _latex(code: str) -> nodes.raw:
    return nodes.raw("", code + "\n", format="latex")


def _mark(kind: str, key: str) -> nodes.raw:
    """Where this prints, for the part PDFs (marks.py, parts.py); no line end, which would be a space in a paragraph."""
    return nodes.raw("", marks.mark(kind, key), format="latex")


def configure(app: Sphinx, config: Config) -> None:
    config.latex_additional_files = [*config.latex_additional_files, *map(str, STYLE_FILES)]
    texescape.init()  # the LaTeX builder fills the escape tables later, when it starts
    config.latex_elements = {**LATEX_ELEMENTS, **config.latex_elements}
    config.today_fmt = config.today_fmt or "%-d %B %Y"  # the title page's date: 26 November 2026
    build_run(app).figure_depth = config.numfig_secnum_depth


def add_style(app: Sphinx) -> None:
    if app.builder.format == "latex":
        app.add_latex_package(STYLE)
        # sphinx-jupyterbook-latex raises numfig_secnum_depth when the builder starts; the saved
        # environment then never matches the config, and every build reads every page again.
        # (Figures are numbered through the book by studybook.sty.)
        app.config.numfig_secnum_depth = build_run(app).figure_depth


def setup_latex(app: Sphinx) -> None:
    app.add_node(nodes.sidebar, override=True, latex=(visit_sidebar_latex, depart_sidebar_latex))
    app.add_node(addnodes.index, override=True, latex=(visit_index_latex, None))
    app.add_node(nodes.reference, override=True, latex=(visit_reference_latex, LaTeXTranslator.depart_reference))
    app.add_post_transform(BibliographyPlace)
    app.add_post_transform(PrintStructure)
    app.connect("config-inited", configure)
    # after sphinx-jupyterbook-latex, which sets numfig_secnum_depth when the builder starts
    app.connect("builder-inited", add_style, priority=900)
