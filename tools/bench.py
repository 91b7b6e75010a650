"""Where build time and page weight go, against the stock way of building this book (``make bench``).

Every build runs in a temporary copy of the book; the repository's files are never changed.

* Ours: the strict build of ``studybook/commands/build.py``. HTML cold, then with no change, after one prose
  edit and after one event-data edit; PDF cold, then again with only the figure cache kept.
* Stock: the same book with each ``{timeline}`` replaced by a myst-nb ``{code-cell}`` that reads
  data/events.csv with pandas and shows a Plotly figure, executed by a Jupyter kernel
  (``execute_notebooks: force``), as the Jupyter Book documentation shows it.
* Scaling: the book as it is, with ten times the events, then ten times the pages as well, built
  back to back; and a cProfile of the slowest Sphinx phase of the largest book (tools/profile_phase.py).

Each build is timed as a whole (wall and CPU seconds) and by phase (from the time stamps of Sphinx's
progress lines). Peak memory is the largest summed PSS of the build's whole process tree (Python,
Chromium, kernels, TeX). Page weight is what a first view transfers: the page and the scripts,
stylesheets, images and web fonts it loads, each gzipped. The table goes to stdout and everything
to ``_build/bench.json``. ``--runs N`` sets the repeats (median, min, max); ``--quick`` is one run
with 3× books, to check the benchmark itself.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import gzip
import json
import math
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import psutil
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PROFILE_SCRIPT = Path(__file__).resolve().parent / "profile_phase.py"
NOT_THE_BOOK = shutil.ignore_patterns(
    ".git", "_build", ".venv", "node_modules", "tests", "tools", "__pycache__", ".pytest_cache", ".ruff_cache"
)
STRICT = ["-W", "-n", "--keep-going"]  # the jupyter-book flags that studybook.commands.build matches
FIGURE_CACHE = "timeline-images"  # studybook/timelines/images.py keeps exported figures here, under _build/
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
# A phase ends at the first progress line that contains one of its marks; whatever follows the
# last phase is the LaTeX run of a PDF build (latexmk, xelatex, xindy).
PHASE_ENDS = {
    "start-up": ("updating environment:",),
    "read": ("looking for now-outdated files",),
    "write": ("build succeeded", "build finished with problems"),
}
OUR_FIGURES = re.compile(r"timeline images: exported (\d+) in ([\d.]+) s")
STOCK_FIGURES = re.compile(r"Executed notebook in ([\d.]+) seconds")


# --- one build -----------------------------------------------------------------------------------


@dataclass
class Build:
    seconds: float
    cpu_seconds: float  # user + system time of the whole process tree: less sensitive to a busy machine
    peak_mib: float
    phases: dict[str, float]
    figure_seconds: float
    figures_exported: int
    warnings: int
    first_warning: str | None
    failure: str | None = None


class PeakMemory(threading.Thread):
    """The largest summed PSS of a process and its descendants, sampled every half second.

    PSS, not RSS: Chromium's processes share most of their pages, and RSS would count them again
    for every process. Reading PSS walks each process's page tables, which costs a visible share
    of a core at shorter intervals; a spike shorter than the interval can be missed.
    """

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(0.5):
            try:
                root = psutil.Process(self.pid)
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for process in tree:
                try:
                    total += process.memory_full_info().pss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.peak = max(self.peak, total)

    def stop(self) -> int:
        self.finished.set()
        self.join()
        return self.peak


def run_build(command: list[str], cwd: Path, time_limit: float | None = None) -> Build:
    """Run a build command, time it by phase from its output, and say why it failed if it did.

    A build still running after ``time_limit`` seconds is stopped, with every process it started.
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # progress lines must arrive when they are written
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    memory = PeakMemory(process.pid)
    memory.start()
    limit = threading.Timer(time_limit, stop_tree, [process.pid]) if time_limit else None
    if limit:
        limit.start()
    assert process.stdout is not None  # stdout=PIPE
    lines = [(time.perf_counter() - started, ANSI_COLOUR.sub("", line.rstrip())) for line in process.stdout]
    status = process.wait()
    seconds = time.perf_counter() - started
    if limit:
        limit.cancel()
    peak = memory.stop()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = [line.replace(f"{cwd}/", "") for _, line in lines]  # paths relative to the book, as in the repository
    ours = [(int(n), float(s)) for n, s in OUR_FIGURES.findall("\n".join(text))]
    stock = [float(s) for s in STOCK_FIGURES.findall("\n".join(text))]
    failure = failure_reason(text) if status else None
    if time_limit and seconds >= time_limit:
        failure = f"stopped at the time limit of {time_limit:.0f} s"
    return Build(
        seconds=round(seconds, 2),
        cpu_seconds=round(cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime, 2),
        peak_mib=round(peak / 2**20, 1),
        phases=phases(lines, seconds),
        figure_seconds=round(sum(s for _, s in ours) + sum(stock), 2),
        figures_exported=sum(n for n, _ in ours) + len(stock),
        warnings=sum("WARNING:" in line for line in text),
        first_warning=next((line.strip()[:200] for line in text if "WARNING:" in line), None),
        failure=failure,
    )


