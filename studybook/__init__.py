"""The study edition's Sphinx extension (``_config.yml`` loads it); ARCHITECTURE.md maps the rooms.

``setup`` registers, in order: the data tables (``tables``), the ``person`` role and ``people``
directive (``people``), the ``timeline`` and ``timeline-table`` directives (``timelines``), the
printed book (``print``: margin notes, page design), the web book (``web``: page assets, link
previews, accessibility fixes, icon fonts, navigation kept current in incremental builds), the
editors' checks (``checks``), the EPUB, faster citations, the teaching kit (``teaching``: editions,
self-checks, flashcards) and page history (``history``). The commands that run builds live in
``commands`` and are not part of the extension.
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
    from . import citations, compat, epub, history, parallel, people, titles, toc
    from .checks import mistakes
    from .domain import BookDomain
    from .paragraphs import setup as paragraphs
    from .print import latex
    from .print import page_history as print_history
    from .tables import extension as tables
    from .teaching import setup_teaching
    from .timelines import directive as timelines
    from .web import accessibility, assets, downloads, icon_fonts, link_previews, navigation, offline, reader_settings
    from .web import page_history as web_history

    compat.setup_compat(app)
    parallel.setup_parallel(app)
    toc.setup_toc(app)
    app.add_domain(BookDomain)
    tables.setup_book_data(app)
    people.setup_people(app)
    titles.setup_titles(app)
    timelines.setup_timeline(app)
    latex.setup_latex(app)
    assets.setup_html(app)
    link_previews.setup_previews(app)
    accessibility.setup_accessibility(app)
    icon_fonts.setup_fonts(app)
    mistakes.setup_mistakes(app)
    navigation.setup_navigation(app)
    epub.setup_epub(app)
    citations.setup_citations(app)
    setup_teaching(app)
    history.setup_history(app)
    web_history.setup_page_history(app)
    print_history.setup_page_history(app)
    paragraphs.setup_paragraphs(app)
    offline.setup_offline(app)
    reader_settings.setup_reader_settings(app)
    downloads.setup_downloads(app)
    return {
        "version": __version__,
        "env_version": _source_hash(),
        "parallel_read_safe": True,  # what pages share is kept in BookDomain, which merges
        "parallel_write_safe": True,
    }
