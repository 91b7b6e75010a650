"""Every use of another package's private or undocumented internals, in one place.

Each entry says which version it was written for and what breaks if that internal changes.
``WRITTEN_FOR`` lists those versions; ``tests/test_compat.py`` fails with a clear message when a
pinned dependency (requirements.txt) moves away from them, so that whoever upgrades reads this
file first. Public APIs (Sphinx events, ``app.add_*``, node classes, translators' documented
``visit_*``/``depart_*`` methods) are used directly elsewhere and do not belong here.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
import pydata_sphinx_theme
import sphinx.application
import sphinx.builders
from jupyter_book.config import get_final_config
from jupyter_book.sphinx import build_sphinx
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

WRITTEN_FOR = {
    "sphinx": "7.4.7",
    "jupyter-book": "1.0.4.post1",
    "pydata-sphinx-theme": "0.17.1",
    "sphinx-autobuild": "2025.8.25",
    "sphinx-multitoc-numbering": "0.1.3",
    "sphinx-jupyterbook-latex": "1.0.0",
}

# ---- Jupyter Book 1.0.4 -------------------------------------------------------------------------
# `jupyter-book build` has no option for the doctree folder, so the build calls the function behind
# it. If build_sphinx or get_final_config change their keywords, `make book` fails at once.
jupyter_book_build = build_sphinx
jupyter_book_settings = get_final_config

# ---- Sphinx 7.4 ---------------------------------------------------------------------------------
# Sphinx 7.4 keeps a page's scripts as sphinx.builders.html._assets._JavaScript in the template
# context; web/assets.py rebuilds them with `defer`. If the class moves, every page fails to write.
JavaScript = _JavaScript


def template_loaders(app: Sphinx) -> tuple[list[jinja2.BaseLoader], jinja2.Environment]:
    """The HTML builder's Jinja loaders and environment (Sphinx 7.4's BuiltinTemplateLoader keeps
    them as ``loaders`` and ``environment``). The live preview compiles templates ahead with them;
    if they move, the preview's standby fails to start and every rebuild starts Sphinx afresh."""
    templates = app.builder.templates
    return templates.loaders, templates.environment


def run_before_build(before: Callable[[Sphinx], bool]) -> None:
    """Call ``before(app)`` when Sphinx has started and is about to build; it returns False to stop.
    Sphinx has no event between start-up and reading, so ``Sphinx.build`` is wrapped (Sphinx 7.4)."""
    build = sphinx.application.Sphinx.build

    def build_after(app: Sphinx, *args, **kwargs):
        if not before(app):
            raise SystemExit(0)
        return build(app, *args, **kwargs)

    sphinx.application.Sphinx.build = build_after  # type: ignore[method-assign,assignment]


# Sphinx refuses to read in parallel (and -W turns its notice into an error) unless every extension
# declares itself safe. These two declare nothing but keep no per-document state: multitoc numbering
# patches the numbering that runs after reading, in the main process; jupyterbook-latex only adds
# LaTeX transforms. Declared safe here after reading their code at the versions above.
SAFE_UNDECLARED_EXTENSIONS = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def declare_parallel_read_safe(app: Sphinx, *args) -> None:
    for name in SAFE_UNDECLARED_EXTENSIONS:
        if name in app.extensions:
            app.extensions[name].parallel_read_safe = True


# Sphinx 7.4 cuts the pages it reads or writes in parallel into chunks with make_chunks (from
# sphinx.util.parallel, imported into sphinx.builders), one process per chunk. parallel.py swaps in
# its own cutting for each phase. If make_chunks moves, Sphinx cuts as it likes: the build is some
# seconds slower, no different (tests/test_compat.py says so).
PageChunker = Callable[[Sequence[str], int, int], list[Any]]  # (pages, processes, most per chunk)


def cut_pages_with(chunker: PageChunker) -> None:
    sphinx.builders.make_chunks = chunker  # type: ignore[assignment]


# ---- pydata-sphinx-theme 0.17 -------------------------------------------------------------------
# The theme ships Font Awesome's webfonts in this folder; web/icon_fonts.py cuts them down. If it
# moves, the icon-font step finds no fonts and the build stops with a clear error there.
THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
# web/templates/layout.html imports the theme's "static/webpack-macros.html" (its asset macros).

# ---- sphinx-autobuild 2025.8.25 -----------------------------------------------------------------
# sphinx-autobuild makes its Builder in __main__ and calls it in a process pool, so no state can
# carry over from one rebuild to the next. The preview swaps in its own Builder and a thread pool.


def use_autobuild_builder(builder: type) -> None:
    import sphinx_autobuild.__main__
    import sphinx_autobuild.server

    sphinx_autobuild.__main__.Builder = builder
    sphinx_autobuild.server.ProcessPoolExecutor = concurrent.futures.ThreadPoolExecutor


def private_names() -> Iterator[tuple[str, object, str]]:
    """(package, module or class, attribute) of every internal above, for the test that they still exist."""
    import jupyter_book.config
    import jupyter_book.sphinx
    import sphinx.builders.html._assets
    import sphinx.jinja2glue
    import sphinx_autobuild.__main__
    import sphinx_autobuild.server

    yield "sphinx", sphinx.builders.html._assets, "_JavaScript"
    yield "sphinx", sphinx.application.Sphinx, "build"
    yield "sphinx", sphinx.builders, "make_chunks"
    yield "sphinx", sphinx.jinja2glue.BuiltinTemplateLoader, "init"  # sets .loaders and .environment
    yield "sphinx-autobuild", sphinx_autobuild.__main__, "Builder"
    yield "sphinx-autobuild", sphinx_autobuild.server, "ProcessPoolExecutor"
    yield "jupyter-book", jupyter_book.sphinx, "build_sphinx"
    yield "jupyter-book", jupyter_book.config, "get_final_config"


def setup_compat(app: Sphinx) -> None:
    app.connect("env-before-read-docs", declare_parallel_read_safe, priority=100)