def stop_tree(pid: int) -> None:
    """Ask a build and the processes it started (Chromium, kernels, TeX) to stop; kill those that do not."""
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(tree, timeout=15)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def phases(lines: list[tuple[float, str]], seconds: float) -> dict[str, float]:
    ends, start = {}, 0.0
    for phase, marks in PHASE_ENDS.items():
        end = next((t for t, line in lines if t >= start and any(mark in line for mark in marks)), None)
        if end is None:
            ends[phase] = round(seconds - start, 2)  # unfinished: the build failed or was stopped in this phase
            break
        ends[phase], start = round(end - start, 2), end
    if len(ends) == len(PHASE_ENDS):
        ends["after Sphinx"] = round(seconds - start, 2)
    return ends


def failure_reason(lines: list[str]) -> str:
    """The first TeX error, else the first Sphinx warning or error, else the last line."""
    for pattern in (r"^! ", r"(WARNING|ERROR):", r"Error"):
        found = next((line.strip() for line in lines if re.search(pattern, line)), None)
        if found:
            return found[:200]
    return next((line for line in reversed(lines) if line.strip()), "no output")[:200]


def strict_build(kind: str, book: Path, output: Path, time_limit: float | None = None) -> Build:
    """The book's own strict build (``python -m studybook.commands.build``), run from the book's folder."""
    return run_build(
        [sys.executable, "-m", "studybook.commands.build", kind, "--book", str(book), "--output", str(output)],
        cwd=book,
        time_limit=time_limit,
    )


def stock_build(kind: str, book: Path, output: Path) -> Build:
    """``jupyter-book build`` with its default, non-strict settings."""
    builder = {"html": "html", "pdf": "pdflatex"}[kind]
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    return run_build([str(jupyter_book), "build", str(book), "--path-output", str(output), "--builder", builder], cwd=book)


# --- copies of the book ------------------------------------------------------------------------------


