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

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape
from sphinx.writers.latex import LaTeXTranslator

from ..state import build_run

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
    "extraclassoptions": "openany,oneside",
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


class PrintStructure(SphinxPostTransform):
    r"""Shape the assembled book for print.

    - Only pages under a numbered part of ``_toc.yml`` get chapter and section numbers, as on
      the web; parts stay unnumbered.
    - The opening page becomes an unnumbered chapter under its own title (sphinx-jupyterbook-latex
      uses that title for the title page and prints the page's text without a heading).
    - Figures and tables carry the numbers they have on the web ("Fig. 3.1"; "Fig. 1" on an
      unnumbered page), which LaTeX would otherwise count through the book.
    - A ``timeline-table`` (the chronology) breaks across pages, in small type, ragged right,
      with the column widths the directive gives.
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
            macro = r"\studynumbered" if secnumbers.get(start["docname"]) else r"\studyunnumbered"
            start.insert(0, _latex(macro))
        root = self.document.next_node(nodes.section)
        if root is not None and isinstance(root[0], nodes.title):
            heading = escape(root[0].astext())
            root.insert(1, _latex(rf"\studyunnumbered\studyfrontchapter{{{heading}}}"))
        for table in list(self.document.findall(nodes.table)):
            if "timeline-table" in table["classes"]:
                table["classes"].append("longtable")
                parent = table.parent
                parent.insert(
                    parent.index(table),
                    [_latex(r"\begin{studychronology}"), addnodes.tabular_col_spec(spec=_ragged_columns(table))],
                )
                parent.insert(parent.index(table) + 1, _latex(r"\end{studychronology}"))
        for node in list(self.document.findall(lambda n: isinstance(n, (nodes.figure, nodes.table)))):
            number = _web_number(self.env, node)
            if number:
                kind = "figure" if isinstance(node, nodes.figure) else "table"
                node.parent.insert(node.parent.index(node), _latex(rf"\studyfloatnumber{{{kind}}}{{{number}}}"))
        for term in list(self.document.findall(nodes.term)):
            definition = term.next_node(nodes.definition, descend=False, siblings=True)
            definition[0:0] = _take_index_entries(term)
        for note in list(self.document.findall(nodes.sidebar)):
            if "margin" in note["classes"]:
                note.parent.insert(note.parent.index(note), _take_index_entries(note))


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
    widths = [colspec["colwidth"] for colspec in table.findall(nodes.colspec)]
    return "".join(
        rf">{{\RaggedRight\arraybackslash}}p{{\dimexpr {width / sum(widths):.3f}\linewidth-2\tabcolsep}}" for width in widths
    )


def _latex(code: str) -> nodes.raw:
    return nodes.raw("", code + "\n", format="latex")


def configure(app: Sphinx, config: Config) -> None:
    config.latex_additional_files = [*config.latex_additional_files, *map(str, STYLE_FILES)]
    config.latex_elements = {**LATEX_ELEMENTS, **config.latex_elements}
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
    app.add_post_transform(PrintStructure)
    app.connect("config-inited", configure)
    # after sphinx-jupyterbook-latex, which sets numfig_secnum_depth when the builder starts
    app.connect("builder-inited", add_style, priority=900)
