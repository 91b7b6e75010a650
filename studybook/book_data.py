"""Load data/events.csv and data/people.csv once per build and report bad rows as warnings.

A bad row becomes one warning located at the CSV line (``data/events.csv:12: WARNING: ...``),
so a strict build stops and the editor sees exactly where to look.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .data import DATA_DIR, PAGES_DIR, DataValidationError, bib_keys, load_events, load_people
from .warnings_ import WARNING_TYPE, StudybookWarning

LOGGER = logging.getLogger(__name__)


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
    bib_files = [Path(env.srcdir) / f for f in env.config.bibtex_bibfiles]
    env.studybook_bib_keys = keys = set().union(*(bib_keys(f) for f in bib_files))
    env.studybook_events = _load("events", lambda rel, path: load_events(
        path, path.with_name("events.schema.json"), chapter_pages(env), keys, shown_as=rel), env)
    env.studybook_people = _load("people", lambda rel, path: load_people(
        path, path.with_name("people.schema.json"), shown_as=rel), env)


def _load(table: str, loader, env: BuildEnvironment) -> pd.DataFrame:
    relative, path = data_file(env, f"{table}.csv")
    try:
        return loader(relative, path)
    except DataValidationError as exc:
        for error in exc.errors:
            LOGGER.warning(error.detail, type=WARNING_TYPE,
                           subtype=StudybookWarning.DATA, location=f"{error.path}:{error.line}")
    return pd.DataFrame()