@dataclass
class Book:
    """A temporary copy of the book and the pages the benchmark looks at."""

    folder: Path

    @classmethod
    def copy(cls, target: Path) -> Book:
        shutil.copytree(ROOT, target, ignore=NOT_THE_BOOK)
        (target / "node_modules").symlink_to(ROOT / "node_modules")  # the npm packages the web build copies
        return cls(target)

    @property
    def toc(self) -> dict:
        return yaml.safe_load((self.folder / "_toc.yml").read_text(encoding="utf-8"))

    def toc_files(self) -> list[str]:
        toc = self.toc
        return [toc["root"], *(chapter["file"] for part in toc.get("parts", []) for chapter in part["chapters"])]

    def source(self, docname: str) -> Path:
        return self.folder / f"{docname}.md"

    def pages_with(self, text: str) -> list[str]:
        return [doc for doc in self.toc_files() if text in self.source(doc).read_text(encoding="utf-8")]

    @property
    def home_page(self) -> str:
        return self.toc["root"]

    @property
    def text_page(self) -> str:
        figures = set(self.pages_with("{timeline"))  # figures and tables of events
        return next(doc for doc in self.toc_files()[1:] if doc not in figures)

    @property
    def figure_page(self) -> str:
        return self.pages_with("{timeline}")[0]

    def edit_prose(self, run: int) -> None:
        with self.source(self.figure_page).open("a", encoding="utf-8") as page:
            page.write(f"\nA sentence the benchmark added in run {run}.\n")

    def edit_event(self, run: int) -> None:
        """Retitle the first event of the figure page, so that its figure must be exported again."""
        events = self.events()
        page = Path(self.figure_page).name
        event = next(event for event in events if event["page"] == page)
        event["title"] = f"{event['title'][:50]} (run {run})"
        self.write_events(events)

    def events(self) -> list[dict[str, str]]:
        with (self.folder / "data" / "events.csv").open(encoding="utf-8", newline="") as table:
            return list(csv.DictReader(table))

    def write_events(self, events: list[dict[str, str]]) -> None:
        with (self.folder / "data" / "events.csv").open("w", encoding="utf-8", newline="") as table:
            writer = csv.DictWriter(table, fieldnames=list(events[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(events)


# --- the stock way -----------------------------------------------------------------------------------

NOTEBOOK_FRONT_MATTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""
STOCK_CELL = """```{{code-cell}} ipython3
---
tags: [hide-input]
mystnb:
  figure:
    name: {name}
    caption: {caption}
---
import pandas as pd
import plotly.express as px

events = pd.read_csv("{events_csv}")
events["start"] = pd.to_datetime(events["start"], format="mixed")
events["end"] = pd.to_datetime(events["end"], format="mixed").fillna(events["start"] + pd.Timedelta(days=1))
{selection}fig = px.timeline(events, x_start="start", x_end="end", y="title", color="theatre")
fig.update_yaxes(autorange="reversed")
fig.show()
```"""
# A page's first figure cell follows a setup cell. On the web, plotly's offline notebook mode puts
# plotly.js into the page (no CDN), in the setup cell's output: a figure cell must have exactly one
# output, or myst-nb makes two figures with the same name. For LaTeX, myst-nb takes
# application/pdf first, and one static output per figure is all it needs.
STOCK_SETUP = {
    "html": "import plotly.offline\n\nplotly.offline.init_notebook_mode()",
    "pdf": 'import plotly.io as pio\n\npio.renderers.default = "pdf"',
}
STOCK_SETUP_CELL = """```{{code-cell}} ipython3
:tags: [hide-input]
{setup}
```

"""
STOCK_SELECTIONS = {
    "theatres": 'events = events[events["theatre"].isin({values})]\n',
    "pages": 'events = events[events["page"].isin({values})]\n',
    "events": 'events = events[events["id"].isin({values})]\n',
    "from": 'events = events[events["end"] >= "{value}"]\n',
    "to": 'events = events[events["start"] <= "{value}"]\n',
}
TIMELINE_BLOCK = re.compile(r"^:::\{timeline\}\n(?P<body>.*?)^:::$", re.MULTILINE | re.DOTALL)


def stock_copy(target: Path, kind: str) -> Book:
    """The book with every timeline figure made by a code cell that a kernel executes."""
    book = Book.copy(target)
    events_csv = book.folder / "data" / "events.csv"
    for docname in book.pages_with("{timeline}"):
        page = book.source(docname)
        cell = functools.partial(stock_cell, events_csv=os.path.relpath(events_csv, page.parent))
        text = TIMELINE_BLOCK.sub(cell, page.read_text(encoding="utf-8"))
        first_cell = text.index("```{code-cell}")
        text = text[:first_cell] + STOCK_SETUP_CELL.format(setup=STOCK_SETUP[kind]) + text[first_cell:]
        page.write_text(NOTEBOOK_FRONT_MATTER + text, encoding="utf-8")
    config_path = book.folder / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "force"}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return book


def stock_cell(timeline: re.Match, events_csv: str) -> str:
    """The code cell that draws what this ``{timeline}`` directive draws."""
    timeline_body = timeline["body"]
    options = dict(re.findall(r"^:([\w-]+):\s*(.*)$", timeline_body, re.MULTILINE))
    caption = " ".join(line for line in timeline_body.splitlines() if not line.startswith(":"))
    selection = "".join(
        STOCK_SELECTIONS[option].format(values=[v.strip() for v in value.split(",")], value=value.strip())
        for option, value in options.items()
        if option in STOCK_SELECTIONS
    )
    return STOCK_CELL.format(name=options["name"], caption=json.dumps(caption), events_csv=events_csv, selection=selection)


# --- page weight ---------------------------------------------------------------------------------------

# What a browser fetches for a first view; plotly.js, which our pages fetch only when a reader asks
# for the interactive chart, is not named in the HTML and so is rightly left out.
LOADED_BY_HTML = (("script", "src", None), ("img", "src", None), ("link", "href", {"stylesheet", "preload", "modulepreload"}))
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")
CSS_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


@dataclass
class PageWeight:
    page: str
    files: dict[str, list[int]] = field(default_factory=dict)  # path in the build: [bytes, bytes sent]
    remote: list[str] = field(default_factory=list)  # loaded from other hosts; not counted
    missing: list[str] = field(default_factory=list)  # named by the page but not in the build

    @property
    def sent(self) -> int:
        return sum(sent for _, sent in self.files.values())

    @property
    def size(self) -> int:
        return sum(size for size, _ in self.files.values())


def transfer_size(data: bytes) -> int:
    """Bytes sent by a server that gzips (level 6, the usual default); already-compressed files
    (woff2, png) would grow, so a server sends those as they are."""
    return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def page_weight(html_root: Path, page: str) -> PageWeight:
    """The gzipped transfer size of a first view of ``page`` (a path relative to ``html_root``)."""
    weight = PageWeight(page)
    root = html_root.resolve()

    def count(url: str, base: Path) -> Path | None:
        parsed = urlparse(url)
        if parsed.scheme in {"http", "https"} or url.startswith("//"):
            weight.remote.append(url)
            return None
        if parsed.scheme == "data" or not parsed.path:
            return None  # inline: already counted with the file that holds it
        path = (base.parent / unquote(parsed.path)).resolve()
        name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        if name in weight.files:
            return None
        if not path.is_file():
            weight.missing.append(name)
            return None
        data = path.read_bytes()
        weight.files[name] = [len(data), transfer_size(data)]
        return path

    page_path = root / page
    count(page, root / "index.html")
    soup = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
    stylesheets = []
    for tag, attribute, rels in LOADED_BY_HTML:
        for element in soup.find_all(tag):
            if element.get(attribute) and (rels is None or rels & set(element.get_attribute_list("rel"))):
                loaded = count(str(element[attribute]), page_path)
                if loaded and loaded.suffix == ".css":
                    stylesheets.append(loaded)
    while stylesheets:
        stylesheet = stylesheets.pop()
        css = stylesheet.read_text(encoding="utf-8", errors="replace")
        for url in CSS_IMPORT.findall(css):
            if imported := count(url, stylesheet):
                stylesheets.append(imported)
        # A browser downloads the first source of a font face that it supports (woff2 first).
        for font_face in CSS_FONT_FACE.findall(css):
            if urls := CSS_URL.findall(font_face):
                count(urls[0], stylesheet)
    return weight


# --- the synthetic book ------------------------------------------------------------------------------


def scale_book(book: Book, factor: int, copy_pages: bool) -> dict[str, int]:
    """Grow a book copy to ``factor`` times its events and, if ``copy_pages``, its pages.

    Pages are copied from the pages that events belong to (the parts of the chapter), with their
    labels renamed; each copied event gets a new id and, when pages are copied, one of the copies
    of its page, so that every copied page draws a figure of its own.
    """
    events = book.events()
    part_pages = list(dict.fromkeys(row["page"] for row in events))
    pages_dir = book.source(book.home_page).parent
    page_count = len(book.toc_files())
    copies = math.ceil(page_count * (factor - 1) / len(part_pages)) if copy_pages else 0
    added, handed_out = [], dict.fromkeys(part_pages, 0)
    for number in range(1, factor):
        for row in events:
            page = row["page"]
            if copies:  # deal the page's copied events out to its copies in turn
                handed_out[page] += 1
                page = f"{page}-c{(handed_out[page] - 1) % copies + 1}"
            suffix = f" c{number}"  # labels are unique and at most 40 characters (the schema)
            label = row["label"][: 40 - len(suffix)] + suffix if row.get("label") else ""
            added.append({**row, "id": f"{row['id']}-c{number}", "label": label, "page": page})
    book.write_events(events + added)
    pages_with_events = {row["page"] for row in added}
    for page in part_pages:
        for number in range(1, copies + 1):
            own_events = f"{page}-c{number}" in pages_with_events
            text = (pages_dir / f"{page}.md").read_text(encoding="utf-8")
            (pages_dir / f"{page}-c{number}.md").write_text(
                copied_page(text, number, part_pages if own_events else []), encoding="utf-8"
            )
    mark_copied_events(pages_dir, added)
    if copies:
        toc = book.toc
        toc.setdefault("parts", []).append(
            {
                "caption": "Synthetic copies",
                "chapters": [
                    {"file": f"{pages_dir.name}/{page}-c{number}"} for page in part_pages for number in range(1, copies + 1)
                ],
            }
        )
        (book.folder / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return book_size(book)


def mark_copied_events(pages_dir: Path, added: list[dict]) -> None:
    """Each page ends with a paragraph that marks its copied events, as an editor marks an event in
    the paragraph that tells it (a page that marks some of its events must mark them all)."""
    by_page: dict[str, list[str]] = {}
    for row in added:
        by_page.setdefault(row["page"], []).append(row["id"])
    for page, event_ids in by_page.items():
        source = pages_dir / f"{page}.md"
        markers = " ".join(f"{{event}}`{event_id}`" for event_id in event_ids)
        source.write_text(source.read_text(encoding="utf-8") + f"\nThe copied events: {markers}.\n", encoding="utf-8")


def copied_page(text: str, number: int, copied_pages: list[str]) -> str:
    """A page's copy with its own labels and figure names; its timelines draw the events of the
    copies of ``copied_pages``."""
    suffix = f"-c{number}"
    labels = re.findall(r"^\(([^)\s]+)\)=$", text, re.MULTILINE) + re.findall(r"^:name:\s*(\S+)$", text, re.MULTILINE)
    for label in labels:
        escaped = re.escape(label)
        text = re.sub(rf"^\({escaped}\)=$", f"({label}{suffix})=", text, flags=re.MULTILINE)
        text = re.sub(rf"^:name:\s*{escaped}$", f":name: {label}{suffix}", text, flags=re.MULTILINE)
        text = re.sub(rf"(?<=[`<]){escaped}(?=[`>])", label + suffix, text)  # {ref}`label`, {numref}`text <label>`

    def own_pages(option: re.Match) -> str:
        pages = [p.strip() for p in option[1].split(",")]
        return ":pages: " + ", ".join(p + suffix if p in copied_pages else p for p in pages)

    text = re.sub(r"^:pages:\s*(.+)$", own_pages, text, flags=re.MULTILINE)
    return re.sub(r"^# (.+)$", rf"# \1 (copy {number})", text, count=1, flags=re.MULTILINE)


# --- the measurements ----------------------------------------------------------------------------------

OURS_HTML = {
    "html_cold": "cold HTML build",
    "html_no_change": "no-change rebuild",
    "html_prose_edit": "rebuild after one prose edit",
    "html_event_edit": "rebuild after one event-data edit",
}
OURS_PDF = {"pdf_cold": "cold PDF build", "pdf_warm_figures": "PDF with a warm figure cache"}
WEIGHED_PAGES = ("home page", "text page", "figure page")
PROFILED_PAGES = 10  # about this many pages of the largest book are profiled
SCALING_TIME_LIMIT = 600  # seconds; keeps `make bench` bounded when a synthetic book builds slowly


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(label: str, build: Build) -> Build:
    outcome = f"not available: {build.failure}" if build.failure else f"{build.seconds:.1f} s"
    progress(f"  {label}: {outcome}")
    return build


def weigh(html_root: Path, pages: dict[str, str]) -> dict[str, PageWeight]:
    return {role: page_weight(html_root, f"{docname}.html") for role, docname in pages.items()}


def keep_only_figure_cache(build_dir: Path) -> None:
    for entry in build_dir.iterdir():
        if entry.name != FIGURE_CACHE:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def bench_ours(runs: int, work: Path, pages: dict[str, str]) -> tuple[dict[str, list[Build]], dict[str, PageWeight]]:
    builds: dict[str, list[Build]] = {metric: [] for metric in {**OURS_HTML, **OURS_PDF}}
    weights: dict[str, PageWeight] = {}
    for run in range(1, runs + 1):
        progress(f"ours, HTML, run {run} of {runs}")
        book, output = Book.copy(work / f"ours-html-{run}"), work / f"ours-html-{run}-out"
        cold = timed("cold", strict_build("html", book.folder, output))
        builds["html_cold"].append(cold)
        if cold.failure:  # every other figure would measure a broken book
            raise SystemExit(f"make bench: our HTML build failed ({cold.failure}); `make book` shows why")
        weights = weights or weigh(output / "_build" / "html", pages)
        builds["html_no_change"].append(timed("no change", strict_build("html", book.folder, output)))
        book.edit_prose(run)
        builds["html_prose_edit"].append(timed("prose edit", strict_build("html", book.folder, output)))
        book.edit_event(run)
        builds["html_event_edit"].append(timed("event edit", strict_build("html", book.folder, output)))
        shutil.rmtree(output)
    for run in range(1, runs + 1):
        progress(f"ours, PDF, run {run} of {runs}")
        book, output = Book.copy(work / f"ours-pdf-{run}"), work / f"ours-pdf-{run}-out"
        cold = timed("cold", strict_build("pdf", book.folder, output))
        builds["pdf_cold"].append(cold)
        if cold.failure:
            break  # it fails the same way every time; the reason is kept
        keep_only_figure_cache(output / "_build")
        builds["pdf_warm_figures"].append(timed("warm figure cache", strict_build("pdf", book.folder, output)))
        shutil.rmtree(output)
    return builds, weights


def bench_stock(runs: int, work: Path, pages: dict[str, str]) -> tuple[dict[str, list[Build]], dict[str, PageWeight]]:
    builds: dict[str, list[Build]] = {"html_cold": [], "pdf_cold": []}
    weights: dict[str, PageWeight] = {}
    for kind in ("html", "pdf"):
        for run in range(1, runs + 1):
            progress(f"stock, {kind.upper()}, run {run} of {runs}")
            book, output = stock_copy(work / f"stock-{kind}-{run}", kind), work / f"stock-{kind}-{run}-out"
            build = timed("cold", stock_build(kind, book.folder, output))
            builds[f"{kind}_cold"].append(build)
            if build.failure:
                break
            if kind == "html" and not weights:
                weights = weigh(output / "_build" / "html", pages)
            shutil.rmtree(output)
    return builds, weights


def bench_scaling(factor: int, work: Path) -> dict:
    """Cold strict HTML builds, back to back, of the book as it is, with ``factor`` times the events,
    then with ``factor`` times the pages as well; and a profile of the largest book's slowest phase."""
    books: dict[str, dict] = {}
    for name, grow in (("as is", None), (f"{factor}× events", False), (f"{factor}× pages and events", True)):
        progress(f"scaling: {name}")
        book = Book.copy(work / f"scaled-{len(books)}")
        size = book_size(book) if grow is None else scale_book(book, factor, copy_pages=grow)
        build = timed("cold", strict_build("html", book.folder, work / f"scaled-{len(books)}-out", SCALING_TIME_LIMIT))
        books[name] = {**size, "build": build}
    largest = book
    if "read" not in build.phases:  # a build stopped at its time limit still shows its slowest phase
        return {"books": books, "profile": None}
    slowest = max(("read", "write"), key=lambda phase: build.phases.get(phase, 0))
    every = max(1, size["pages"] // PROFILED_PAGES)
    progress(f"scaling: profile of the '{slowest}' phase on one page in {every}")
    stats_file = work / "profile.stats"
    profiled = run_build(
        [
            sys.executable,
            str(PROFILE_SCRIPT),
            slowest,
            str(every),
            str(stats_file),
            str(largest.folder),
            *STRICT,
            "--path-output",
            str(work / "profiled-out"),
        ],
        cwd=largest.folder,
        time_limit=SCALING_TIME_LIMIT,
    )
    if not stats_file.exists():
        return {"books": books, "profile": None}
    return {
        "books": books,
        "profile": {"phase": slowest, "every": every, "stopped": profiled.failure, **top_functions(stats_file, largest.folder)},
    }


def top_functions(stats_file: Path, book: Path, count: int = 15) -> dict[str, list[dict]]:
    stats = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]  # its table, not in typeshed
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.items():
        if filename == str(PROFILE_SCRIPT) or "method 'disable'" in function:
            continue  # the profiler's own switches
        rows.append(
            {
                "function": f"{short_path(filename, book)}:{line}({function})",
                "calls": calls,
                "own_s": round(own, 2),
                "cumulative_s": round(cumulative, 2),
            }
        )
    return {
        "by_cumulative": sorted(rows, key=lambda r: -r["cumulative_s"])[:count],
        "by_own": sorted(rows, key=lambda r: -r["own_s"])[:count],
    }


def short_path(filename: str, book: Path) -> str:
    for prefix in (str(book) + "/", *(p + "/" for p in sys.path if p.endswith("-packages"))):
        if filename.startswith(prefix):
            return filename.removeprefix(prefix)
    return filename


# --- the report ------------------------------------------------------------------------------------------


def spread(builds: list[Build], measure: str) -> dict | None:
    values = [getattr(build, measure) for build in builds if not build.failure]
    if not values:
        return None
    return {"median": round(statistics.median(values), 2), "min": min(values), "max": max(values), "runs": len(values)}


def summarise(builds: dict[str, list[Build]]) -> dict:
    return {
        metric: {
            "builds": [asdict(build) for build in runs],
            **{measure: spread(runs, measure) for measure in ("seconds", "cpu_seconds", "peak_mib", "figure_seconds")},
        }
        for metric, runs in builds.items()
    }


def ratio(ours: dict | None, stock: dict | None) -> float | None:
    return round(ours["median"] / stock["median"], 2) if ours and stock and stock["median"] else None


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), platform.processor()
    )
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.platform(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "versions": {
            package: metadata.version(package) for package in ("jupyter-book", "sphinx", "myst-nb", "plotly", "kaleido")
        },
    }


def book_size(book: Book) -> dict[str, int]:
    return {"pages": len(book.toc_files()), "events": len(book.events()), "figures": len(book.pages_with("{timeline}"))}


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows)))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def cell(summary: dict | None, digits: int = 1) -> str:
    if summary is None:
        return "n/a"
    if summary["runs"] == 1:
        return f"{summary['median']:.{digits}f}"
    return f"{summary['median']:.{digits}f} ({summary['min']:.{digits}f}–{summary['max']:.{digits}f})"


