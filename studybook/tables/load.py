"""Load and check the book's tables (``data/*.csv``) against their Table Schemas.

No Sphinx imports here: :func:`load_tables` is the one loader that the build, pre-commit's check
and the tests call, so they cannot disagree. Every problem becomes one :class:`DataError` that names
the file, the line, the column, what is wrong and what is allowed; a malformed file gives one such
line, never a traceback.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pybtex.database
import yaml
from frictionless import Resource, Schema, system
from pybtex.scanner import PybtexSyntaxError
from sphinx_external_toc.parsing import parse_toc_yaml

DATA_DIR = "data"  # the tables, their schemas and the bibliography, relative to the book
PAGES_DIR = "chapters"  # the pages an event may name
DATE_FORMS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
DATE_EXAMPLES = {"day": "1926-05-04", "month": "1926-05", "year": "1926"}
TOC_FILE = "_toc.yml"
OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs"}


@dataclass(frozen=True)
class DataError:
    path: str
    line: int
    column: str
    message: str

    @property
    def detail(self) -> str:
        return f"column '{self.column}': {self.message}" if self.column else self.message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.detail}"


class DataValidationError(Exception):
    """Raised with every error of a table, so an editor can fix them in one go."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


def _check_utf8(csv_path: Path, shown_as: str) -> None:
    """Raise for a table saved in another encoding (spreadsheet programs often save Latin-1)."""
    raw = csv_path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataValidationError(
            [
                DataError(
                    shown_as,
                    line,
                    "",
                    f"byte {raw[exc.start]:#04x} is not UTF-8: save the file as CSV UTF-8 (or re-type the accented letter)",
                )
            ]
        ) from None


def _check_structure(csv_path: Path, schema_path: Path, shown_as: str) -> None:
    """Raise with one line for a file that is not a table: another delimiter, a row with more or fewer
    values than its header has columns, or a double quote that is never closed."""
    _check_utf8(csv_path, shown_as)
    columns = len(json.loads(schema_path.read_text(encoding="utf-8"))["fields"])
    with csv_path.open(encoding="utf-8", newline="") as table:
        reader = csv.reader(table, strict=True)
        end_of_last_row = 0
        try:
            for row in reader:
                line, end_of_last_row = end_of_last_row + 1, reader.line_num
                if any("\n" in cell for cell in row):  # no cell of the book's tables spans lines
                    _fail(
                        shown_as,
                        line,
                        'a double quote (") opened on this line is not closed on it: '
                        'close it, or write a quote inside quoted text as two ("")',
                    )
                if line == 1 and len(row) == 1 and columns > 1:
                    used = next((name for sign, name in OTHER_DELIMITERS.items() if sign in row[0]), "")
                    _fail(
                        shown_as,
                        line,
                        f"the columns are separated by {used or 'something other than commas'}: "
                        "save the file as CSV with commas (CSV UTF-8)",
                    )
                if line == 1:  # the header names the columns (the schema then checks them; some are optional)
                    columns = len(row)
                elif row and len(row) != columns:
                    _fail(
                        shown_as,
                        line,
                        f"{len(row)} values but {columns} columns: "
                        + (
                            "put text that contains a comma in double quotes"
                            if len(row) > columns
                            else "add the missing values (an empty one is written as nothing between two commas)"
                        ),
                    )
        except csv.Error:  # only "unexpected end of data": a quote that runs to the end of the file
            _fail(shown_as, end_of_last_row + 1, 'a double quote (") opened on this line is never closed: close it')


def _fail(shown_as: str, line: int, message: str) -> None:
    raise DataValidationError([DataError(shown_as, line, "", message)])


def _schema_errors(csv_path: Path, schema_path: Path, shown_as: str) -> list[DataError]:
    _check_structure(csv_path, schema_path, shown_as)
    descriptor = json.loads(schema_path.read_text(encoding="utf-8"))
    descriptor.pop("$comment", None)
    with system.use_context(trusted=True):
        report = Resource(path=str(csv_path), schema=Schema.from_descriptor(descriptor)).validate()
    errors = []
    for task in report.tasks:
        for err in task.errors:
            line = getattr(err, "row_number", None) or 1
            column = getattr(err, "field_name", None) or "(header)"
            errors.append(DataError(shown_as, line, column, _plain(err, descriptor)))
    return errors


