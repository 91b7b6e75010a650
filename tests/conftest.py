"""Fixtures: the real book built once per test run, and tiny books for mistakes."""

from __future__ import annotations

import contextlib
import hashlib
import io
import pickle
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from filelock import FileLock
from playwright.sync_api import Browser, sync_playwright

from browsing import visitor
from studybook.commands import build as build_command
from tools.localserver import serve
from tools.webspeed import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
PART_PAGES = ("germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the built book in Chromium (deselect with -m 'not browser')")


def build(book: Path, kind: str, output: Path, *options: str) -> subprocess.CompletedProcess:
    """Run the same strict build as `make book` / `make pdf` on a book folder."""
    return subprocess.run(
        [sys.executable, "-m", "studybook.commands.build", kind, "--output", str(output), *options],
        cwd=book,
        capture_output=True,
        text=True,
    )


SOURCES_BEFORE_BUILD: dict[str, str] = {}


def source_digest() -> dict[str, str]:
    """A hash of every file under chapters/ and data/."""
    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ("chapters", "data")
        for p in sorted((ROOT / folder).rglob("*"))
        if p.is_file()
    }


def made_once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, make: Callable[[Path], object]) -> Path:
    """A folder filled by ``make(folder)`` once per test run; returns the folder.

    Under pytest-xdist (`make test` runs two workers) the workers share it, as xdist's documentation
    shows: the first to need it makes it under a file lock, the other waits for it and reuses it."""
    if worker_id == "master":  # one process: nothing to share
        output = tmp_path_factory.mktemp(name)
        make(output)
        return output
    output = tmp_path_factory.getbasetemp().parent / name
    with FileLock(f"{output}.lock"):
        done = output / ".made"
        if not done.exists():
            shutil.rmtree(output, ignore_errors=True)  # a failed attempt's leftovers
            output.mkdir()
            make(output)
            done.touch()
    return output


def built_once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, kind: str, *options: str) -> Path:
    """The whole book built once per test run (``build`` of ``kind`` with ``options``); returns the output folder."""
    return made_once(tmp_path_factory, worker_id, name, lambda output: assert_built(build(ROOT, kind, output, *options)))


def assert_built(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="session")
def html_build(tmp_path_factory, worker_id) -> Path:
    """The whole book, built once from clean into a temporary folder."""
    SOURCES_BEFORE_BUILD.update(source_digest())
    return built_once(tmp_path_factory, worker_id, "html", "html") / "_build" / "html"


@pytest.fixture(scope="session")
def teacher_html_build(tmp_path_factory, worker_id) -> Path:
    """The teacher edition of the web book (with the guidance for group leaders), built once."""
    output = built_once(tmp_path_factory, worker_id, "teacher", "html", "--edition", "teacher")
    return output / "_build" / "teacher" / "html"


BOOK_NAME = "trotsky-world-revolution"
PDF_NAME = f"{BOOK_NAME}-print"  # the print edition, which the PDF tests read unless they say otherwise
SCREEN_PDF_NAME = f"{BOOK_NAME}-screen"
LARGE_PDF_NAME = f"{BOOK_NAME}-large"


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory, worker_id) -> Path:
    """The whole book printed once, from clean, into a temporary folder, in the layouts `make pdf`
    prints (print and screen); returns its _build."""
    return built_once(tmp_path_factory, worker_id, "pdf", "pdf") / "_build"


@pytest.fixture(scope="session")
def large_pdf_build(tmp_path_factory, worker_id, pdf_build) -> Path:
    """The large print, which `make pdf` leaves out unless asked, typeset once from a copy of
    pdf_build's LaTeX files, as the build would (same LaTeX run, same glyph check), so that only the
    tests that read it pay for its LaTeX run (about 16 s on two cores); returns its _build."""

    def typeset(folder: Path) -> None:
        tex = shutil.copytree(pdf_build / "latex", folder / "latex") / f"{BOOK_NAME}.tex"
        assert build_command.run_latex(tex, ("large",)) == 0
        assert build_command.publish_pdf(f"{LARGE_PDF_NAME}.pdf", folder) == 0

    return made_once(tmp_path_factory, worker_id, "pdf-large", typeset)