def report(results: dict) -> str:
    ours, stock, info = results["ours"], results["stock"], results["machine"]
    load = results["load_average"]
    lines = [
        (
            f"Studybook benchmark, {results['date']}: {info['nproc']} × {info['cpu']}, Python {info['python']}, "
            f"load average {load['start']:.1f} at the start and {load['end']:.1f} at the end"
        ),
        (
            f"{results['runs']} run(s) per measurement: median (min–max). Wall: elapsed seconds. "
            "CPU: user + system seconds of every process of the build."
        ),
    ]
    if load["start"] > info["nproc"] or load["end"] > info["nproc"]:
        lines.append(
            f"The machine was busy (load above its {info['nproc']} cores): wall times are inflated and "
            "uneven between builds; compare CPU seconds."
        )
    lines.append("")
    rows = [["", "ours wall s", "ours CPU s", "stock wall s", "stock CPU s", "ours/stock wall", "CPU"]]
    for metric, label in {**OURS_HTML, **OURS_PDF}.items():
        theirs = stock.get(metric, {})
        rows.append(
            [
                label,
                cell(ours[metric]["seconds"]),
                cell(ours[metric]["cpu_seconds"]),
                cell(theirs.get("seconds")) if theirs else "",
                cell(theirs.get("cpu_seconds")) if theirs else "",
                str(results["ratios"].get(metric, {}).get("seconds") or ""),
                str(results["ratios"].get(metric, {}).get("cpu_seconds") or ""),
            ]
        )
    for kind in ("html", "pdf"):
        metric = f"{kind}_cold"
        rows.append(
            [
                f"building figures, cold {kind.upper()}",
                cell(ours[metric]["figure_seconds"]),
                "",
                cell(stock[metric]["figure_seconds"]),
                "",
                str(ratio(ours[metric]["figure_seconds"], stock[metric]["figure_seconds"]) or ""),
            ]
        )
    for kind in ("html", "pdf"):
        metric = f"{kind}_cold"
        rows.append(
            [
                f"peak memory MiB, cold {kind.upper()}",
                cell(ours[metric]["peak_mib"], 0),
                "",
                cell(stock[metric]["peak_mib"], 0),
                "",
                str(ratio(ours[metric]["peak_mib"], stock[metric]["peak_mib"]) or ""),
            ]
        )
    lines += [format_table(rows), ""]
    lines += ["Phases of the cold builds, seconds (first run):"]
    for side, metrics in (("ours", ours), ("stock", stock)):
        for kind in ("html", "pdf"):
            done = [b for b in metrics[f"{kind}_cold"]["builds"] if not b["failure"]]
            if done:
                lines.append(
                    f"  {side} {kind.upper()}: "
                    + ", ".join(f"{phase} {seconds:.1f}" for phase, seconds in done[0]["phases"].items())
                )
    lines += [
        "  Figures: ours are built while pages are read and exported by kaleido while they are written;",
        "  stock's are built by kernels executing notebooks while pages are read;",
        "  after Sphinx is the LaTeX run of a PDF build, and the process's exit.",
        "",
        "Page weight of a first view (the page and all it loads), gzipped:",
    ]
    rows = [["", "page", "ours KB", "files", "stock KB", "files", "ours/stock"]]
    for role in WEIGHED_PAGES:
        mine, theirs = results["page_weight"]["ours"].get(role), results["page_weight"]["stock"].get(role)
        rows.append(
            [
                role,
                mine["page"] if mine else "",
                f"{mine['sent'] / 1000:.1f}" if mine else "n/a",
                str(len(mine["files"])) if mine else "",
                f"{theirs['sent'] / 1000:.1f}" if theirs else "n/a",
                str(len(theirs["files"])) if theirs else "",
                str(results["ratios"]["page_weight"].get(role) or ""),
            ]
        )
    lines += [format_table(rows), ""]
    lines += notes(results)
    lines += scaling_report(results)
    return "\n".join(lines)