def _plain(err, descriptor: dict) -> str:
    """Frictionless messages are long; say what is wrong and what is allowed."""
    cell = getattr(err, "cell", None)
    field = next((f for f in descriptor["fields"] if f["name"] == getattr(err, "field_name", None)), {})
    constraints = field.get("constraints", {})
    if err.type == "constraint-error":
        if '"required"' in err.note:
            return "is empty; it is required. " + field.get("description", "")
        if '"enum"' in err.note:
            return f"'{cell}' is not allowed; use one of: {', '.join(constraints['enum'])}"
        if '"pattern"' in err.note:
            return f"'{cell}' is malformed. " + field.get("description", "")
        if '"minimum"' in err.note:
            return f"'{cell}' is out of range; it must be at least {constraints['minimum']}"
        if '"maximum"' in err.note:
            return f"'{cell}' is out of range; it must be at most {constraints['maximum']}"
        if '"maxLength"' in err.note:
            return f"is {len(str(cell))} characters long; at most {constraints['maxLength']} are allowed"
        return f"'{cell}' breaks the rule {err.note}"
    if err.type == "unique-error":
        return f"'{cell}' is used twice ({err.note.replace('position', 'line')}); ids must be unique"
    if err.type == "type-error":
        return f"'{cell}' is not a valid {field.get('type', 'value')}. " + field.get("description", "")
    return err.message


def _parse_date(text: str, precision: str) -> date | None:
    try:
        return pd.to_datetime(text, format=DATE_FORMS[precision]).date()
    except (ValueError, KeyError):
        return None


def _read(csv_path: Path) -> pd.DataFrame:
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["line"] = range(2, len(frame) + 2)
    return frame


def load_events(
    csv_path: Path,
    schema_path: Path,
    pages: set[str],
    bib_keys: set[str],
    shown_as: str = "data/events.csv",
    people_ids: set[str] | None = None,
) -> pd.DataFrame:
    """Return the events with parsed ``start_date``/``end_date``, or raise DataValidationError.

    ``pages`` are the chapter pages an event may name; ``bib_keys`` the keys of the bibliography;
    ``people_ids`` the ids of data/people.csv that the optional ``people`` column may name (None: not
    checked, because that table is broken and the build already says where).
    """
    errors = _schema_errors(csv_path, schema_path, shown_as)
    frame = _read(csv_path)
    if "label" not in frame.columns:  # a table without the column: its figures show full titles
        frame["label"] = frame["title"]
    frame["people"] = frame["people"].fillna("") if "people" in frame.columns else ""  # a short row leaves it empty
    starts, ends = [], []
    for row in frame.itertuples():
        start, end = _check_dates(row, shown_as, errors)
        starts.append(start)
        ends.append(end)
        if not row.label:
            errors.append(
                DataError(
                    shown_as,
                    row.line,
                    "label",
                    "is empty; write the event's name as a figure shows it, in at most 40 characters (e.g. Hamburg rising)",
                )
            )
        if row.page and row.page not in pages:
            errors.append(
                DataError(
                    shown_as, row.line, "page", f"'{row.page}' is not a chapter page; use one of: {', '.join(sorted(pages))}"
                )
            )
        _check_sources(row, "event", bib_keys, shown_as, errors)
        for person in event_people(row.people):
            if people_ids is not None and person not in people_ids:
                errors.append(
                    DataError(
                        shown_as,
                        row.line,
                        "people",
                        f"'{person}' is not an id in data/people.csv; "
                        "use ids from its first column, separated by semicolons (e.g. trotsky;zinoviev)",
                    )
                )
    if errors:
        raise DataValidationError(sorted(set(errors), key=lambda e: (e.line, e.column)))
    frame["start_date"] = pd.to_datetime(starts)
    frame["end_date"] = pd.to_datetime(ends)
    return frame.sort_values(["start_date", "id"]).reset_index(drop=True)


def event_people(people: str) -> list[str]:
    """The person ids of an event's ``people`` cell, in their order."""
    return [person.strip() for person in people.split(";") if person.strip()]


