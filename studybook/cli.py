"""Build the book strictly: ``python -m studybook.cli html|pdf|epub [--output DIR]``.

Wraps ``jupyter-book build`` with ``-W -n --keep-going``. Sphinx re-warns only for pages
it reads again, so a no-change rebuild after a failed build would pass; a marker file
makes the build after a failure start from a fresh environment, and it fails again.

The PDF is built by LaTeX in ``_build/latex/`` and copied to ``_build/pdf/<name>.pdf``
(name from ``latex.latex_documents.targetname`` in _config.yml), unless the LaTeX log
says a character had no glyph in its font: then the build fails and names the characters.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

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
    status = subprocess.run(command, env=dated_environment(book)).returncode
    if kind == "pdf" and not status:
        status = publish_pdf(pdf_name(book), output / "_build")
    failed_marker.parent.mkdir(parents=True, exist_ok=True)
    if status:
        failed_marker.touch()
    else:
        failed_marker.unlink(missing_ok=True)
    return status


def dated_environment(book: Path) -> dict[str, str]:
    """The date a book prints on its title page is that of its last commit, not the day of the build,
    so two builds of one commit agree (Sphinx reads SOURCE_DATE_EPOCH). Outside git: today."""
    environment = dict(os.environ)
    if "SOURCE_DATE_EPOCH" not in environment:
        last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=book, capture_output=True, text=True)
        if last_commit.returncode == 0 and last_commit.stdout.strip():
            environment["SOURCE_DATE_EPOCH"] = last_commit.stdout.strip()
    return environment


def pdf_name(book: Path) -> str:
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    target = config.get("latex", {}).get("latex_documents", {}).get("targetname", "book.tex")
    return Path(target).stem + ".pdf"


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
    args = parser.parse_args(argv)
    book = args.book.resolve()
    return build(args.kind, book, (args.output or book).resolve())


if __name__ == "__main__":
    sys.exit(main())
