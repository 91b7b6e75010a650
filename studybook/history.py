"""When each page last changed, from git, for the web footer (``web/page_history.py``) and the PDF's
chapter openings (``print/page_history.py``).

One ``git log --name-only`` pass per build gives, for every file of the book, the last commit that
touched it. A page's date is the latest of its source file and the files the build read for it
(``note_dependency``: the data tables behind its lists, figures and names), so the same commit gives
the same dates. Outside git (a book folder that git does not track), there are no dates and no
warning.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx

COMMIT_MARK = "\x00commit "  # what --format=%x00commit writes before each commit


@dataclass(frozen=True)
class Change:
    date: dt.date  # of the commit, in UTC
    commit: str

    @property
    def words(self) -> str:
        return f"{self.date.day} {self.date:%B %Y}"


def last_changes(folder: Path) -> dict[str, Change]:
    """Path relative to ``folder`` -> its last commit, for every file git has seen change in it."""
    log = subprocess.run(
        ["git", "-c", "core.quotePath=off", "log", "--relative", "--name-only", "--format=%x00commit %H %ct", "--", "."],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    changes: dict[str, Change] = {}
    if log.returncode:
        return changes
    current = None
    for line in log.stdout.splitlines():
        if line.startswith(COMMIT_MARK):
            commit, seconds = line[len(COMMIT_MARK) :].split()
            current = Change(dt.datetime.fromtimestamp(int(seconds), dt.UTC).date(), commit)
        elif line and current is not None:
            changes.setdefault(line, current)  # the log runs newest first
    return changes


def note_changes(app: Sphinx) -> None:
    """Read the history once, before any page is written (parallel writers inherit it)."""
    app.studybook_changes = last_changes(Path(app.srcdir))  # type: ignore[attr-defined]


def page_change(app: Sphinx, docname: str) -> tuple[Change, str] | None:
    """The page's last change and its source file's path in the repository, or None outside git."""
    changes: dict[str, Change] = getattr(app, "studybook_changes", {})
    env = app.env
    if not changes or docname not in env.all_docs:
        return None
    srcdir = Path(app.srcdir)
    source = Path(env.doc2path(docname)).relative_to(srcdir).as_posix()
    read = {source} | {relative_to(srcdir, dependency) for dependency in env.dependencies.get(docname, ())}
    dated = [changes[path] for path in read if path in changes]
    if source not in changes:  # a page not yet committed has no history to show
        return None
    return max(dated, key=lambda change: change.date), source


def relative_to(srcdir: Path, path: str) -> str:
    full = (srcdir / path).resolve()
    return full.relative_to(srcdir.resolve()).as_posix() if full.is_relative_to(srcdir.resolve()) else path


def history_url(app: Sphinx, source: str) -> str | None:
    """The page's history on the forge: ``repository.url`` + ``/commits/<branch>/<path>``."""
    url = app.config.html_theme_options.get("repository_url")
    if not url:
        return None
    branch = app.config.html_theme_options.get("repository_branch") or "main"
    book_path = (app.config.html_theme_options.get("path_to_docs") or "").strip("/")
    return f"{url.rstrip('/')}/commits/{branch}/{book_path + '/' if book_path else ''}{source}"


def setup_history(app: Sphinx) -> None:
    app.connect("builder-inited", note_changes)
