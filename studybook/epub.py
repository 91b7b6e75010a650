"""The EPUB: the web book's pages for e-readers, with static figures and no scripts.

Sphinx's EPUB builder writes HTML pages, so without this module it would also get the web-only
parts: the interactive chart (a script with the figure's data), the disclosure around the
figure's events (the EPUB keeps their table, whose rows the text links to), sphinx-thebe's
configuration scripts, and two stylesheets that their extensions copy only when the build has
finished, after the EPUB has been packed. Each of
these makes ``epubcheck`` fail. The figure itself stays: an SVG image with its caption.

E-readers that know EPUB 3 popup notes (Apple Books, Kobo, KOReader, Thorium...) show a glossary
term, a person or a margin note in a popup where it is linked; the others follow the link:
- a link to a glossary or Who's who entry becomes a ``noteref`` to an ``aside`` of type
  ``footnote`` at the end of its page ("Terms and people on this page"), which holds the entry's
  text and a link to the whole entry;
- a margin note stays where it is, as a ``footnote`` aside, with a ``noteref`` at the end of the
  paragraph before it (e-readers with popups hide such asides from the flow).
The package gets a cover image (drawn in ``web/icons/cover.svg``) and subjects, which Sphinx's
``content.opf`` template has no place for.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from html import escape
from pathlib import Path

from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .timelines.directive import timeline_chart, timeline_events

# Written at build-finished by myst-nb and by studybook.web.assets; neither styles anything the EPUB has.
LATE_STYLESHEETS = ("_static/mystnb.", "_static/studybook/")
COVER = Path(__file__).parent / "web" / "icons" / "cover.png"
COVER_IN_BOOK = "_static/cover.png"
ENTRY_ID = re.compile(r"^(term|person)-")


class RemoveWebOnlyNodes(SphinxPostTransform):
    builders = ("epub",)
    default_priority = 200

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(timeline_chart)):
            node.parent.remove(node)
        # The figure's events stay as a plain table: pages link to its rows (the {event} backlinks).
        for node in list(self.document.findall(timeline_events)):
            node.replace_self(node.children)


def remove_scripts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop raw HTML scripts (sphinx-thebe adds two to every page, thebe or not)."""
    if app.builder.name != "epub":
        return
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and "<script" in raw.astext():
            raw.parent.remove(raw)


def drop_late_stylesheets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name == "epub":
        context["css_files"][:] = [css for css in context["css_files"] if not css.filename.startswith(LATE_STYLESHEETS)]


def popup_entries(app: Sphinx) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(page, anchor) -> (title, paragraphs) of every glossary and Who's who entry, read once per build."""
    if not hasattr(app.builder, "studybook_popup_entries"):
        entries = {}
        for docname in sorted(app.env.found_docs):
            for term in app.env.get_doctree(docname).findall(nodes.term):
                anchor = next((name for name in term["ids"] if ENTRY_ID.match(name)), None)
                definition = term.parent.next_node(nodes.definition) if anchor else None
                if definition is not None:
                    paragraphs = [p.astext() for p in definition.findall(nodes.paragraph) if "appears-in" not in p["classes"]]
                    entries[docname, anchor] = (term.astext(), paragraphs)
        app.builder.studybook_popup_entries = entries
    return app.builder.studybook_popup_entries


def noteref(soup: BeautifulSoup, target: str, text: str):
    link = soup.new_tag("a", href=f"#{target}", attrs={"epub:type": "noteref", "role": "doc-noteref"})
    link.string = text
    return link


