"""Build the book strictly: ``python -m studybook.cli html|pdf|epub [--output DIR]``.

Wraps ``jupyter-book build`` with ``-W -n --keep-going``. Sphinx re-warns only for pages
it reads again, so a no-change rebuild after a failed build would pass; a marker file
makes the build after a failure start from a fresh environment, and it fails again.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BUILDERS = {"html": "html", "pdf": "pdflatex", "epub": "custom"}
STRICT = ["-W", "-n", "--keep-going"]


def build(kind: str, book: Path, output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    failed_marker = output / "_build" / ".last-build-failed"
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(book), *STRICT,
               "--path-output", str(output), "--builder", BUILDERS[kind]]
    if kind == "epub":
        command += ["--custom-builder", "epub"]
    if failed_marker.exists():
        command.append("--all")
    status = subprocess.run(command).returncode
    failed_marker.parent.mkdir(parents=True, exist_ok=True)
    if status:
        failed_marker.touch()
    else:
        failed_marker.unlink(missing_ok=True)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(BUILDERS))
    parser.add_argument("--book", type=Path, default=Path.cwd(), help="the book's folder (default: here)")
    parser.add_argument("--output", type=Path, help="folder that receives _build/ (default: the book's folder)")
    args = parser.parse_args(argv)
    book = args.book.resolve()
    return build(args.kind, book, (args.output or book).resolve())


if __name__ == "__main__":
    sys.exit(main())
