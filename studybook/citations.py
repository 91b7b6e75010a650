"""Citations: a data row's sources as citations, and citations at build speed.

A ``sources`` cell of data/events.csv or data/people.csv names bibliography keys and web addresses,
separated by semicolons; ``source_citations`` renders keys with sphinxcontrib-bibtex's own ``cite:alp``
role, a citation without brackets (so they join the bibliography like any citation in the text), and
addresses as links named by host.


sphinxcontrib-bibtex asks pybtex for its plain-text backend once per citation, and pybtex
answers by scanning the entry points of every installed package: about 30 ms a time, over
ten seconds for this book's four hundred citations. pybtex looks at plugins registered at
run time first, so registering the backend once makes each lookup a dictionary read.

The bibliography's entries are author–date (``bibtex_default_style: authordate``): the names,
surname first, then the year, then the title as spelled in the .bib file and the rest of pybtex's
plain style without the date at its end, so that a reader who meets "(Carr 1958)" finds the entry by name and year.
A title that a note names between asterisks (``*My Life*``) is in italics, like the entry's own.
Citations in the text are author–date too (``bibtex_reference_style: authordate``): "(Carr 1958)",
"(Carr 1958; Deutscher 1959)", "(Thalheimer 1931, appendix)", and in a sentence "Carr (1958)".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import ClassVar

from docutils import nodes
from pybtex.plugin import find_plugin, register_plugin
from pybtex.richtext import Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import plain, toplevel, unsrt
from pybtex.style.template import FieldIsMissing, Node, field, node, optional, sentence
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def source_citations(directive: SphinxDirective, sources: str) -> list[nodes.Node]:
    """The sources of one data row, for a directive that renders it: "Isaacs 1938; en.wikipedia.org"."""
    parts: list[nodes.Node] = []
    for number, source in enumerate(s.strip() for s in sources.split(";") if s.strip()):
        if number:
            parts.append(nodes.Text("; "))
        if source.startswith(("https://", "http://")):
            host = source.split("/")[2].removeprefix("www.")
            parts.append(nodes.reference(source, host, refuri=source))
        else:
            cite, _ = directive.env.get_domain("cite").roles["alp"](
                "cite:alp", f"{{cite:alp}}`{source}`", source, directive.lineno, directive.state.inliner
            )
            parts.extend(cite)
    return parts


class AuthorDateStyle(plain.Style):
    default_name_style = "lastfirst"
    # sphinxcontrib-bibtex formats an entry again for each list that holds it, and pybtex decodes
    # every field's LaTeX each time (latexcodec: about a millisecond a field); an entry is formatted
    # once per build. Keyed by its text, so that an edited .bib entry is formatted anew.
    formatted: ClassVar[dict[tuple, FormattedEntry]] = {}

    def format_title(self, e, which_field, as_sentence=True):
        """Titles as the bibliography spells them (plain lower-cases all but the first word)."""
        return sentence[field(which_field)] if as_sentence else field(which_field)

    def format_entry(self, label, entry, bib_data=None):
        options = (type(self.name_style), type(self.label_style), self.abbreviate_names)
        people = tuple((role, tuple(map(str, names))) for role, names in entry.persons.items())
        key = (options, label, entry.key, entry.type, tuple(entry.fields.items()), people)
        if key not in self.formatted:
            self.formatted[key] = self._format_entry(label, entry, bib_data)
        return self.formatted[key]

    def _format_entry(self, label, entry, bib_data):
        template = getattr(self, f"get_{entry.type}_template")(entry)
        names, *rest = template.children
        dated = toplevel[names, optional[sentence[field("year")]], *(_edited(part, _dated_once_with_titles) for part in rest)]
        text = dated.format_data({"entry": entry, "style": self, "bib_data": bib_data})
        return FormattedEntry(entry.key, text, label)


def _round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class AuthorDateReferences(AuthorYearReferenceStyle):
    """Chicago's author–date citations: round brackets, no comma between name and year, works
    separated by semicolons (sphinxcontrib-bibtex's author_year gives "[Carr, 1958, Deutscher, 1959]")."""

    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_textual: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_author: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_label: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_year: BracketStyle = dataclass_field(default_factory=_round_brackets)
    author_year_sep: str = " "


@node
def note_with_titles(children, data):
    """The entry's note, with the titles it names between asterisks in italics."""
    entry = data["entry"]
    if "note" not in entry.fields:
        raise FieldIsMissing("note", entry)
    pieces = Text.from_latex(entry.fields["note"]).split("*")
    return Text(*(Tag("em", piece) if number % 2 else piece for number, piece in enumerate(pieces)))


def _dated_once_with_titles(part: Node) -> list[Node]:
    """Plain's date at the end goes (the year follows the names); its note becomes ``note_with_titles``."""
    if part is unsrt.date:
        return []
    if isinstance(part, Node) and part.name in ("field", "optional_field") and part.args == ["note"]:
        return [optional[note_with_titles]]
    return [part]


def _edited(template: Node, edit: Callable[[Node], list[Node]]) -> Node:
    """``template`` with each node within it replaced by what ``edit`` makes of it (nothing drops it)."""
    if not isinstance(template, Node):
        return template
    copy = template._clone()
    copy.children = [_edited(new, edit) for child in template.children for new in edit(child)]
    return copy


def setup_citations(app: Sphinx) -> None:
    backend = "pybtex.backends", "plaintext"
    register_plugin(*backend, find_plugin(*backend), force=True)
    register_plugin("pybtex.style.formatting", "authordate", AuthorDateStyle, force=True)
    register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", "authordate", AuthorDateReferences, force=True)
