"""Load data/events.csv, data/people.csv and the bibliography once per build and report bad rows as warnings.

A bad row becomes one warning located at the CSV line (``data/events.csv:12: WARNING: ...``),
so a strict build stops and the editor sees exactly where to look. The loading itself is
``load.load_tables``, which the pre-commit check calls too.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..checks.catalogue import StudybookWarning, warn
from ..timelines.figure import THEATRE_STYLES
from .load import DATA_DIR, PAGES_DIR, DataValidationError, allowed_values, bib_keys, load_tables

LOGGER = logging.getLogger(__name__)
DATA_FILES = ["events.csv", "events.schema.json", "people.csv", "people.schema.json", "periods.csv", "periods.schema.json"]


def setup_book_data(app: Sphinx) -> None:
    app.add_config_value("studybook_data_dir", DATA_DIR, "env", types=[str])
    app.add_config_value("studybook_pages_dir", PAGES_DIR, "env", types=[str])
    # before sphinxcontrib-bibtex parses the bibliography at builder-inited (500)
    app.connect("builder-inited", keep_bibtex_from_a_syntax_error, priority=400)
    # while building, not when Sphinx starts: the live preview starts the next Sphinx before the next edit
    app.connect("env-before-read-docs", load_book_tables)


def data_file(env: BuildEnvironment, name: str) -> tuple[str, Path]:
    """(path relative to the book root, absolute path) of a data file."""
    relative = f"{env.config.studybook_data_dir}/{name}"
    return relative, Path(env.srcdir) / relative


def page_docname(env: BuildEnvironment, page: str) -> str:
    return f"{env.config.studybook_pages_dir}/{page}"


def keep_bibtex_from_a_syntax_error(app: Sphinx) -> None:
    """sphinxcontrib-bibtex stops the build with a traceback on a BibTeX syntax error: give it no
    bibliography then (the tables' loader reports the error, with its line)."""
    book = Path(app.srcdir)
    app.env.studybook_bib_files = [os.path.relpath(book / f, book) for f in app.config.bibtex_bibfiles]
    for bib in app.env.studybook_bib_files:
        try:
            bib_keys(book / bib)
        except DataValidationError:
            app.config.bibtex_bibfiles = []


def load_book_tables(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Validate and load the tables; skipped when no data file and no page name changed since the last
    build that loaded them without error (validation takes about 0.4 s of each live-preview rebuild)."""
    config = app.config
    book = Path(env.srcdir)
    pages = sorted(config.external_site_map)
    bib_files = env.studybook_bib_files
    inputs = [*(book / f for f in bib_files), *(data_file(env, name)[1] for name in DATA_FILES)]
    fingerprint = hashlib.sha256(repr(pages).encode())
    for path in inputs:
        fingerprint.update(path.read_bytes() if path.exists() else b"missing")
    env.studybook_theatres = _theatres(env)
    if getattr(env, "studybook_tables_fingerprint", None) == fingerprint.hexdigest():
        return
    tables = load_tables(book, pages, bib_files, config.studybook_data_dir, config.studybook_pages_dir)
    for error in tables.errors:
        warn(StudybookWarning.DATA, error.detail, f"{error.path}:{error.line}")
    for check in tables.skipped:
        LOGGER.info(f"skipped: {check}")
    env.studybook_bib_keys = tables.bib_keys
    env.studybook_events = tables.events
    env.studybook_people = tables.people
    env.studybook_periods = tables.periods
    env.studybook_tables_fingerprint = None if tables.errors else fingerprint.hexdigest()


def _theatres(env: BuildEnvironment) -> list[str]:
    """The theatres the schema allows; each needs a colour and a symbol in the timelines' figure."""
    relative, schema = data_file(env, "events.schema.json")
    theatres = allowed_values(schema, "theatre")
    if set(theatres) != set(THEATRE_STYLES):
        warn(
            StudybookWarning.DATA,
            f"the theatres of the schema ({', '.join(theatres)}) differ from those "
            f"that studybook/timelines/figure.py draws ({', '.join(THEATRE_STYLES)}): change both together",
            f"{relative}:1",
        )
    return theatres


def loaded(table: pd.DataFrame | None) -> pd.DataFrame:
    """A table, or an empty one when it did not load (its errors have been reported)."""
    return pd.DataFrame() if table is None else table
