"""The study edition's Sphinx extension: people, timelines, print margin notes and web assets.

``setup`` registers, in order: config values, data loading, the ``person`` role and
``people`` directive, the ``timeline`` and ``timeline-table`` directives, the printed
book (margin notes, page design), the HTML page assets, the previews of linked entries,
the HTML accessibility fixes, the subset icon fonts, the EPUB, faster citations, the
checks for editors' mistakes and the navigation kept current in incremental builds.
Each feature lives in its own module.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx

__version__ = "0.1.0"
PACKAGE = Path(__file__).parent


def _source_hash() -> int:
    """Changes whenever the extension's code or templates change, so Sphinx re-reads every page."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".js", ".css", ".html", ".sty", ".json"}:
            digest.update(path.read_bytes())
    return int(digest.hexdigest()[:12], 16)


def setup(app: Sphinx) -> dict:
    from . import accessibility, book_data, citations, epub, fonts, html, latex, mistakes, navigation, people, previews, timeline

    book_data.setup_book_data(app)
    people.setup_people(app)
    timeline.setup_timeline(app)
    latex.setup_latex(app)
    html.setup_html(app)
    previews.setup_previews(app)
    accessibility.setup_accessibility(app)
    fonts.setup_fonts(app)
    mistakes.setup_mistakes(app)
    navigation.setup_navigation(app)
    epub.setup_epub(app)
    citations.setup_citations(app)
    return {
        "version": __version__,
        "env_version": _source_hash(),
        "parallel_read_safe": False,  # mentions of people are kept in env without a merge step
        "parallel_write_safe": True,
    }