def notes(results: dict) -> list[str]:
    lines = ["Notes:"]
    for side in ("ours", "stock"):
        for metric, summary in results[side].items():
            failed = [b["failure"] for b in summary["builds"] if b["failure"]]
            if failed:
                lines.append(f"  {side}, {metric.replace('_', ' ')}: not available: {failed[0]}")
    warm = [b for b in results["ours"]["pdf_warm_figures"]["builds"] if b["figures_exported"]]
    if warm:
        lines.append(
            f"  ours, PDF with a warm figure cache: {warm[0]['figures_exported']} figure(s) exported again; "
            f"is the cache still in _build/{FIGURE_CACHE}?"
        )
    for kind in ("html", "pdf"):
        builds = results["stock"][f"{kind}_cold"]["builds"]
        if builds and builds[0]["warnings"]:
            lines.append(
                f"  stock {kind.upper()} is built without -W -n: it does not pass the strict build "
                f"({builds[0]['warnings']} warnings, first: {builds[0]['first_warning']})"
            )
    for side in ("ours", "stock"):
        for role, weight in results["page_weight"][side].items():
            if weight["remote"]:
                hosts = sorted({urlparse(url).netloc for url in weight["remote"]})
                lines.append(
                    f"  {side} {role} also loads {len(weight['remote'])} file(s) from {', '.join(hosts)} "
                    "(not counted; a reader offline loses them)"
                )
            if weight["missing"]:
                lines.append(f"  {side} {role} names files missing from the build: {', '.join(weight['missing'][:5])}")
    return lines + [""]


