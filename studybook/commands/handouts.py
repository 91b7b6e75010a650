"""Print the handouts: ``python -m studybook.commands.handouts [--edition teacher] [--output DIR]``.

Builds the handouts' LaTeX files strictly (``build handouts``: one per part page, see
studybook/teaching/handouts.py), runs LaTeX on each (``--jobs`` at a time, one per core by default)
and copies the PDFs to
``_build/handouts/<part>.pdf`` (the teacher edition's, with the guidance for group leaders, to
``_build/teacher/handouts/``). Fails, naming the part, when LaTeX fails, when a character has no
glyph in the book's fonts, or when a handout runs to more than two pages.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..tables.load import PAGES_DIR
from .build import (
    BUILDERS,
    add_book_arguments,
    build,
    collect_garbage_for_a_build,
    edition_dir,
    end_without_teardown,
    missing_characters,
)

MAX_PAGES = 2  # one sheet, printed on both sides


def pages_of(log: Path) -> int:
    """The page count LaTeX reports at the end of its log ("Output written on x.pdf (2 pages, ...)")."""
    found = re.search(r"^Output written on .*?\((\d+) pages?", log.read_text(encoding="utf-8", errors="replace"), re.M)
    return int(found.group(1)) if found else 0


def typeset(tex: Path) -> tuple[int, list[str]]:
    """Run LaTeX on one handout: its page count, or 0, and what went wrong. A handout that runs over
    two sides is set again compact (``<part>.fit``, read by handout.sty: smaller type for the
    timeline, the terms and the guidance, less room to write)."""
    fit = tex.with_suffix(".fit")
    was_compact = fit.exists()
    fit.unlink(missing_ok=True)  # a text that has grown shorter gets the roomier layout back
    for attempt in ("normal", "compact"):
        if attempt == "compact":
            fit.write_text("\\handoutcompacttrue\n", encoding="utf-8")
        # -g (force): latexmk would call the PDF up to date when only the .fit file came or went
        force = attempt == "compact" or was_compact
        make = ["make", tex.with_suffix(".pdf").name, *(["LATEXMKOPTS=-g"] if force else [])]
        if subprocess.run(make, cwd=tex.parent, capture_output=True).returncode:
            return 0, [f"LaTeX failed, see {tex.with_suffix('.log')}"]
        pages = pages_of(tex.with_suffix(".log"))
        if pages <= MAX_PAGES:
            break
    problems = []
    missing = missing_characters(tex.with_suffix(".log"))
    if missing:
        problems.append(f"{len(missing)} character(s) have no glyph in the book's fonts: " + "; ".join(missing))
    if pages > MAX_PAGES:
        problems.append(f"{pages} pages even set compact, more than the {MAX_PAGES} sides of one sheet: shorten the part")
    return pages, problems


def print_handouts(book: Path, output: Path, jobs: int | None = None, edition: str = "student") -> int:
    started = time.monotonic()
    status = build("handouts", book, output, jobs, edition)
    if status:
        return status
    latex = edition_dir(output, edition) / BUILDERS["handouts"][1]
    target = edition_dir(output, edition) / "handouts"
    target.mkdir(parents=True, exist_ok=True)
    failed = False
    sheets = sorted(latex.glob("*.tex"))
    # Threads, as each only waits on its make.
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        results = list(pool.map(typeset, sheets))
    for tex, (pages, problems) in zip(sheets, results):
        for problem in problems:
            print(f"error: {PAGES_DIR}/{tex.stem}.md: {problem}", file=sys.stderr)
            failed = True
        if pages:
            shutil.copyfile(tex.with_suffix(".pdf"), target / f"{tex.stem}.pdf")
            compact = " (compact)" if tex.with_suffix(".fit").exists() else ""
            print(f"{target / tex.stem}.pdf: {pages} page{'s' if pages != 1 else ''}{compact}")
    for stale in target.glob("*.pdf"):  # a part that was renamed or removed
        if not (latex / stale.name).with_suffix(".tex").exists():
            stale.unlink()
    if not failed:
        print(f"The handouts are in {target} ({time.monotonic() - started:.0f} s)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    collect_garbage_for_a_build()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_book_arguments(
        parser, "student (default: lines to write on) or teacher (the guidance for group leaders, into _build/teacher/)"
    )
    args = parser.parse_args(argv)
    book = args.book.resolve()
    return print_handouts(book, (args.output or book).resolve(), args.jobs, args.edition)


if __name__ == "__main__":
    end_without_teardown(main())