@pytest.fixture(scope="session")
def pdf_path(pdf_build) -> Path:
    return pdf_build / "pdf" / f"{PDF_NAME}.pdf"


@pytest.fixture(scope="session")
def screen_pdf_path(pdf_build) -> Path:
    return pdf_build / "pdf" / f"{SCREEN_PDF_NAME}.pdf"


def words_of(pdf: Path) -> list[list[dict]]:
    """Each page's words, with their font, size and colour (pdfplumber); each page is closed once
    read (pdfplumber otherwise keeps every page's characters and drawings cached, some 600 MB for the book)."""
    words = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words.append(page.extract_words(extra_attrs=["fontname", "size", "non_stroking_color"]))
            page.close()
    return words


def words_read_once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, pdf: Path) -> list[list[dict]]:
    """words_of(pdf), read once per run and shared by the pytest-xdist workers: pdfminer takes some
    25 s over a whole edition."""

    def read(folder: Path) -> None:
        (folder / "words.pickle").write_bytes(pickle.dumps(words_of(pdf)))

    return pickle.loads((made_once(tmp_path_factory, worker_id, f"words-{pdf.stem}", read) / "words.pickle").read_bytes())


@pytest.fixture(scope="session")
def pdf_words(tmp_path_factory, worker_id, pdf_path) -> list[list[dict]]:
    return words_read_once(tmp_path_factory, worker_id, pdf_path)


@pytest.fixture(scope="session")
def screen_pdf_words(tmp_path_factory, worker_id, screen_pdf_path) -> list[list[dict]]:
    return words_read_once(tmp_path_factory, worker_id, screen_pdf_path)


@pytest.fixture(scope="session")
def large_pdf_words(tmp_path_factory, worker_id, large_pdf_build) -> list[list[dict]]:
    return words_read_once(tmp_path_factory, worker_id, large_pdf_build / "pdf" / f"{LARGE_PDF_NAME}.pdf")