def scaling_report(results: dict) -> list[str]:
    scaling = results["scaling"]
    rows = [["book", "pages", "events", "figures", "wall s", "CPU s", "start-up", "read", "write"]]
    for name, book in scaling["books"].items():
        build = book["build"]
        phases = [f"{build['phases'][p]:.1f}" if p in build["phases"] else "—" for p in ("start-up", "read", "write")]
        rows.append(
            [
                name,
                str(book["pages"]),
                str(book["events"]),
                str(book["figures"]),
                f"{build['seconds']:.1f}" if not build["failure"] else "failed",
                f"{build['cpu_seconds']:.1f}",
                *phases,
            ]
        )
    lines = ["Scaling: one cold strict HTML build of each book, back to back", format_table(rows)]
    for unit, cost in scaling.get("growth", {}).items():
        what = "event" if unit == "event" else "page (each with a figure)"
        lines.append(
            f"Each extra {what} costs {cost['cpu_s'] * 1000:.0f} ms CPU ({cost['wall_s'] * 1000:.0f} ms wall), at {cost['at']}."
        )
    if profile := scaling.get("profile"):
        lines += [
            (
                f"Where the time goes: cProfile of the slowest phase of the largest book, '{profile['phase']}', "
                f"on one page in {profile['every']} (cumulative seconds include callees; own seconds do not)"
                + (f"; {profile['stopped']}:" if profile["stopped"] else ":")
            )
        ]
        for order in ("by_cumulative", "by_own"):
            rows = [["cumulative s", "own s", "calls", f"function ({order.replace('_', ' ')})"]]
            rows += [[f"{r['cumulative_s']:.2f}", f"{r['own_s']:.2f}", str(r["calls"]), r["function"]] for r in profile[order]]
            lines += ["", format_table(rows)]
    for name, book in scaling["books"].items():
        if book["build"]["failure"]:
            lines.append(f"  {name}: not available: {book['build']['failure']}")
    return lines


