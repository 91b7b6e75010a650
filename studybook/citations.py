"""Citations: a data row's sources as citations, and citations at build speed.

A ``sources`` cell of data/events.csv or data/people.csv names bibliography keys and web addresses,
separated by semicolons; ``source_citations`` renders keys with sphinxcontrib-bibtex's own ``cite:p``
role (so they join the bibliography like any citation in the text) and addresses as links named by host.


sphinxcontrib-bibtex asks pybtex for its plain-text backend once per citation, and pybtex
answers by scanning the entry points of every installed package: about 30 ms a time, over
ten seconds for this book's four hundred citations. pybtex looks at plugins registered at
run time first, so registering the backend once makes each lookup a dictionary read.
"""

from __future__ import annotations

from docutils import nodes
from pybtex.plugin import find_plugin, register_plugin
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


def setup_citations(app: Sphinx) -> None:
    backend = "pybtex.backends", "plaintext"
    register_plugin(*backend, find_plugin(*backend), force=True)