def entry_notes(app: Sphinx, pagename: str, soup: BeautifulSoup) -> list:
    """Links to glossary and Who's who entries as noterefs; returns the asides they point to."""
    entries, asides = popup_entries(app), {}
    for link in soup.select("a.reference.internal[href*='#']"):
        path, _, anchor = link["href"].partition("#")
        if not path:  # an entry on this very page: a link is enough
            continue
        docname = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), path))
        entry = entries.get((docname.removesuffix(app.builder.out_suffix), anchor))
        if entry is None:
            continue
        note_id = f"popup-{anchor}"
        if note_id not in asides:
            title, paragraphs = entry
            aside = soup.new_tag("aside", id=note_id, attrs={"epub:type": "footnote", "role": "doc-footnote"})
            aside.append(
                BeautifulSoup(
                    f"<p><strong>{escape(title)}</strong></p>" + "".join(f"<p>{escape(text)}</p>" for text in paragraphs),
                    "html.parser",
                )
            )
            whole = soup.new_tag("a", href=link["href"])
            whole.string = "The whole entry"
            aside.append(whole)
            asides[note_id] = aside
        link["href"] = f"#{note_id}"
        link["epub:type"] = "noteref"
        link["role"] = "doc-noteref"
    return list(asides.values())


def margin_notes(soup: BeautifulSoup) -> None:
    """Each margin note a footnote aside where it stands, with a noteref after the paragraph before it."""
    for number, aside in enumerate(soup.select("aside.margin"), start=1):
        aside["id"] = aside.get("id") or f"margin-note-{number}"
        aside["epub:type"] = "footnote"
        aside["role"] = "doc-footnote"
        title = aside.select_one(".sidebar-title")
        link = noteref(soup, aside["id"], f"[Note: {title.get_text(strip=True)}]" if title else f"[Note {number}]")
        before = aside.find_previous_sibling(True)
        if before is not None and before.name == "p":
            before.append(" ")
            before.append(link)
        else:
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            aside.insert_before(paragraph)


def add_popup_notes(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name != "epub" or not context.get("body"):
        return
    soup = BeautifulSoup(context["body"], "html.parser")
    margin_notes(soup)
    asides = entry_notes(app, pagename, soup)
    if asides:
        section = soup.new_tag("section", attrs={"class": "popup-notes"})
        heading = soup.new_tag("h2")
        heading.string = "Terms and people on this page"
        section.append(heading)
        section.extend(asides)
        soup.append(section)
    context["body"] = str(soup)


def set_cover(app: Sphinx, config) -> None:
    config.epub_cover = (COVER_IN_BOOK, "")  # the image only: no cover page of Sphinx's


def add_cover(app: Sphinx) -> None:
    if app.builder.name == "epub":
        target = Path(app.outdir) / COVER_IN_BOOK
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(COVER, target)
        write_package = app.builder.build_content

        def build_content() -> None:  # Sphinx's content.opf, then what its template cannot say
            write_package()
            add_package_metadata(Path(app.outdir) / "content.opf", app.config.studybook_epub_subjects)

        app.builder.build_content = build_content


def add_package_metadata(package: Path, subjects: list[str]) -> None:
    """dc:subject lines, and the EPUB 3 cover-image property beside Sphinx's EPUB 2 cover meta."""
    text = package.read_text(encoding="utf-8")
    lines = "".join(f"\n    <dc:subject>{escape(subject)}</dc:subject>" for subject in subjects)
    text = text.replace("</dc:title>", "</dc:title>" + lines, 1)
    text = re.sub(
        r'(<item id="[^"]*" href="' + re.escape(COVER_IN_BOOK) + r'" media-type="image/png")',
        r'\1 properties="cover-image"',
        text,
        count=1,
    )
    package.write_text(text, encoding="utf-8")


def setup_epub(app: Sphinx) -> None:
    app.add_config_value("studybook_epub_subjects", [], "epub", list)
    app.add_post_transform(RemoveWebOnlyNodes)
    app.connect("config-inited", set_cover)
    app.connect("builder-inited", add_cover)
    app.connect("doctree-resolved", remove_scripts, priority=600)  # after sphinx-thebe's (500)
    app.connect("html-page-context", drop_late_stylesheets)
    app.connect("html-page-context", add_popup_notes)
