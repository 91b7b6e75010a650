"""What the extension keeps between Sphinx's events, in two typed records instead of loose attributes.

Sphinx leaves an extension to hang its state on the environment or the application. Doing that
under one name each, with a dataclass, gives every value one place, one type and one default, so
that mypy can check the code that reads them.

- ``book_data(env)``: what the build loads once and every page reads (the tables, the theatres),
  plus what must survive to the next incremental build. It lives on the environment, so it is
  pickled with it and forked into the processes that read pages in parallel.
- ``build_run(app)``: what belongs to this run of Sphinx only (the image export process, the edition,
  what the pages said before they were read again). Never pickled.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .history import Change
    from .paragraphs.edition import Edition
    from .timelines.export import ImageExporter

ENV_ATTRIBUTE = "studybook_data"
APP_ATTRIBUTE = "studybook_run"


@dataclass
class BookData:
    bib_files: list[str] = field(default_factory=list)  # relative to the book, as the warnings name them
    bib_keys: set[str] | None = None  # None: the bibliography did not load (its error is reported)
    events: pd.DataFrame | None = None  # None: the table did not load (its errors are reported)
    people: pd.DataFrame | None = None
    periods: pd.DataFrame | None = None
    theatres: list[str] = field(default_factory=list)
    concordance: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables_fingerprint: str | None = None  # of the inputs of the last load without errors
    terms_skipped: bool = False  # "glossary terms not checked" said once per build
    navigation: str | None = None  # the table of contents and titles the pages were last written with
    download_sizes: dict[str, int | None] | None = None  # the sizes the pages last showed


@dataclass
class BuildRun:
    exporter: ImageExporter | None = None
    edition: Edition | None = None
    changes: dict[str, Change] = field(default_factory=dict)  # page source -> its last commit
    mentions_before: dict[str, Any] | None = None  # people mentioned per page, before this read
    markers_before: dict[str, Any] | None = None  # event markers per page, before this read
    written_pages: set[str] = field(default_factory=set)
    worker_writer: subprocess.Popen | None = None  # Node writing the service worker (web/offline.py)
    popup_entries: dict[tuple[str, str], tuple[str, list[str]]] | None = None
    figure_depth: int = 0  # numfig_secnum_depth as the book's configuration sets it


def book_data(env: BuildEnvironment) -> BookData:
    data = getattr(env, ENV_ATTRIBUTE, None)
    if data is None:
        data = BookData()
        setattr(env, ENV_ATTRIBUTE, data)
    return data


def build_run(app: Sphinx) -> BuildRun:
    run = getattr(app, APP_ATTRIBUTE, None)
    if run is None:
        run = BuildRun()
        setattr(app, APP_ATTRIBUTE, run)
    return run
