"""make diff: a tiny book in git, changed in a paragraph, a glossary term, an event and a figure,
gives a report that names each change and nothing else; an unchanged tree gives "no changes";
a bad BASE gives one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from browsing import axe_violations
from conftest import TINY_EVENTS, TinyBook
from studybook.commands.compare import compare_page

PART = """# Part

The rising in Hamburg began before dawn and was over within days.

A {term}`Comintern` envoy reported to Moscow.

:::{timeline}
:theatres: germany
:name: fig-t
Events in Germany.
:::

The last paragraph stays as it is.
"""
GLOSSARY = """# Glossary

:::{glossary}
Comintern
  The Communist International, founded in Moscow in 1919.
:::
"""


def git(book: TinyBook, *args: str) -> None:
    subprocess.run(["git", *args], cwd=book.folder, check=True, capture_output=True)


def run_diff(book: TinyBook, base: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studybook.commands.diff", base], cwd=book.folder, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def book_in_git(tmp_path_factory) -> TinyBook:
    book = TinyBook(tmp_path_factory.mktemp("diff-book"))
    book.page("part", PART)
    book.page("glossary", GLOSSARY)
    book.write(".gitignore", "_build/\nnode_modules\n")
    entries = "".join(f"  - file: {page}\n" for page in book.pages[1:])
    book.write("_toc.yml", f"format: jb-book\nroot: chapters/index\nchapters:\n{entries}")
    git(book, "init", "-q", "-b", "main")
    git(book, "add", ".")
    git(book, "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-q", "-m", "First edition")
    return book


@pytest.fixture(scope="module")
def changed(book_in_git) -> subprocess.CompletedProcess:
    """The working tree changed in one paragraph, one term, one event and one figure."""
    book = book_in_git
    book.page("part", PART.replace("before dawn", "at dawn on 23 October").replace(":theatres: germany", ":theatres: britain"))
    book.page("glossary", GLOSSARY.replace("in Moscow in 1919", "in Moscow in March 1919"))
    book.write("data/events.csv", TINY_EVENTS.replace("1926-05-04", "1926-05-03"))
    return run_diff(book, "main")


def test_the_summary_names_each_change_and_nothing_else(changed):
    assert changed.returncode == 0, changed.stdout[-3000:] + changed.stderr[-3000:]
    lines = [line.strip() for line in changed.stdout.splitlines() if line.startswith("  ")]
    assert lines == [
        "page Part (chapters/part.html): 1 paragraph changed",
        "figure fig-t on chapters/part.html: changed",
        "term Comintern: definition changed",
        "event 1926-general-strike: start 4 May 1926 → 3 May 1926",
        "unchanged pages: 3",
    ]


def test_the_report_marks_the_words_that_changed_side_by_side(changed, book_in_git):
    report = BeautifulSoup((book_in_git.folder / "_build/diff/index.html").read_text(encoding="utf-8"), "html.parser")
    pairs = report.select(".pair")
    paragraph = pairs[0]
    assert [d.get_text(" ", strip=True) for d in paragraph.select("del")] == ["before dawn"]
    assert [i.get_text(" ", strip=True) for i in paragraph.select("ins")] == ["at dawn on 23 October"]
    assert "The last paragraph stays" not in report.get_text()
    before, after = report.select("figure img")
    assert before["src"] != after["src"]
    for image in (before, after):
        assert (book_in_git.folder / "_build/diff" / image["src"]).read_bytes().startswith(b"<svg")
    rows = [" ".join(row.get_text(" ").split()) for row in report.select("tbody tr")]
    assert rows[0].startswith("term Comintern definition changed") and "March" in rows[0]
    assert rows[1] == "event 1926-general-strike start 4 May 1926 → 3 May 1926"
    assert "Unchanged pages" in report.get_text() and "Home" in report.get_text()


def test_the_report_passes_axe(changed, book_in_git, browser):
    tab = browser.new_page()
    tab.goto((book_in_git.folder / "_build/diff/index.html").as_uri())
    assert axe_violations(tab) == []
    tab.close()


def test_an_unchanged_tree_gives_no_changes(changed, book_in_git):
    book = book_in_git
    git(book, "add", ".")
    git(book, "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-q", "-m", "Second edition")
    result = run_diff(book, "HEAD")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "No changes for readers" in result.stdout
    assert "No changes" in (book.folder / "_build/diff/index.html").read_text(encoding="utf-8")


def test_a_bad_base_gives_one_clear_line(book_in_git):
    result = run_diff(book_in_git, "nosuchref")
    assert result.returncode == 2
    assert result.stderr.strip() == "make diff: 'nosuchref' is not a commit or branch of this repository"


def numbered_page(*paragraphs: str, numbered: bool = True) -> BeautifulSoup:
    body = "".join(f'<p id="p-{n}">{text}</p>' if numbered else f"<p>{text}</p>" for n, text in enumerate(paragraphs, 1))
    return BeautifulSoup(f'<article class="bd-article"><h1>Part</h1>{body}</article>', "html.parser")


def test_an_inserted_paragraph_is_one_addition_and_the_numbers_after_it_are_listed():
    before = numbered_page("First.", "Second.", "Third.")
    after = numbered_page("First.", "A new second.", "Second.", "Third.")
    changes = compare_page("chapters/part.html", before, after)
    assert changes.added == ["A new second."] and not changes.changed and not changes.removed
    assert changes.renumbered == [(2, 3), (3, 4)]


def test_without_paragraph_numbers_paragraphs_are_paired_by_their_text():
    before = numbered_page("First.", "Second.", "Third.", numbered=False)
    after = numbered_page("First.", "A new second.", "Second.", "Third.", numbered=False)
    changes = compare_page("chapters/part.html", before, after)
    assert changes.added == ["A new second."] and changes.renumbered == [] and not changes.changed
