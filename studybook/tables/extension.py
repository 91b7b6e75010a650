"""Load data/events.csv and data/people.csv once per build and report bad rows as warnings.

A bad row becomes one warning located at the CSV line (``data/events.csv:12: WARNING: ...``),
so a strict build stops and the editor sees exactly where to look.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..checks.catalogue import WARNING_TYPE, StudybookWarning
from .load import DATA_DIR, PAGES_DIR, DataValidationError, bib_keys, event_people, load_events, load_people, load_periods

LOGGER = logging.getLogger(__name__)
DATA_FILES = ["events.csv", "events.schema.json", "people.csv", "people.schema.json",
              "periods.csv", "periods.schema.json"]


def setup_book_data(app: Sphinx) -> None:
    app.add_config_value("studybook_data_dir", DATA_DIR, "env", types=[str])
    app.add_config_value("studybook_pages_dir", PAGES_DIR, "env", types=[str])
    app.connect("env-before-read-docs", load_tables)


def data_file(env: BuildEnvironment, name: str) -> tuple[str, Path]:
    """(path relative to the book root, absolute path) of a data file."""
    relative = f"{env.config.studybook_data_dir}/{name}"
    return relative, Path(env.srcdir) / relative


def page_docname(env: BuildEnvironment, page: str) -> str:
    return f"{env.config.studybook_pages_dir}/{page}"


def chapter_pages(env: BuildEnvironment) -> set[str]:
    prefix = f"{env.config.studybook_pages_dir}/"
    return {doc.removeprefix(prefix) for doc in env.found_docs if doc.startswith(prefix)}


def load_tables(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Validate and load the tables; skipped when no data file and no page name changed since the last
    build that loaded them without error (validation takes about 0.4 s of each live-preview rebuild)."""
    bib_files = [Path(env.srcdir) / f for f in env.config.bibtex_bibfiles]
    inputs = [*bib_files, *(data_file(env, name)[1] for name in DATA_FILES)]
    fingerprint = hashlib.sha256(repr(sorted(chapter_pages(env))).encode())
    for path in inputs:
        fingerprint.update(path.read_bytes() if path.exists() else b"missing")
    if getattr(env, "studybook_tables_fingerprint", None) == fingerprint.hexdigest():
        return
    env.studybook_bib_keys = keys = set().union(*(bib_keys(f) for f in bib_files))
    people, people_valid = _load("people", lambda rel, path: load_people(
        path, path.with_name("people.schema.json"), keys, shown_as=rel), env)
    people_ids = set(people.index) if people_valid else None
    events, events_valid = _load("events", lambda rel, path: load_events(
        path, path.with_name("events.schema.json"), chapter_pages(env), keys, shown_as=rel,
        people_ids=people_ids), env)
    if not events.empty:  # the names shown in the hover card and the tables
        names = people.name.to_dict() if people_valid else {}
        events["people_names"] = events.people.map(
            lambda cell: ", ".join(names.get(person, person) for person in event_people(cell)))
    periods, periods_valid = _load("periods", lambda rel, path: load_periods(
        path, path.with_name("periods.schema.json"), keys, shown_as=rel), env, optional=True)
    env.studybook_events, env.studybook_people, env.studybook_periods = events, people, periods
    valid = events_valid and people_valid and periods_valid
    env.studybook_tables_fingerprint = fingerprint.hexdigest() if valid else None


def _load(table: str, loader, env: BuildEnvironment, optional: bool = False) -> tuple[pd.DataFrame, bool]:
    """The table, and whether it was valid (an invalid one is reported and replaced by an empty one;
    an optional table that does not exist is empty)."""
    relative, path = data_file(env, f"{table}.csv")
    if optional and not path.exists():
        return pd.DataFrame(), True
    try:
        return loader(relative, path), True
    except DataValidationError as exc:
        for error in exc.errors:
            LOGGER.warning(error.detail, type=WARNING_TYPE,
                           subtype=StudybookWarning.DATA, location=f"{error.path}:{error.line}")
    return pd.DataFrame(), False
