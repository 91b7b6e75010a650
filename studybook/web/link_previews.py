"""Previews of glossary terms, people and sources wherever they are linked (HTML only).

When an HTML build ends, the entries are read back from the written pages that hold them
(``dl.glossary`` of the glossary, ``dl.people`` of the Who's who, sphinxcontrib-bibtex's
``div.citation`` entries) into one script, ``_static/studybook/preview-texts.js``, keyed by
page and anchor. ``assets/previews.js`` (added to pages by html.py) loads it on a reader's
first hover or focus and shows the entry of the link under the pointer or the focus.

Each entry has two forms: the whole entry, shown in the preview, and a short description that
screen readers read when the link takes focus (its ``aria-describedby``): the first sentence of
a term's definition, a person's offices, a source's author and title. A whole entry, up to
~900 characters, would be read at every focus.

Why the written pages: an entry is final only once its page is written (bibtex formats
citations then, the Who's who fills its "Appears in" lines then), and the written entry is
exactly what the link leads to, so a preview never differs from its entry. The previews keep
inline emphasis only: links, anchors and ids are dropped, so that a preview has nothing to
focus and no id that clashes with the page it opens on.
"""

from __future__ import annotations

import copy
import json
import re
from html import escape
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from sphinx.application import Sphinx

from ..state import build_run
from .assets import STATIC

TEXTS_FILE = "preview-texts.js"
KEPT_TAGS = {"p", "em", "strong", "i", "b", "cite", "sub", "sup"}
DROPPED_CLASSES = {"headerlink", "appears-in", "label", "target", "index"}


def preview_html(*parts: Tag) -> str:
    """The parts' content as plain inline HTML: kept tags without attributes, other tags unwrapped."""
    html = []
    for part in parts:
        # A copy, so that the page's own tag stays whole, in a document of its own, so that the part
        # itself is matched below like its descendants (copying is 3× faster than parsing it again).
        fragment = BeautifulSoup("", "html.parser")
        fragment.append(copy.copy(part))
        for dropped in fragment.find_all(class_=DROPPED_CLASSES.__contains__):
            dropped.decompose()
        for tag in fragment.find_all(True):
            if tag.name in KEPT_TAGS:
                tag.attrs = {}
            else:
                tag.unwrap()
        html.append(str(fragment).strip())
    return "".join(html)


# A sentence ends at . ! or ? before a space and a capital, but not after an initial ("E. H. Carr").
SENTENCE_END = re.compile(r"(?<![\s.][A-Z])[.!?](?=\s+[\"“‘(]?[A-Z])")


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = SENTENCE_END.search(text)
    return text[: end.end()] if end else text


def source_description(entry_html: str) -> str:
    """A source's author and title: its text up to the end of its first italic title."""
    paragraph = BeautifulSoup(entry_html, "html.parser").select_one("p")
    if paragraph is None:
        return ""
    title = paragraph.select_one("em, cite, i")
    if title is None:
        return first_sentence(paragraph.get_text())
    last = title.find_all(string=True)[-1]
    parts = []
    for string in paragraph.find_all(string=True):
        parts.append(string)
        if string is last:
            break
    return " ".join("".join(parts).split()).rstrip(".") + "."


# The markup of the entries that entries_of() reads: the glossary, the Who's who and the bibliography.
HAS_ENTRIES = re.compile(r'<dl class="[^"]*\b(?:glossary|people)\b|<div class="citation\b')


def entries_of(page: BeautifulSoup) -> dict[str, dict[str, str]]:
    """Anchor -> {"description": ..., "html": ...} for every term, person and source entry of one page."""
    entries = {}
    for term in page.select("dl.glossary > dt[id], dl.people > dt[id]"):
        entry = term.find_next_sibling("dd")
        definition = preview_html(*(entry.find_all(recursive=False) if isinstance(entry, Tag) else []))
        title = f"<p><strong>{escape(BeautifulSoup(preview_html(term), 'html.parser').get_text())}</strong></p>"
        first = BeautifulSoup(definition, "html.parser").select_one("p")
        description = first_sentence(first.get_text() if first else "")
        entries[str(term["id"])] = {"description": description, "html": title + definition}
    for citation in page.select("div.citation[id]"):
        html = preview_html(*citation.find_all("p", recursive=False))
        entries[str(citation["id"])] = {"description": source_description(html), "html": html}
    return entries


PREFIX = "window.studybookPreviewTexts = "


def note_written_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    build_run(app).written_pages.add(pagename)


def start_written_pages(app: Sphinx) -> None:
    build_run(app).written_pages = set()


def write_preview_texts(app: Sphinx, exception: Exception | None) -> None:
    """Entries of the pages written in this build, and the earlier entries of the pages that were not
    (a live-preview rebuild writes a few pages; reading all of them again cost about 0.3 s)."""
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    target = outdir / "_static" / STATIC / TEXTS_FILE
    written = {f"{name}.html" for name in build_run(app).written_pages}
    texts = {}
    if target.exists():
        earlier = json.loads(target.read_text(encoding="utf-8").removeprefix(PREFIX).rstrip().removesuffix(";"))
        texts = {key: html for key, html in earlier.items() if key.partition("#")[0] not in written}
    else:
        written = {path.relative_to(outdir).as_posix() for path in outdir.rglob("*.html")}
    for relative in sorted(written):
        path = outdir / relative
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if HAS_ENTRIES.search(text):  # most pages have none: no need to parse them
            texts.update({f"{relative}#{anchor}": html for anchor, html in entries_of(BeautifulSoup(text, "lxml")).items()})
    target.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    target.write_text(f"{PREFIX}{data};\n", encoding="utf-8")


def setup_previews(app: Sphinx) -> None:
    app.connect("builder-inited", start_written_pages)
    app.connect("html-page-context", note_written_page)
    app.connect("build-finished", write_preview_texts)
