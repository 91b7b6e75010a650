"""Citations: a data row's sources as citations, and citations at build speed.

A ``sources`` cell of data/events.csv or data/people.csv names bibliography keys and web addresses,
separated by semicolons; ``source_citations`` renders keys with sphinxcontrib-bibtex's own ``cite:p``
role (so they join the bibliography like any citation in the text) and addresses as links named by host.


sphinxcontrib-bibtex asks pybtex for its plain-text backend once per citation, and pybtex
answers by scanning the entry points of every installed package: about 30 ms a time, over
ten seconds for this book's four hundred citations. pybtex looks at plugins registered at
run time first, so registering the backend once makes each lookup a dictionary read.

The bibliography's entries are author–date (``bibtex_default_style: authordate``): the names,
surname first, then the year, then the title as spelled in the .bib file and the rest of pybtex's
plain style without the date at its end, so that a reader who meets "(Carr 1958)" finds the entry by name and year.
"""

from __future__ import annotations

from docutils import nodes
from pybtex.plugin import find_plugin, register_plugin
from pybtex.style import FormattedEntry
from pybtex.style.formatting import plain, toplevel, unsrt
from pybtex.style.template import Node, field, optional, sentence
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def source_citations(directive: SphinxDirective, sources: str) -> list[nodes.Node]:
    """The sources of one data row, for a directive that renders it: "(Isaacs 1938); en.wikipedia.org"."""
    parts: list[nodes.Node] = []
    for number, source in enumerate(s.strip() for s in sources.split(";") if s.strip()):
        if number:
            parts.append(nodes.Text("; "))
        if source.startswith(("https://", "http://")):
            host = source.split("/")[2].removeprefix("www.")
            parts.append(nodes.reference(source, host, refuri=source))
        else:
            cite, _ = directive.env.get_domain("cite").roles["p"](
                "cite:p", f"{{cite:p}}`{source}`", source, directive.lineno, directive.state.inliner
            )
            parts.extend(cite)
    return parts


class AuthorDateStyle(plain.Style):
    default_name_style = "lastfirst"

    def format_title(self, e, which_field, as_sentence=True):
        """Titles as the bibliography spells them (plain lower-cases all but the first word)."""
        return sentence[field(which_field)] if as_sentence else field(which_field)

    def format_entry(self, label, entry, bib_data=None):
        template = getattr(self, f"get_{entry.type}_template")(entry)
        names, *rest = template.children
        dated = toplevel[names, optional[sentence[field("year")]], *(_without(part, unsrt.date) for part in rest)]
        text = dated.format_data({"entry": entry, "style": self, "bib_data": bib_data})
        return FormattedEntry(entry.key, text, label)


def _without(template: Node, part: Node) -> Node:
    """``template`` without ``part`` wherever it stands in it."""
    if not isinstance(template, Node):
        return template
    copy = template._clone()
    copy.children = [_without(child, part) for child in template.children if child is not part]
    return copy


def setup_citations(app: Sphinx) -> None:
    backend = "pybtex.backends", "plaintext"
    register_plugin(*backend, find_plugin(*backend), force=True)
    register_plugin("pybtex.style.formatting", "authordate", AuthorDateStyle, force=True)