def growth(scaling: dict) -> dict:
    """Extra seconds per event (more events, same pages), then per page (more pages, same events)."""
    as_is, events_book, both_book = scaling["books"].values()
    result = {}
    for unit, (before, after), count in (("event", (as_is, events_book), "events"), ("page", (events_book, both_book), "pages")):
        if before["build"].failure or after["build"].failure:
            continue
        extra = after[count] - before[count]
        result[unit] = {
            "cpu_s": round((after["build"].cpu_seconds - before["build"].cpu_seconds) / extra, 3),
            "wall_s": round((after["build"].seconds - before["build"].seconds) / extra, 3),
            "at": f"{after['pages']} pages" if unit == "event" else f"{after['events']} events",
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help="builds per measurement, for median, min and max (default 3)")
    parser.add_argument("--scale", type=int, help="how many times larger the synthetic books are (default 10)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one run and 3× books (defaults): checks that the benchmark works, in about a third of the time",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "bench.json", help="where the results go")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    factor = args.scale or (3 if args.quick else 10)
    book = Book(ROOT)
    pages = dict(zip(WEIGHED_PAGES, (book.home_page, book.text_page, book.figure_page)))
    started, load_at_start = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="studybook-bench-") as folder:
        work = Path(folder)
        ours, our_weights = bench_ours(runs, work, pages)
        stock, stock_weights = bench_stock(runs, work, pages)
        scaling = bench_scaling(factor, work)
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "load_average": {"start": load_at_start, "end": os.getloadavg()[0]},
        "runs": runs,
        "scale": factor,
        "ours": summarise(ours),
        "stock": summarise(stock),
        "page_weight": {
            side: {role: {**asdict(weight), "sent": weight.sent, "size": weight.size} for role, weight in weights.items()}
            for side, weights in (("ours", our_weights), ("stock", stock_weights))
        },
    }
    scaling["growth"] = growth(scaling)
    results["scaling"] = json.loads(json.dumps(scaling, default=asdict))
    results["ratios"] = {
        **{
            metric: {
                measure: ratio(results["ours"][metric][measure], results["stock"][metric][measure])
                for measure in ("seconds", "cpu_seconds")
            }
            for metric in ("html_cold", "pdf_cold")
        },
        "page_weight": {
            role: round(our_weights[role].sent / stock_weights[role].sent, 2)
            for role in WEIGHED_PAGES
            if role in our_weights and role in stock_weights
        },
    }
    results["duration_s"] = round(time.perf_counter() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(report(results))
    print(f"\nThe benchmark took {results['duration_s'] / 60:.1f} min; everything is in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
