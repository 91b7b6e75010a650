"""The edition and the licence: named once, when the configuration is read, and used by every output.

The edition is the last ``edition-*`` tag if it names the commit being built (``edition-2027-01``
gives "2027-01"), and otherwise the date of the last commit (``SOURCE_DATE_EPOCH``, which the build
command sets from git), so that two builds of one commit agree. ``studybook_edition_label`` in the
configuration overrides both. CONTRIBUTING.md says when to tag a new edition.

The edition goes on the PDF's title page and its imprint (the title verso), in the web book's
footer, in the EPUB's metadata, in the colophon on the home page and in every citation.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective
from sphinx.util.texescape import escape as latex_escape

from ..state import build_run

TAG_PREFIX = "edition-"
TEXT_LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
CODE_LICENCE = ("MIT", "https://opensource.org/license/mit")
OWNERS = "Quotations from primary sources and the source chapter belong to their owners."


@dataclass(frozen=True)
class Edition:
    name: str  # "2026-12-07" or a tag's name without "edition-"
    date: datetime  # of the commit it was built from

    @property
    def label(self) -> str:
        return f"Edition {self.name}"


def current_edition(book: Path, override: str = "") -> Edition:
    date = datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", time.time())), tz=UTC)
    if override:
        return Edition(override, date)
    tag = subprocess.run(
        ["git", "describe", "--tags", "--exact-match", "--match", f"{TAG_PREFIX}*", "HEAD"],
        cwd=book,
        capture_output=True,
        text=True,
    )
    name = tag.stdout.strip().removeprefix(TAG_PREFIX) if tag.returncode == 0 else ""
    return Edition(name or date.strftime("%Y-%m-%d"), date)


def licence_sentence() -> str:
    return f"Text, notes and data: {TEXT_LICENCE[0]}; code: {CODE_LICENCE[0]}. {OWNERS}"


def footer_html(edition: Edition) -> str:
    return (
        f'<p class="edition-footer">{escape(edition.label)}. Text, notes and data under '
        f'<a href="{TEXT_LICENCE[1]}" rel="license">{TEXT_LICENCE[0]}</a>; code under '
        f'<a href="{CODE_LICENCE[1]}">{CODE_LICENCE[0]}</a>. {escape(OWNERS)}</p>'
    )


def imprint_latex(edition: Edition, config: Config) -> str:
    lines = [
        config.html_title,
        f"{edition.label}, {edition.date:%-d %B %Y}.",
        f"Text, notes and data: Creative Commons Attribution 4.0 International ({TEXT_LICENCE[1]}).",
        f"Code: MIT licence ({CODE_LICENCE[1]}).",
        OWNERS,
    ]
    body = r" \par ".join(latex_escape(line) for line in lines)
    # how to cite the printed book (as the web book's "Cite this page" does), and what it studies
    title = rf"\emph{{{latex_escape(config.html_title)}}}"
    body += rf" \par How to cite this book: {latex_escape(config.author)}. {edition.date.year}. {title}. "
    body += latex_escape(f"Edition {edition.name}.")
    if config.studybook_source_publication:
        body += r" \par The chapter studied: " + latex_escape(config.studybook_source_publication)
    return rf"\studyimprint{{{body}}}"


def book_edition(app: Sphinx) -> Edition:
    """The edition this build names (set when the configuration is read)."""
    edition = build_run(app).edition
    assert edition is not None, "name_edition runs at config-inited, before any page is read"
    return edition


def name_edition(app: Sphinx, config: Config) -> None:
    edition = current_edition(Path(app.srcdir), config.studybook_edition_label)
    build_run(app).edition = edition
    config.html_theme_options = {**config.html_theme_options, "extra_footer": footer_html(edition)}
    config.today = edition.label  # the date line of the PDF's title page
    config.latex_elements = {
        **config.latex_elements,
        "maketitle": config.latex_elements.get("maketitle", r"\maketitle") + imprint_latex(edition, config),
    }
    config.epub_copyright = f"{edition.label}. © {edition.date:%Y} {config.author}. {licence_sentence()}"
    config.release = config.version = edition.name


class ColophonDirective(SphinxDirective):
    """``:::{colophon}``: the edition and the licences, where the book names itself (the home page,
    which is also the PDF's opening chapter and the EPUB's first page)."""

    def run(self) -> list[nodes.Node]:
        edition = book_edition(self.env.app)
        box = nodes.container(classes=["colophon"])
        box += nodes.paragraph("", f"{edition.label}, {edition.date:%-d %B %Y}. ")
        licence = nodes.paragraph()
        licence += nodes.Text("Text, notes and data: ")
        licence += nodes.reference("", "Creative Commons Attribution 4.0 International (CC BY 4.0)", refuri=TEXT_LICENCE[1])
        licence += nodes.Text("; code: ")
        licence += nodes.reference("", "MIT licence", refuri=CODE_LICENCE[1])
        licence += nodes.Text(f". {OWNERS}")
        box += licence
        return [box]


def setup_edition(app: Sphinx) -> None:
    app.add_config_value("studybook_edition_label", "", "env", types=[str])
    app.add_config_value("studybook_source_publication", "", "env", types=[str])
    app.connect("config-inited", name_edition, priority=600)  # after studybook.print sets the title page
    app.add_directive("colophon", ColophonDirective)
