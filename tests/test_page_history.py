"""Page history for readers: each page says when it last changed, from git, and links to its history;
the PDF's chapters open with the same date; outside git there is nothing to show and no warning."""

from __future__ import annotations

import os
import subprocess

from bs4 import BeautifulSoup

from conftest import TINY_EVENTS, pdf_page_texts

HISTORY = "https://github.com/study-editions/trotsky-world-revolution/commits/main/"
PART = "# Part\n\nA paragraph about the Ruhr.\n"
TIMELINE = "# Timeline\n\n:::{timeline}\n:name: fig-t\nAll events.\n:::\n"


def commit(book, message: str, date: str) -> None:
    """Commit everything with a fixed date, as a commit of that day would have it."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for args in (["add", "."], ["-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=book.folder, env=env, check=True, capture_output=True)


def footer(book, page: str) -> BeautifulSoup:
    html = (book.folder / "_build/html/chapters" / f"{page}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one(".studybook-page-history")


def git_book(tiny_book):
    tiny_book.page("part", PART)
    tiny_book.page("timeline", TIMELINE)
    tiny_book.write(".gitignore", "_build/\nnode_modules\n")
    subprocess.run(["git", "init", "-q"], cwd=tiny_book.folder, check=True)
    commit(tiny_book, "First edition", "2026-03-05T12:00:00+00:00")
    tiny_book.write("data/events.csv", TINY_EVENTS.replace("1926-05-04", "1926-05-03"))
    commit(tiny_book, "An event's date corrected", "2026-04-09T12:00:00+00:00")
    return tiny_book


def test_each_page_shows_its_last_change_and_links_to_its_history(tiny_book):
    book = git_book(tiny_book)
    result = book.build()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    part = footer(book, "part")
    assert part.time["datetime"] == "2026-03-05" and part.time.get_text() == "5 March 2026"
    assert part.a["href"] == HISTORY + "chapters/part.md"
    # a page drawn from data/ changed when its data did
    assert footer(book, "timeline").time["datetime"] == "2026-04-09"


def test_the_printed_chapters_open_with_their_date(tiny_book):
    book = git_book(tiny_book)
    result = book.build("pdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = " ".join(pdf_page_texts(next((book.folder / "_build/pdf").glob("*.pdf"))))
    assert "Last changed on 5 March 2026." in " ".join(text.split())
    assert "Last changed on 9 April 2026." in " ".join(text.split())


def test_outside_git_there_is_no_date_and_no_warning(tiny_book):
    tiny_book.page("part", PART)
    result = tiny_book.build()  # strict: a warning would fail it
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert footer(tiny_book, "part") is None
