"""The benchmark (tools/bench.py): its copies of the book, and its page weight measured on a real build."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build
from studybook.web.assets import PLOTLY_JS
from tools.bench import Book, book_size, page_weight, scale_book

# Repetitive, so that gzip has something to gain.
DOT = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">' + b'<circle cx="4" cy="4" r="3"/>' * 40 + b"</svg>\n"


def build_path(html_root: Path, page: str, url: str) -> str:
    """A URL found in a page, as a path relative to the HTML root."""
    path = (html_root / page).parent / url.split("?")[0]
    return str(path.resolve().relative_to(html_root.resolve()))


def test_page_weight_counts_the_page_and_everything_its_first_view_loads(tiny_book):
    tiny_book.write("chapters/dot.svg", DOT)
    tiny_book.page("dotted", "(dotted)=\n# A page with a picture\n\n![A dot](dot.svg)\n")
    result = tiny_book.build()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = tiny_book.folder / "_build" / "html"
    page = "chapters/dotted.html"

    weight = page_weight(html, page)

    soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
    named = [tag["src"] for tag in soup.select("script[src]")] + [tag["href"] for tag in soup.select("link[rel~=stylesheet]")]
    assert named, "the tiny page names no scripts or stylesheets: the check below would prove nothing"
    assert {build_path(html, page, url) for url in named} <= set(weight.files)
    assert weight.files[page][0] == (html / page).stat().st_size
    size, sent = weight.files["_images/dot.svg"]
    assert size == len(DOT) and sent < size / 4
    fonts = [name for name in weight.files if name.endswith((".woff2", ".woff", ".ttf"))]
    assert fonts, "the theme's web fonts, named only in its CSS, are not counted"
    assert all(weight.files[font][1] == weight.files[font][0] for font in fonts), "compressed fonts are sent as they are"
    assert not [font for font in fonts if font.endswith(".ttf") and font[:-4] + ".woff2" in weight.files], (
        "a browser fetches one source per font face, the first it supports"
    )
    assert (html / "_static/studybook/plotly-basic.min.js").is_file()
    assert "_static/studybook/plotly-basic.min.js" not in weight.files, "plotly.js is fetched only on request"
    assert weight.sent == sum(sent for _, sent in weight.files.values()) < weight.size
    assert not weight.missing and not weight.remote


def test_a_benchmark_copy_holds_what_a_build_needs_and_nothing_else(tmp_path):
    book = Book.copy(tmp_path / "book")
    names = {path.name for path in book.folder.iterdir()}
    assert {"_config.yml", "_toc.yml", "chapters", "data", "studybook"} <= names
    assert not names & {".git", "_build", ".venv", "tests", "tools"}
    assert (book.folder / PLOTLY_JS).is_file(), "the web build copies plotly.js from node_modules"


@pytest.mark.slow
def test_the_benchmarks_grown_book_builds_strictly(tmp_path):
    """Its timings mean something only if the book it times builds: twice the events, on copies of the pages."""
    book = Book.copy(tmp_path / "book")
    before = book_size(book)
    after = scale_book(book, 2, copy_pages=True)
    assert after["events"] == 2 * before["events"] and after["pages"] > before["pages"]
    result = build(book.folder, "html", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
