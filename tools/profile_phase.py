"""Run one ``jupyter-book build`` in this process with cProfile on for a sample of one phase's pages.

``python tools/profile_phase.py read|write EVERY STATS_FILE BOOK [jupyter-book build options]``

``read`` profiles reading a page (parsing, directives, figures: ``Builder.read_doc``); ``write``
profiles resolving and writing one (from ``get_and_resolve_doctree`` to the end of ``write_doc``).
Only every EVERY-th page is profiled: cProfile makes Sphinx's call-heavy code about three times
slower, and a sample shows the same hot spots in a fraction of the time. On SIGTERM the build
stops and the profile so far is written. Run as a script, not as
a module, so that the book's own ``studybook`` package is the one imported.
"""

from __future__ import annotations

import cProfile
import functools
import itertools
import signal
import sys

from jupyter_book.cli.main import main as jupyter_book
from sphinx.builders import Builder


def profile_pages(phase: str, every: int, profiler: cProfile.Profile) -> None:
    pages = itertools.count()

    def start() -> None:
        if next(pages) % every == 0:
            profiler.enable()

    if phase == "read":
        read_doc = Builder.read_doc

        @functools.wraps(read_doc)
        def profiled_read_doc(self, docname, **kwargs):
            start()
            try:
                return read_doc(self, docname, **kwargs)
            finally:
                profiler.disable()

        Builder.read_doc = profiled_read_doc  # type: ignore[method-assign,misc]  # profiling wraps Sphinx's own
        return

    write = Builder.write

    @functools.wraps(write)
    def profiled_write(self, *args, **kwargs):
        # The HTML builder overrides write_doc, so the sample hooks go on this builder and its env.
        resolve, write_doc = self.env.get_and_resolve_doctree, self.write_doc

        def resolve_then_write(docname, *resolve_args, **resolve_kwargs):
            start()
            return resolve(docname, *resolve_args, **resolve_kwargs)

        def write_then_stop(docname, doctree):
            try:
                return write_doc(docname, doctree)
            finally:
                profiler.disable()

        self.env.get_and_resolve_doctree, self.write_doc = resolve_then_write, write_then_stop
        try:
            return write(self, *args, **kwargs)
        finally:
            del self.env.get_and_resolve_doctree, self.write_doc

    Builder.write = profiled_write  # type: ignore[method-assign]  # profiling wraps Sphinx's own


def main(argv: list[str]) -> int:
    phase, every, stats_file, *build_args = argv
    if phase not in {"read", "write"}:
        raise SystemExit(f"phase must be read or write, not {phase!r}")
    # Stopped at a time limit, the build still leaves the profile of the pages it got through.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    profiler = cProfile.Profile()
    profile_pages(phase, int(every), profiler)
    try:
        jupyter_book(["build", *build_args])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        profiler.dump_stats(stats_file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