def _check_sources(row, subject: str, bib_keys: set[str], shown_as: str, errors: list[DataError]) -> None:
    """Every source is a web address or a bibliography key, and at least one is a key (the work a reader can follow)."""
    sources = [s.strip() for s in row.sources.split(";") if s.strip()]
    for source in sources:
        if not source.startswith(("https://", "http://")) and source not in bib_keys:
            errors.append(
                DataError(
                    shown_as,
                    row.line,
                    "sources",
                    f"'{source}' is neither a web address (https://…) nor a key in data/references.bib",
                )
            )
    if sources and all(source.startswith(("https://", "http://")) for source in sources):
        errors.append(
            DataError(
                shown_as,
                row.line,
                "sources",
                f"lists only web addresses; add the key of at least one work in data/references.bib that covers the {subject}",
            )
        )


def _check_dates(row, shown_as: str, errors: list[DataError]) -> tuple[date | None, date | None]:
    precision = row.precision if row.precision in DATE_FORMS else "day"
    parsed = {}
    for column in ("start", "end"):
        text = getattr(row, column)
        if not text:
            parsed[column] = None
            continue
        parsed[column] = _parse_date(text, precision)
        if parsed[column] is None:
            errors.append(
                DataError(
                    shown_as,
                    row.line,
                    column,
                    f"'{text}' is not a real {precision} date; write it like {DATE_EXAMPLES[precision]}",
                )
            )
    start, end = parsed["start"], parsed["end"]
    if start and end and end < start:
        errors.append(DataError(shown_as, row.line, "end", f"'{row.end}' is before the start '{row.start}'"))
    return start, end


def load_periods(csv_path: Path, schema_path: Path, bib_keys: set[str], shown_as: str = "data/periods.csv") -> pd.DataFrame:
    """Return the periods (the timelines' shaded bands) with parsed dates, or raise DataValidationError."""
    errors = _schema_errors(csv_path, schema_path, shown_as)
    frame = _read(csv_path).assign(precision="day")
    starts, ends = [], []
    for row in frame.itertuples():
        start, end = _check_dates(row, shown_as, errors)
        starts.append(start)
        ends.append(end)
        _check_sources(row, "period", bib_keys, shown_as, errors)
    if errors:
        raise DataValidationError(sorted(set(errors), key=lambda e: (e.line, e.column)))
    frame["start_date"] = pd.to_datetime(starts)
    frame["end_date"] = pd.to_datetime(ends)
    return frame.sort_values(["start_date", "id"]).reset_index(drop=True)


def load_people(csv_path: Path, schema_path: Path, bib_keys: set[str], shown_as: str = "data/people.csv") -> pd.DataFrame:
    """Return the Who's who, indexed by id, or raise DataValidationError.

    ``bib_keys`` are the keys of the bibliography, which each person's ``sources`` must name at least once.
    """
    errors = _schema_errors(csv_path, schema_path, shown_as)
    frame = _read(csv_path)
    for row in frame.itertuples():
        if row.born.isdigit() and row.died.isdigit() and int(row.died) < int(row.born):
            errors.append(DataError(shown_as, row.line, "died", f"{row.died} is before the year of birth {row.born}"))
        if "sources" in frame.columns:  # a missing column is already a schema error
            _check_sources(row, "person", bib_keys, shown_as, errors)
    if errors:
        raise DataValidationError(sorted(set(errors), key=lambda e: (e.line, e.column)))
    return frame.set_index("id", drop=False)


def bib_keys(bib_path: Path, shown_as: str = "") -> set[str]:
    """Keys of a BibTeX file, parsed by pybtex as sphinxcontrib-bibtex does, or DataValidationError."""
    try:
        return set(pybtex.database.parse_file(str(bib_path), bib_format="bibtex").entries)
    except PybtexSyntaxError as exc:
        what = str(exc).split(": ", 1)[-1]
        _fail(
            shown_as or str(bib_path),
            exc.lineno,
            f"BibTeX syntax error ({what}): look at this line and the entry before it for a missing '}}', ',' or '='",
        )


def toc_pages(book: Path) -> list[str]:
    """The pages of the book: those ``_toc.yml`` lists (the build reads no other)."""
    return list(parse_toc_yaml(book / TOC_FILE))


def bibliography_files(book: Path) -> list[str]:
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    return config.get("bibtex_bibfiles", [])


