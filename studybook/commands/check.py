"""Check the book's tables without building it: ``python -m studybook.commands.check [--book DIR]``.

Validates ``data/events.csv`` and ``data/people.csv`` against their Table Schemas, the pages in
``_toc.yml`` and the keys of the bibliography with the build's own loader (``load_tables``), and
prints one ``file:line: ...`` line per problem. pre-commit runs it whenever data or pages change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..tables.load import DataError, bibliography_files, load_tables, toc_pages


def check(book: Path) -> list[DataError]:
    return load_tables(book, toc_pages(book), bibliography_files(book)).errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--book", type=Path, default=Path.cwd(), help="the book's folder (default: here)")
    args = parser.parse_args(argv)
    errors = check(args.book.resolve())
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
