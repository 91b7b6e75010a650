"""Live preview of the book: ``python -m studybook.serve [--host H] [--port P]`` (``make serve``).

sphinx-autobuild watches the pages, the data and the extension, rebuilds what changed with the
book's strict settings (``studybook/preview/conf.py``) and reloads the open browser tab.

sphinx-autobuild starts a new Python for every rebuild, and importing Sphinx, the themes, pandas,
plotly and frictionless takes longer than rebuilding a page. Here the libraries are imported once,
and each rebuild runs Sphinx in a fork of this process: a fresh Sphinx every time, without the
import cost. The book's own package is imported afresh in each fork, so edits to it take effect.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import sys
from importlib.metadata import distributions
from pathlib import Path

import sphinx_autobuild.__main__
from pybtex.plugin import register_plugin
from sphinx.cmd.build import build_main
from sphinx_autobuild.build import Builder
from sphinx_autobuild.utils import show_message

BOOK = Path(__file__).resolve().parent.parent  # the folder that holds this package, as for preview/conf.py
CONF_DIR = Path(__file__).parent / "preview"
OUTPUT = Path("_build") / "preview"
IGNORED = ["_build", "tests"]  # besides sphinx-autobuild's own list (.git, .venv, caches)
# The slow imports of a build, done once; the book's extensions (from _config.yml) are added to these.
LIBRARIES = ["jupyter_book.config", "myst_nb.sphinx_ext", "pandas", "plotly.graph_objects", "frictionless", "kaleido"]


class ForkingBuilder(Builder):
    """sphinx-autobuild's builder, with Sphinx run in a fork instead of a new Python."""

    def __call__(self, *, changed_paths) -> None:
        if changed_paths:
            show_message(f"Detected changes ({', '.join(str(path) for path in changed_paths[:5])})")
        build = multiprocessing.get_context("fork").Process(target=run_sphinx, args=(self.sphinx_args,))
        build.start()
        build.join()
        if build.exitcode:
            print(f"Sphinx exited with exit code: {build.exitcode}; the preview shows the pages it could build.")
        show_message(f"Serving on {self.uri}")


def run_sphinx(sphinx_args: list[str]) -> None:
    for name in [name for name in sys.modules if name.split(".")[0] == __package__]:
        del sys.modules[name]  # the extension as it is on disk now
    sys.exit(build_main(sphinx_args))


def import_libraries() -> None:
    sys.path.insert(0, str(CONF_DIR))
    extensions = importlib.import_module("conf").extensions  # the preview's settings, read from _config.yml
    sys.path.remove(str(CONF_DIR))
    del sys.modules["conf"]
    for name in LIBRARIES + extensions:
        if name.split(".")[0] != __package__:
            importlib.import_module(name)


def load_pybtex_plugins() -> None:
    """pybtex looks for its plugins in every installed package's metadata, at every citation: look once."""
    for distribution in distributions():
        for entry_point in distribution.entry_points:
            if entry_point.group.startswith("pybtex."):
                register_plugin(entry_point.group, entry_point.name, entry_point.load(), force=True)


def autobuild_args(book: Path, host: str, port: int) -> list[str]:
    ignore = [arg for name in IGNORED for arg in ("--ignore", str(book / name))]
    return [str(book), str(book / OUTPUT / "html"), "-c", str(CONF_DIR), "-d", str(book / OUTPUT / "doctrees"),
            "-b", "html", "-W", "-n", "--keep-going", "--host", host, "--port", str(port), *ignore,
            "--re-ignore", "/__pycache__/"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    import_libraries()
    load_pybtex_plugins()
    sphinx_autobuild.__main__.Builder = ForkingBuilder  # sphinx-autobuild (pinned) builds its Builder here
    sphinx_autobuild.__main__.main(autobuild_args(BOOK, args.host, args.port))


if __name__ == "__main__":
    sys.exit(main())
