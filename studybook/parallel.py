"""Reading and writing the pages in parallel, evenly.

Reading: Sphinx reads the pages in the order of a list that extensions may sort
(``env-before-read-docs``); this sorts it cheapest first, and each reading process gets one share,
dealt out in turn from the costliest, so the costly pages (long ones, and those with timelines,
whose figures are built as they are read) are spread evenly. One share per process, because each
share comes back as a pickled copy of the whole environment, and Sphinx's own cutting (shares of
len // processes pages) leaves a last short share that waits for a free core.

Writing: Sphinx writes with one process fewer than it reads, the main one resolving each page for
it; the same cutting gives that process all pages at once. In one page per share, it could write
a page while the main process resolves the next, but on two cores the figures' export takes the
other core then, and writing took 0.7 s longer.
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


def read_cheapest_first(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    costs = {docname: reading_cost(Path(env.doc2path(docname))) for docname in docnames}
    docnames.sort(key=lambda docname: (costs[docname], docname))


def setup_parallel(app: Sphinx) -> None:
    cut_pages_with(one_share_per_process)
    app.connect("env-before-read-docs", read_cheapest_first)
