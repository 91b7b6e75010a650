"""Reading and writing the pages in parallel, evenly.

Reading: Sphinx reads the pages in the order of a list that extensions may sort
(``env-before-read-docs``); this sorts it cheapest first, and each reading process gets one share,
dealt out in turn from the costliest, so the costly pages (long ones, and those with timelines,
whose figures are built as they are read) are spread evenly. One share per process, because each
share comes back as a pickled copy of the whole environment, and Sphinx's own cutting (shares of
len // processes pages) leaves a last short share that waits for a free core.

Writing: Sphinx writes with one process fewer than it reads, the main one resolving each page for
it, and a share is written once all its pages are resolved. On two cores that is one writing
process, and one share would leave the main process resolving every page before any is written.
So there are at least two shares: the main process resolves the second while the first is written
(a cold web build on two cores: 8.9 s → 8.6 s; one page per share, a process per page, was slower).
The shares keep the pages in their order: Sphinx adds each page to the search index as it resolves
it, and a serial build resolves them in that order (dealt out, the index would list a term's pages
in another order).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .compat import cut_pages_with

# Reading one timeline (building its figure) costs about as much as this many bytes of text.
TIMELINE_COST = 50_000


def reading_cost(source: Path) -> int:
    """Read as bytes: a page that is not UTF-8 is reported when Sphinx reads it, not here."""
    data = source.read_bytes()
    return len(data) + TIMELINE_COST * data.count(b"{timeline}")


def one_share_per_process(pages: Sequence[str], processes: int, most: int = 0) -> list[Any]:
    """The pages dealt out in turn from the end of the list (the costliest); each share in the list's order."""
    from_the_end = list(reversed(pages))
    return [list(reversed(from_the_end[first::processes])) for first in range(min(processes, len(pages)))]


def shares_in_order(pages: Sequence[str], processes: int, most: int = 0) -> list[Any]:
    """The pages in their order, cut into one share per process and at least two."""
    size = -(-len(pages) // max(processes, 2))
    return [list(pages[start : start + size]) for start in range(0, len(pages), size)]


def read_cheapest_first(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    cut_pages_with(one_share_per_process)  # again: the last build in this process cut its writing in order
    costs = {docname: reading_cost(Path(env.doc2path(docname))) for docname in docnames}
    docnames.sort(key=lambda docname: (costs[docname], docname))


def write_in_order(app: Sphinx, env: BuildEnvironment) -> None:
    cut_pages_with(shares_in_order)


def setup_parallel(app: Sphinx) -> None:
    app.connect("env-before-read-docs", read_cheapest_first)
    app.connect("env-updated", write_in_order)
