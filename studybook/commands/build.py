"""Build the book strictly: ``python -m studybook.commands.build html|pdf|epub [--output DIR]``.

Runs Jupyter Book's Sphinx build as ``jupyter-book build -W -n --keep-going`` would, with one
difference: each builder keeps its own environment (``_build/.doctrees/<kind>/``). Sphinx stores
doctrees as they were read for one builder (the web book's figures point at SVG previews, the
printed book's at vector PDFs), so a PDF built from the web book's environment would ask
ImageMagick to convert SVGs; with separate environments every target gives, after any other,
what it gives from clean.

Sphinx re-warns only for pages it reads again, so a no-change rebuild after a failed build would
pass; a marker file makes the build after a failure start from a fresh environment, and it fails
again.

The PDFs are built by LaTeX in ``_build/latex/``, one per edition (studybook/print/editions.py:
``print`` for paper, ``screen`` for reading on screen; ``--edition`` picks one), and copied to
``_build/pdf/<name>-<edition>.pdf`` (name from ``latex.latex_documents.targetname`` in
_config.yml), unless the LaTeX log says a character had no glyph in its font: then the build
fails and names the characters.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from ..compat import jupyter_book_build
from ..print.editions import DEFAULT_EDITIONS, EDITIONS, write_edition

# What `jupyter-book build -n` passes to Jupyter Book's configuration (the live preview uses it too).
JUPYTER_BOOK_OPTIONS = {"external_toc_path": "_toc.yml", "latex_individualpages": False, "nitpicky": True}
# kind: (Sphinx builder, folder under _build/)
BUILDERS = {"html": ("html", "html"), "pdf": ("latex", "latex"), "epub": ("epub", "epub")}


def build(kind: str, book: Path, output: Path, jobs: int | None = None,
          editions: tuple[str, ...] = DEFAULT_EDITIONS) -> int:
    builder, folder = BUILDERS[kind]
    build_dir = output / "_build"
    failed_marker = build_dir / f".last-{kind}-build-failed"
    os.environ.setdefault("SOURCE_DATE_EPOCH", last_commit_time(book))
    status = run_sphinx(book, build_dir / folder, build_dir / ".doctrees" / kind, builder,
                        fresh=failed_marker.exists(), jobs=jobs or os.cpu_count() or 1)
    if kind == "pdf" and not status:
        status = run_latex(build_dir / folder / f"{book_name(book)}.tex", editions)
        for edition in editions:
            status = status or publish_pdf(f"{book_name(book)}-{edition}.pdf", build_dir)
    failed_marker.parent.mkdir(parents=True, exist_ok=True)
    if status:
        failed_marker.touch()
    else:
        failed_marker.unlink(missing_ok=True)
    return status


def run_sphinx(book: Path, outdir: Path, doctrees: Path, builder: str, fresh: bool, jobs: int) -> int:
    """``jupyter-book build --builder <builder> -W -n --keep-going [--all]``, but with our doctree folder,
    reading pages in ``jobs`` processes."""
    result = jupyter_book_build(
        book, outdir, doctreedir=doctrees, noconfig=True, path_config=book / "_config.yml",
        confoverrides=dict(JUPYTER_BOOK_OPTIONS),  # Jupyter Book pops keys from it
        builder=builder, warningiserror=True, keep_going=True, freshenv=fresh, jobs=jobs,
    )
    return 1 if isinstance(result, BaseException) else result


def last_commit_time(book: Path) -> str:
    """The date a book prints on its title page is that of its last commit, not the day of the build,
    so two builds of one commit agree (Sphinx reads SOURCE_DATE_EPOCH). Outside git: now."""
    last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=book, capture_output=True, text=True)
    return last_commit.stdout.strip() if last_commit.returncode == 0 and last_commit.stdout.strip() \
        else str(int(time.time()))


def book_name(book: Path) -> str:
    """The name Sphinx gives the book's LaTeX file, without .tex; each edition adds -<edition> to it."""
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    target = config.get("latex", {}).get("latex_documents", {}).get("targetname", "book.tex")
    return Path(target).stem


def run_latex(tex: Path, editions: tuple[str, ...]) -> int:
    """LaTeX (with the index and references, through Sphinx's Makefile) for each edition, side by side."""
    targets = [write_edition(tex, edition).with_suffix(".pdf").name for edition in editions]
    return subprocess.run(["make", f"-j{len(targets)}", *targets], cwd=tex.parent).returncode


def missing_characters(log: Path) -> list[str]:
    """XeTeX's "Missing character: There is no ... in font ...!" lines: text that would print as nothing."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return sorted(set(re.findall(r"^Missing character: .*$", text, flags=re.MULTILINE)))


def publish_pdf(name: str, build_dir: Path) -> int:
    latex = build_dir / "latex"
    missing = missing_characters((latex / name).with_suffix(".log"))
    if missing:
        print(f"error: {len(missing)} character(s) have no glyph in the book's fonts "
              f"(see {(latex / name).with_suffix('.log')}):", *missing, sep="\n", file=sys.stderr)
        return 1
    target = build_dir / "pdf" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(latex / name, target)
    print(f"The PDF is at {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(BUILDERS))
    parser.add_argument("--book", type=Path, default=Path.cwd(), help="the book's folder (default: here)")
    parser.add_argument("--output", type=Path, help="folder that receives _build/ (default: the book's folder)")
    parser.add_argument("--jobs", type=int, help="processes that read pages (default: one per core)")
    parser.add_argument("--edition", choices=sorted(EDITIONS), action="append",
                        help="with pdf: build only this edition (may be repeated; default: "
                             + " and ".join(DEFAULT_EDITIONS) + ")")
    args = parser.parse_args(argv)
    book = args.book.resolve()
    return build(args.kind, book, (args.output or book).resolve(), args.jobs,
                 tuple(args.edition or DEFAULT_EDITIONS))


if __name__ == "__main__":
    sys.exit(main())
