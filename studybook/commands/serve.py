"""Live preview of the book: ``python -m studybook.commands.serve [--host H] [--port P]`` (``make serve``).

sphinx-autobuild watches the pages, the data and the extension, rebuilds what changed with the
book's strict settings (``studybook/commands/serve_settings/conf.py``) and reloads the open browser tab.

Two changes make a prose edit show sooner:

- sphinx-autobuild starts a new Python for every rebuild, and importing Sphinx, the themes, pandas,
  plotly and frictionless takes longer than rebuilding a page. Here the libraries are imported once,
  and each rebuild runs Sphinx in a fork of this process. The book's own package is imported afresh
  in each fork, so edits to it take effect.
- Starting Sphinx (settings, extensions, the saved environment, the theme and its templates) takes
  about a second more. So after each build a fork starts the next Sphinx at once and waits (a
  ``Standby``); when a page or a data table changes, it only has to read and write what changed.
  sphinx-autobuild's watcher calls the builder in a thread here, not in a new process, so that the
  builder keeps its Standby from one change to the next.

After each build the fork writes what it found wrong to ``_preview-status.json`` beside the pages;
``serve_settings/static/preview-status.js`` reads it in the open page and shows a banner with each
problem and its file:line until a build passes again (a mistake must not show only in the terminal).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import multiprocessing
import signal
import sys
import time
from importlib.metadata import distributions
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TextIO, cast

import jinja2
import sphinx.application
import sphinx_autobuild.__main__
from pybtex.plugin import register_plugin
from sphinx.cmd.build import build_main, get_parser
from sphinx_autobuild.build import Builder
from sphinx_autobuild.utils import show_message

from ..compat import run_before_build, template_loaders, use_autobuild_builder
from .build import collect_garbage_for_a_build, end_without_teardown
from .problems import ProblemLog

BOOK = Path(__file__).resolve().parents[2]  # the folder that holds the studybook package, as for serve_settings/conf.py
CONF_DIR = Path(__file__).parent / "serve_settings"
EXTENSION = __package__.split(".")[0]  # the book's own package, imported afresh for each build
OUTPUT = Path("_build") / "preview"
IGNORED = ["_build", "tests"]  # besides sphinx-autobuild's own list (.git, .venv, caches)
# The slow imports of a build, done once; the book's extensions (from _config.yml) are added to these.
LIBRARIES = ["jupyter_book.config", "myst_nb.sphinx_ext", "pandas", "plotly.graph_objects", "frictionless", "kaleido"]
# Files that Sphinx reads while it builds, not when it starts: a Standby can build edits to these.
# Any other change (settings, _toc.yml, the bibliography, the extension's code) needs a fresh start.
READ_WHILE_BUILDING = {".md", ".csv", ".json"}
# What the server prints after each build, and before that when the build failed (tools/preview.py reads them).
SERVING = "Serving on"
FAILED = "Sphinx exited with exit code"
STATUS_FILE = "_preview-status.json"  # in the output folder, read by the page (see the module's docstring)


class ForkingBuilder(Builder):
    """sphinx-autobuild's builder, with Sphinx run in a fork that was started before it was needed."""

    standby: Standby | None = None

    def __call__(self, *, changed_paths) -> None:
        if changed_paths:
            show_message(f"Detected changes ({', '.join(str(path) for path in changed_paths[:5])})")
        if not (self.standby and self.standby.can_build(changed_paths)):
            if self.standby:
                self.standby.cancel()
            self.standby = Standby(self.sphinx_args)
        exitcode = self.standby.build()
        if exitcode:
            print(f"{FAILED}: {exitcode}; the preview shows the pages it could build.")
        self.standby = Standby(self.sphinx_args)
        show_message(f"{SERVING} {self.uri}")


class Standby:
    """A Sphinx started in a fork of this process, which builds when told to."""

    def __init__(self, sphinx_args: list[str]):
        context = multiprocessing.get_context("fork")
        orders, self.orders = context.Pipe(duplex=False)
        self.process = context.Process(target=run_sphinx, args=(sphinx_args, orders, self.orders), daemon=True)
        self.process.start()
        orders.close()  # each side keeps only its own end, so the fork sees the end of orders when this side closes

    def can_build(self, changed_paths: list[Path]) -> bool:
        return self.process.is_alive() and all(path.suffix in READ_WHILE_BUILDING for path in changed_paths)

    def build(self) -> int:
        self.orders.send("build")
        self.process.join()
        self.orders.close()  # or the next fork would hold it open too
        exitcode = self.process.exitcode
        assert exitcode is not None  # joined
        return exitcode

    def cancel(self) -> None:
        self.orders.close()
        self.process.join()