@dataclass
class Tables:
    """The book's data: a table or the bibliography's keys are None when they did not load, and then
    ``errors`` says why and ``skipped`` names the checks that could not run (said once, not per use)."""

    events: pd.DataFrame | None = None
    people: pd.DataFrame | None = None
    periods: pd.DataFrame | None = None  # optional: a book without data/periods.csv has an empty table
    bib_keys: set[str] | None = None
    errors: list[DataError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_tables(
    book: Path, pages: Iterable[str], bib_files: Iterable[str | Path], data_dir: str = DATA_DIR, pages_dir: str = PAGES_DIR
) -> Tables:
    """Load the events, the people, the periods and the bibliography's keys of the book in ``book``.

    ``pages`` are the docnames of _toc.yml (``chapters/index``, ...); an event may name those in ``pages_dir``.
    """
    tables = Tables()
    chapter_pages = {page.removeprefix(f"{pages_dir}/") for page in pages if page.startswith(f"{pages_dir}/")}
    data = book / data_dir
    tables.bib_keys = _attempt(
        tables,
        lambda: set().union(*(bib_keys(book / bib, shown_as=_shown(book, book / bib)) for bib in bib_files)),
        f"{data_dir}/events.csv, {data_dir}/people.csv and the {{cite}} keys were not checked: the bibliography has an error",
    )
    if tables.bib_keys is None:
        return tables
    keys = tables.bib_keys
    tables.people = _attempt(
        tables,
        lambda: load_people(data / "people.csv", data / "people.schema.json", keys, shown_as=f"{data_dir}/people.csv"),
        f"the {{person}} links and the Who's who were not checked: {data_dir}/people.csv has errors",
    )
    people_ids = None if tables.people is None else set(tables.people.index)  # not checked when people failed
    tables.events = _attempt(
        tables,
        lambda: load_events(
            data / "events.csv",
            data / "events.schema.json",
            chapter_pages,
            keys,
            shown_as=f"{data_dir}/events.csv",
            people_ids=people_ids,
        ),
        f"timelines were drawn without events: {data_dir}/events.csv has errors",
    )
    if tables.events is not None:  # the names that the hover cards and the event tables show
        names = {} if tables.people is None else tables.people.name.to_dict()
        tables.events["people_names"] = tables.events.people.map(
            lambda cell: ", ".join(names.get(person, person) for person in event_people(cell))
        )
    tables.periods = (
        pd.DataFrame()
        if not (data / "periods.csv").exists()
        else _attempt(
            tables,
            lambda: load_periods(data / "periods.csv", data / "periods.schema.json", keys, shown_as=f"{data_dir}/periods.csv"),
            f"timelines were drawn without periods: {data_dir}/periods.csv has errors",
        )
    )
    return tables


def _attempt(tables: Tables, load, skipped: str):
    """What ``load()`` returns, or None after noting its errors and, once, the checks it leaves out."""
    try:
        return load()
    except DataValidationError as exc:
        tables.errors += exc.errors
        tables.skipped.append(skipped)
        return None


def _shown(book: Path, path: Path) -> str:
    """A path as editors see it: relative to the book."""
    return path.relative_to(book).as_posix() if path.is_relative_to(book) else str(path)


def allowed_values(schema_path: Path, column: str) -> list[str]:
    """The ``enum`` of a column in a Table Schema: the one place where e.g. the theatres are listed."""
    fields = json.loads(schema_path.read_text(encoding="utf-8"))["fields"]
    return next(f for f in fields if f["name"] == column)["constraints"]["enum"]


def load_concordance(csv_path: Path, schema_path: Path, shown_as: str = "data/concordance.csv") -> pd.DataFrame:
    """Return the concordance of the source chapter's paragraphs, in the chapter's order, or raise
    DataValidationError."""
    errors = _schema_errors(csv_path, schema_path, shown_as)
    if errors:
        raise DataValidationError(errors)
    frame = _read(csv_path)
    frame["chapter_paragraph"] = frame["chapter_paragraph"].astype(int)
    frame["paragraph"] = pd.to_numeric(frame["paragraph"].replace("", None)).astype("Int64")
    return frame.sort_values("chapter_paragraph").reset_index(drop=True)