def pdf_page_texts(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API allows one running instance per process."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def pages(html_build) -> dict[str, BeautifulSoup]:
    """Every built page, parsed, keyed by its path relative to the HTML root."""
    return {
        str(path.relative_to(html_build)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(html_build.rglob("*.html"))
    }


TINY_EVENTS = """id,start,end,precision,theatre,title,label,description,page,sources,people
1923-ruhr-occupation,1923-01-11,,day,germany,Ruhr occupied,Ruhr occupied,French and Belgian troops enter the Ruhr.,index,carr1958socialism;https://example.org/ruhr,
1926-general-strike,1926-05-04,1926-05-12,day,britain,General Strike,General Strike,Nine days.,index,phillips1976general;https://example.org/strike,
"""


class TinyBook:
    """A copy of the book's configuration, code and data with pages of the test's choosing."""

    def __init__(self, folder: Path):
        self.folder = folder
        for name in ("_config.yml", "studybook", "data"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
        (folder / "node_modules").symlink_to(ROOT / "node_modules")  # the npm packages the web build copies
        self.write("data/events.csv", TINY_EVENTS)
        self.write("chapters/index.md", "(index)=\n# Home\n\nA tiny book.\n")
        # sphinxcontrib-bibtex resolves citations only to entries that a bibliography lists
        self.write("chapters/bibliography.md", "# Sources\n\n:::{bibliography}\n:all:\n:::\n")
        self.pages = ["chapters/index", "chapters/bibliography"]
        self._set_offline(False)  # no Workbox run under Node (seconds a build): only test_offline.py asks for it

    def _set_offline(self, offline: bool) -> None:
        """``studybook_offline`` in the tiny book's configuration: False builds as the live preview does."""
        config = self.folder / "_config.yml"
        text = config.read_text(encoding="utf-8")
        assert "\n  config:\n" in text, "_config.yml has no sphinx: config: section"
        text = text.replace("\n    studybook_offline: false\n", "\n", 1)
        config.write_text(
            text.replace("\n  config:\n", f"\n  config:\n    studybook_offline: {str(offline).lower()}\n", 1), encoding="utf-8"
        )

    def with_service_worker(self) -> None:
        """Build as `make book` does, with the offline copy (a Workbox run under Node)."""
        self._set_offline(True)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
        return path

    def page(self, name: str, text: str) -> Path:
        if f"chapters/{name}" not in self.pages:  # a test may replace a page the tiny book has
            self.pages.append(f"chapters/{name}")
        return self.write(f"chapters/{name}.md", text)

    def build(self, kind: str = "html", edition: str = "student") -> subprocess.CompletedProcess:
        """The strict build of `make book` / `make pdf`, run in this process (no Python start-up and
        imports for each tiny book), with its output captured as a subprocess's would be."""
        if not (self.folder / "_toc.yml").exists():
            entries = "".join(f"  - file: {page}\n" for page in self.pages[1:])
            chapters = f"chapters:\n{entries}" if entries else ""
            self.write("_toc.yml", f"format: jb-book\nroot: chapters/index\n{chapters}")
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                status = build_command.build(kind, self.folder, self.folder, jobs=1, edition=edition)
            except SystemExit as exit:
                status = exit.code if isinstance(exit.code, int) else 1
            except Exception:  # noqa: BLE001 - reported as a subprocess would report it
                traceback.print_exc()
                status = 1
        return subprocess.CompletedProcess(["studybook.commands.build", kind], status, stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def tiny_book(tmp_path) -> TinyBook:
    return TinyBook(tmp_path)


@pytest.fixture(scope="session")
def epub_path(tmp_path_factory, worker_id) -> Path:
    """The whole book as an EPUB, built once from clean into a temporary folder."""
    return built_once(tmp_path_factory, worker_id, "epub", "epub") / "_build" / "epub" / f"{BOOK_NAME}.epub"


# Markers (declared in pyproject.toml) follow from what a test uses, so a new test is marked without
# anyone remembering to: `make test-fast` leaves out browsers, PDFs, the preview server and slow tests.
MARKED_BY_FIXTURE = {
    "browser": "browser",
    "pdf_build": "pdf",
    "pdf_path": "pdf",
    "epub_path": "pdf",
    "screen_pdf_path": "pdf",
    "teacher_html_build": "slow",  # the whole book built a second time
    "book_in_git": "slow",  # test_diff.py: each comparison builds the book twice, as it was and as it is
}
MARKED_BY_MODULE = {
    "test_preview": "preview",
    "test_reproducible": "slow",
    "test_build_order": "slow",
    "test_pdf": "pdf",  # its tiny books are printed too
    "test_flashcards": "slow",  # the whole book built a second time, for the deck
}
# Tests that print a tiny book (a marker cannot follow from what a test calls, only from what it names)
MARKED_BY_TEST = {"test_only_the_teacher_edition_has_the_guidance_in_html_search_pdf_and_epub": "pdf"}


# Modules whose tests share a costly module fixture, or a session fixture that is not built_once,
# run on one pytest-xdist worker (`--dist loadgroup`), so that it is made once.
ONE_WORKER_MODULES = ("test_preview", "test_diff", "test_handouts")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--reverse", action="store_true", help="run the tests in reverse order: none may depend on another's")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks added here
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--reverse"):
        items.reverse()
    for item in items:
        names = {MARKED_BY_FIXTURE[f] for f in getattr(item, "fixturenames", ()) if f in MARKED_BY_FIXTURE}
        if item.module is not None and item.module.__name__ in MARKED_BY_MODULE:
            names.add(MARKED_BY_MODULE[item.module.__name__])
        if getattr(item, "originalname", item.name) in MARKED_BY_TEST:
            names.add(MARKED_BY_TEST[getattr(item, "originalname", item.name)])
        for name in names:
            item.add_marker(name)
        if item.module is not None and item.module.__name__ in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session")
def book_url(html_build):
    with serve(html_build) as url:
        yield url


@pytest.fixture
def visit(browser: Browser, book_url: str):
    """visit(path, width=1280, ...) -> Visit: a page of the built book in a fresh browser context (browsing.py)."""
    yield from visitor(browser, book_url)