class HeldOutput:
    """What Sphinx prints while a Standby starts, kept back until it is told to build, so that a
    Standby that is cancelled prints nothing and one that builds prints in the usual order."""

    def __init__(self):
        self.held: list[tuple[TextIO, str]] | None = []

    def release(self) -> None:
        for stream, text in self.held or []:
            stream.write(text)
        self.held = None


class HeldStream:
    """A stand-in for stdout or stderr that writes through ``output`` while it holds text back."""

    def __init__(self, stream: TextIO, output: HeldOutput):
        self.stream, self.output = stream, output

    def write(self, text: str) -> int:
        if self.output.held is None:
            return self.stream.write(text)
        self.output.held.append((self.stream, text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def told_to_build(orders: Connection) -> bool:
    """Waits for the word: True to build, False if the Standby was cancelled."""
    try:
        return orders.recv() == "build"
    except EOFError:
        return False


def compile_templates(app: sphinx.application.Sphinx, orders: Connection) -> None:
    """Jinja compiles each template the first time a page uses it, about 0.2 s of every rebuild in a
    new Sphinx. A Standby compiles the theme's templates while it waits, and stops when told to build."""
    loaders, environment = template_loaders(app)  # over the book's and the themes' folders
    for loader in loaders:
        for name in loader.list_templates():
            if orders.poll():
                return
            if name.endswith(".html"):
                with contextlib.suppress(jinja2.TemplateError):  # left to the page that uses it, which reports it
                    environment.get_template(name)


def run_sphinx(sphinx_args: list[str], orders: Connection, server_end: Connection) -> None:
    """In the fork: start Sphinx with the extension as it is on disk now, then build when told to."""
    server_end.close()
    collect_garbage_for_a_build()  # the fork runs one build and ends
    # The server's handlers, inherited, would only flag the server to stop: a fork must stop itself.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in [name for name in sys.modules if name.split(".")[0] == EXTENSION]:
        del sys.modules[name]
    output = HeldOutput()
    problems = ProblemLog(cast(TextIO, HeldStream(sys.stderr, output)), str(BOOK))  # it passes the rest through
    sys.stdout, sys.stderr = HeldStream(sys.stdout, output), problems

    def when_told(app: sphinx.application.Sphinx) -> bool:
        compile_templates(app, orders)
        if not told_to_build(orders):
            return False
        output.release()
        return True

    run_before_build(when_told)
    try:
        status = build_main(sphinx_args)
    except SystemExit:  # cancelled
        status = 0
    if output.held is not None and orders.poll() and told_to_build(orders):
        output.release()  # told to build, but Sphinx could not start: say why
    if output.held is None:  # it built (or tried to)
        if status:
            sys.stdout.flush()
            print(*problems.summary(), sep="\n", file=problems.stream)  # not counted again
        write_status(Path(get_parser().parse_args(sphinx_args).outputdir), status, problems)
    # Python's own exit would also run the server's exit handlers, and the thread pool that runs
    # the builder fails in them ("cannot join current thread").
    end_without_teardown(status)


def write_status(outdir: Path, status: int, problems: ProblemLog) -> None:
    """What the open page's banner shows: whether the last build failed, and why."""
    report = {"build": time.time_ns(), "failed": bool(status), "problems": problems.entries() if status else []}
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / STATUS_FILE).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def import_libraries() -> None:
    sys.path.insert(0, str(CONF_DIR))
    extensions = importlib.import_module("conf").extensions  # the preview's settings, read from _config.yml
    sys.path.remove(str(CONF_DIR))
    del sys.modules["conf"]
    for name in LIBRARIES + extensions:
        if name.split(".")[0] != EXTENSION:
            importlib.import_module(name)


def load_pybtex_plugins() -> None:
    """pybtex looks for its plugins in every installed package's metadata, at every citation: look once."""
    for distribution in distributions():
        for entry_point in distribution.entry_points:
            if entry_point.group.startswith("pybtex."):
                register_plugin(entry_point.group, entry_point.name, entry_point.load(), force=True)


def autobuild_args(book: Path, host: str, port: int) -> list[str]:
    ignore = [arg for name in IGNORED for arg in ("--ignore", str(book / name))]
    return [
        str(book),
        str(book / OUTPUT / "html"),
        "-c",
        str(CONF_DIR),
        "-d",
        str(book / OUTPUT / "doctrees"),
        "-b",
        "html",
        "-W",
        "-n",
        "--keep-going",
        "--host",
        host,
        "--port",
        str(port),
        *ignore,
        "--re-ignore",
        "/__pycache__/",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    import_libraries()
    load_pybtex_plugins()
    use_autobuild_builder(ForkingBuilder)
    sphinx_autobuild.__main__.main(autobuild_args(BOOK, args.host, args.port))


if __name__ == "__main__":
    main()
