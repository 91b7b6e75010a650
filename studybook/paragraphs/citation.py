"""How to cite the book, a page and a paragraph: Chicago author–date, BibTeX and RIS, with the edition.

Every web page ends with a "Cite this page" panel: the page's citation, and links to download it as
BibTeX and RIS (files written next to the page, ``_static/cite/<page>.bib|ris``). When the address
names a numbered paragraph (``#p-14``), ``passages.js`` adds the paragraph to the citation and to
the downloads. The address in a citation is the book's ``html_baseurl`` when one is set (the
published site); ``passages.js`` puts in the address the reader actually has.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from .edition import Edition

CITE_FOLDER = "_static/cite"


@dataclass(frozen=True)
class Work:
    """What a citation names: the book, or one page of it (``page`` set)."""

    author: str
    book: str
    edition: Edition
    url: str
    page: str = ""

    def chicago_html(self, passage: str = "") -> str:
        year, edition = self.edition.date.year, escape(self.edition.name)
        where = f", {escape(passage)}" if passage else ""
        if self.page:
            return (
                f"{escape(self.author)}. {year}. “{escape(self.page)}.” In <cite>{escape(self.book)}</cite>, "
                f"edition {edition}{where}. {escape(self.url)}."
            )
        return f"{escape(self.author)}. {year}. <cite>{escape(self.book)}</cite>. Edition {edition}. {escape(self.url)}."

    def bibtex(self, passage: str = "") -> str:
        fields = [("author", f"{{{self.author}}}"), ("title", self.page or self.book)]
        if self.page:
            fields.append(("booktitle", self.book))
        fields += [
            ("edition", self.edition.name),
            ("year", str(self.edition.date.year)),
            ("date", f"{self.edition.date:%Y-%m-%d}"),
            ("url", self.url),
        ]
        if passage:
            fields.append(("note", passage))
        kind = "incollection" if self.page else "book"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@{kind}{{{self.key},\n{body}\n}}\n"

    def ris(self, passage: str = "") -> str:
        fields = [("TY", "CHAP" if self.page else "BOOK"), ("AU", self.author), ("TI", self.page or self.book)]
        if self.page:
            fields.append(("T2", self.book))
        fields += [
            ("ET", self.edition.name),
            ("PY", str(self.edition.date.year)),
            ("DA", f"{self.edition.date:%Y/%m/%d}"),
            ("UR", self.url),
        ]
        if passage:
            fields.append(("N1", passage))
        return "".join(f"{tag}  - {value}\r\n" for tag, value in [*fields, ("ER", "")])

    @property
    def key(self) -> str:
        words = [word.lower() for word in self.book.split() if word.isalpha()]
        return f"{words[0] if words else 'book'}{self.edition.date.year}"


def book_work(app: Sphinx) -> Work:
    return Work(app.config.author, app.config.html_title, app.studybook_edition_label, book_address(app))


def book_address(app: Sphinx, page_uri: str = "") -> str:
    base = app.config.html_baseurl.rstrip("/")
    if base:
        return f"{base}/{page_uri}" if page_uri else f"{base}/"
    return app.config.html_theme_options.get("repository_url") or app.config.html_context.get("github_url", "") or ""


URL, PASSAGE = "{url}", "{passage}"  # placeholders that passages.js fills in


def panel_html(work: Work, url: str, bib_href: str, ris_href: str, numbered: bool) -> str:
    """The "Cite this page" panel for ``work`` (whose url is the placeholder): filled in with ``url``
    for readers without scripts, and templates from which passages.js cites the page at the
    reader's address, and a paragraph when the address names one."""

    def filled(text: str) -> str:
        return text.replace(URL, url)

    templates = {"chicago": work.chicago_html(), "bibtex": work.bibtex(), "ris": work.ris()}
    if numbered:
        templates.update(
            {
                "passage-chicago": work.chicago_html(PASSAGE),
                "passage-bibtex": work.bibtex(PASSAGE),
                "passage-ris": work.ris(PASSAGE),
            }
        )
    data = " ".join(f'data-{name}="{escape(text)}"' for name, text in templates.items())
    return (
        f'<details class="cite-panel" data-url="{escape(url)}" {data}>'
        "<summary>Cite this page</summary>"
        f'<p class="cite-chicago">{filled(work.chicago_html())}</p>'
        f'<p class="cite-downloads">Download: <a class="cite-bibtex" href="{escape(bib_href)}" download>BibTeX</a>'
        f' · <a class="cite-ris" href="{escape(ris_href)}" download>RIS</a> '
        f'<span class="cite-style">(Chicago author–date; {escape(work.edition.label)})</span></p>'
        "</details>"
    )


def add_panel(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    """Append the panel to the page's text and write its downloads (web book only)."""
    if app.builder.name != "html" or doctree is None:
        return
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else app.config.html_title
    uri = app.builder.get_target_uri(pagename)
    book = book_work(app)
    page_url = book_address(app, uri) if app.config.html_baseurl else uri
    work = Work(book.author, book.book, book.edition, URL, "" if pagename == app.config.root_doc else title)
    files = Path(app.outdir) / CITE_FOLDER
    stem = pagename.replace("/", "-")
    files.mkdir(parents=True, exist_ok=True)
    (files / f"{stem}.bib").write_text(work.bibtex().replace(URL, page_url), encoding="utf-8")
    (files / f"{stem}.ris").write_text(work.ris().replace(URL, page_url), encoding="utf-8", newline="")
    to_static = context["pathto"](f"{CITE_FOLDER}/{stem}", 1)
    numbered = pagename in app.config.studybook_paragraph_pages
    context["body"] += panel_html(work, page_url, f"{to_static}.bib", f"{to_static}.ris", numbered)


def setup_citation(app: Sphinx) -> None:
    app.connect("html-page-context", add_panel)
