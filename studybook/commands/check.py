"""Check the book's tables without building it: ``python -m studybook.commands.check [--book DIR]``.

Validates ``data/events.csv`` and ``data/people.csv`` against their Table Schemas, the pages in
``chapters/`` and the keys of the bibliography, with the same code as the build, and prints one
``file:line: ...`` line per problem. pre-commit runs it whenever data or pages change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from pybtex.scanner import PybtexSyntaxError

from ..tables.load import DATA_DIR, PAGES_DIR, DataError, DataValidationError, bib_keys, load_events, load_people, load_periods


def bibliography_files(book: Path) -> list[str]:
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    return config.get("bibtex_bibfiles", [])


def check(book: Path) -> list[DataError]:
    errors: list[DataError] = []
    keys: set[str] = set()
    for bib in bibliography_files(book):
        try:
            keys |= bib_keys(book / bib)
        except PybtexSyntaxError as exc:
            errors.append(DataError(bib, exc.lineno, "", str(exc)))
    if errors:  # without the keys every cited source would look unknown
        return errors
    pages = {path.stem for path in (book / PAGES_DIR).glob("*.md")}
    data = book / DATA_DIR
    loaded = {}  # people come first: events name their ids (not checked when that table is broken)
    tables = {
        "people": lambda csv, schema, shown_as: load_people(csv, schema, keys, shown_as=shown_as),
        "events": lambda csv, schema, shown_as: load_events(
            csv, schema, pages, keys, shown_as=shown_as,
            people_ids=set(loaded["people"].index) if "people" in loaded else None),
        "periods": lambda csv, schema, shown_as: load_periods(csv, schema, keys, shown_as=shown_as),
    }
    for name, load in tables.items():
        try:
            loaded[name] = load(data / f"{name}.csv", data / f"{name}.schema.json", shown_as=f"{DATA_DIR}/{name}.csv")
        except DataValidationError as exc:
            errors += exc.errors
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--book", type=Path, default=Path.cwd(), help="the book's folder (default: here)")
    args = parser.parse_args(argv)
    errors = check(args.book)
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
