"""Build the book strictly: ``python -m studybook.commands.build html|pdf|epub [--output DIR] [--edition E]``.

Runs Jupyter Book's Sphinx build as ``jupyter-book build -W -n --keep-going`` would, with one
difference: each builder keeps its own environment (``_build/.doctrees/<kind>/``). Sphinx stores
doctrees as they were read for one builder (the web book's figures point at SVG previews, the
printed book's at vector PDFs), so a PDF built from the web book's environment would ask
ImageMagick to convert SVGs; with separate environments every target gives, after any other,
what it gives from clean.

A failed build ends with the number of errors and warnings and, as its last line, the first of
them again (``problems.ProblemLog``).

Sphinx re-warns only for pages it reads again, so a no-change rebuild after a failed build would
pass; a marker file makes the build after a failure start from a fresh environment, and it fails
again.

The PDFs are built by LaTeX in ``_build/latex/``, one per layout (studybook/print/editions.py:
``print`` for paper, ``screen`` for reading on screen, ``large`` for large print; ``--pdf-edition``
picks them, print and screen by default), and copied to ``_build/pdf/<name>-<layout>.pdf`` (name
from ``latex.latex_documents.targetname`` in _config.yml), unless the LaTeX log says a character
had no glyph in its font: then the build fails and names the characters. With the print layout,
one PDF per part of the chapter is cut from it (studybook/print/parts.py):
``_build/pdf/<name>-part-<n>-<page>.pdf``.

``--edition teacher`` builds the teacher edition (with the guidance for group leaders, see
studybook/teaching/editions.py) into ``_build/teacher/``, which holds the same folders as
``_build/`` (``html``, ``latex``, ``pdf``, ``epub`` and their environments), so that the two
editions never share pages.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import NoReturn

import yaml

from ..compat import jupyter_book_build
from ..print import editions as print_editions
from ..timelines.export import export_started_early
from .problems import ProblemLog

# What `jupyter-book build -n` passes to Jupyter Book's configuration (the live preview uses it too).
JUPYTER_BOOK_OPTIONS = {"external_toc_path": "_toc.yml", "latex_individualpages": False, "nitpicky": True}
# kind: (Sphinx builder, folder under _build/)
BUILDERS = {
    "html": ("html", "html"),
    "pdf": ("latex", "latex"),
    "epub": ("epub", "epub"),
    "flashcards": ("flashcards", "flashcards"),
    "handouts": ("handouts", "handouts-latex"),  # studybook/teaching/handouts.py (commands/handouts.py prints them)
}  # studybook/teaching/flashcards.py
EDITIONS = ("student", "teacher")
DRAWS_TIMELINE_IMAGES = {"html", "pdf", "epub"}  # the flashcards and handouts show no figure


def edition_dir(output: Path, edition: str) -> Path:
    """Where an edition's builds go: ``_build/`` for the students' book, ``_build/teacher/`` for the teachers'."""
    return output / "_build" if edition == "student" else output / "_build" / edition


def build(
    kind: str,
    book: Path,
    output: Path,
    jobs: int | None = None,
    edition: str = "student",
    layouts: tuple[str, ...] = print_editions.DEFAULT_EDITIONS,
) -> int:
    builder, folder = BUILDERS[kind]
    build_dir = edition_dir(output, edition)
    failed_marker = build_dir / f".last-{kind}-build-failed"
    os.environ.setdefault("SOURCE_DATE_EPOCH", last_commit_time(book))
    problems = ProblemLog(sys.stderr, str(book))
    early_export = export_started_early(book, build_dir, builder) if kind in DRAWS_TIMELINE_IMAGES else contextlib.nullcontext()
    with contextlib.redirect_stderr(problems), early_export:  # Jupyter Book gives Sphinx sys.stderr as its warning stream
        status = run_sphinx(
            book,
            build_dir / folder,
            build_dir / ".doctrees" / kind,
            builder,
            fresh=failed_marker.exists(),
            jobs=jobs or os.cpu_count() or 1,
            edition=edition,
        )
    if status:
        sys.stdout.flush()  # Sphinx's own last lines first
        print(*problems.summary(), sep="\n", file=sys.stderr)
    if kind == "pdf" and not status:
        status = run_latex(build_dir / folder / f"{book_name(book)}.tex", layouts)
        for layout in layouts:
            status = status or publish_pdf(f"{book_name(book)}-{layout}.pdf", build_dir)
        if not status and "print" in layouts:
            publish_parts(book_name(book), build_dir)
    failed_marker.parent.mkdir(parents=True, exist_ok=True)
    if status:
        failed_marker.touch()
    else:
        failed_marker.unlink(missing_ok=True)
    return status


def run_sphinx(book: Path, outdir: Path, doctrees: Path, builder: str, fresh: bool, jobs: int, edition: str = "student") -> int:
    """``jupyter-book build --builder <builder> -W -n --keep-going [--all]``, but with our doctree folder,
    reading pages in ``jobs`` processes, for one edition."""
    result = jupyter_book_build(
        book,
        outdir,
        doctreedir=doctrees,
        noconfig=True,
        path_config=book / "_config.yml",
        confoverrides={**JUPYTER_BOOK_OPTIONS, "studybook_edition": edition},  # Jupyter Book pops keys from it
        builder=builder,
        warningiserror=True,
        keep_going=True,
        freshenv=fresh,
        jobs=jobs,
    )
    return 1 if isinstance(result, BaseException) else result


def last_commit_time(book: Path) -> str:
    """The date a book prints on its title page is that of its last commit, not the day of the build,
    so two builds of one commit agree (Sphinx reads SOURCE_DATE_EPOCH). Outside git: now."""
    last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=book, capture_output=True, text=True)
    return last_commit.stdout.strip() if last_commit.returncode == 0 and last_commit.stdout.strip() else str(int(time.time()))


def book_name(book: Path) -> str:
    """The name Sphinx gives the book's LaTeX file, without .tex; each edition adds -<edition> to it."""
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    target = config.get("latex", {}).get("latex_documents", {}).get("targetname", "book.tex")
    return Path(target).stem


def run_latex(tex: Path, layouts: tuple[str, ...]) -> int:
    """LaTeX (with the index and references, through Sphinx's Makefile) for each layout, side by side."""
    targets = [print_editions.write_edition(tex, layout).with_suffix(".pdf").name for layout in layouts]
    return subprocess.run(["make", f"-j{len(targets)}", *targets], cwd=tex.parent).returncode


def missing_characters(log: Path) -> list[str]:
    """XeTeX's "Missing character: There is no ... in font ...!" lines: text that would print as nothing."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return sorted(set(re.findall(r"^Missing character: .*$", text, flags=re.MULTILINE)))


def publish_pdf(name: str, build_dir: Path) -> int:
    latex = build_dir / "latex"
    missing = missing_characters((latex / name).with_suffix(".log"))
    if missing:
        print(
            f"error: {len(missing)} character(s) have no glyph in the book's fonts (see {(latex / name).with_suffix('.log')}):",
            *missing,
            sep="\n",
            file=sys.stderr,
        )
        return 1
    target = build_dir / "pdf" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(latex / name, target)
    print(f"The PDF is at {target}")
    return 0


def publish_parts(name: str, build_dir: Path) -> None:
    """One PDF per part of the chapter, cut out of the print edition (studybook/print/parts.py)."""
    from ..print import parts as print_parts  # pypdf takes a tenth of a second to import: only PDF builds need it

    parts = print_parts.write_parts(build_dir / "latex" / f"{name}-print.pdf", build_dir / "pdf", name)
    print(f"The {len(parts)} part PDFs are at {build_dir / 'pdf' / f'{name}-part-*.pdf'}")


def add_book_arguments(parser: argparse.ArgumentParser, edition_help: str) -> None:
    """The options every command that builds the book takes: --book, --output, --jobs, --edition."""
    parser.add_argument("--book", type=Path, default=Path.cwd(), help="the book's folder (default: here)")
    parser.add_argument("--output", type=Path, help="folder that receives _build/ (default: the book's folder)")
    parser.add_argument("--jobs", type=int, help="processes that read pages (default: one per core)")
    parser.add_argument("--edition", choices=EDITIONS, default="student", help=edition_help)


def collect_garbage_for_a_build() -> None:
    """Tune Python's cyclic garbage collector for a process that runs one build and ends.

    A build makes millions of objects that point at each other (docutils nodes know their parents)
    and holds a large heap that lives as long as it does (the modules, the environment). With the
    default thresholds (700, 10, 10) the collector walks that heap again and again. Here it runs
    less often, and never walks what start-up loaded (``gc.freeze``, which also spares the forked
    reading processes from copying those pages). Measured on two cores: a cold web build 11.4 s →
    10.1 s, a prose edit in the live preview 2.5 s → 2.1 s, for 13 MB more memory.
    Only for a process that ends after its build: frozen objects are never collected, so a process
    that builds again and again in itself (the tests) must not call it."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def end_without_teardown(status: int) -> NoReturn:
    """End a process that ran one build, skipping Python's teardown.

    On its way out Python frees the build's millions of objects one by one (the environment, the
    doctrees, every module): 0.55 s of a 9.5 s cold web build, in which the machine does nothing
    useful. The operating system takes the memory back at once. What the build wrote is flushed
    first. Python's exit handlers do not run: by now every process the build started has ended,
    and nothing the build uses leaves one with work to do (checked at the versions in
    requirements.txt). The live preview's build fork ends this way too (commands/serve.py)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    collect_garbage_for_a_build()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(BUILDERS))
    add_book_arguments(parser, "student (default, no guidance for group leaders) or teacher (into _build/teacher/)")
    parser.add_argument(
        "--pdf-edition",
        choices=sorted(print_editions.EDITIONS),
        action="append",
        help="with pdf: build this layout: print (two-sided, for paper; the part PDFs are cut from it), screen or large"
        " (large print); may be repeated (default: print and screen)",
    )
    args = parser.parse_args(argv)
    book = args.book.resolve()
    layouts = tuple(args.pdf_edition or print_editions.DEFAULT_EDITIONS)
    return build(args.kind, book, (args.output or book).resolve(), args.jobs, args.edition, layouts)


def run() -> NoReturn:
    """The command line's entry point (``python -m``, ``studybook-build``)."""
    end_without_teardown(main())


if __name__ == "__main__":
    run()
