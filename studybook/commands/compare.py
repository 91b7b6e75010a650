"""Compare two builds of the book as readers see them (``make diff`` writes the report, ``diff.py``).

Pure functions on two built web books and their ``data/`` folders, no Sphinx:

- pages: the prose blocks (paragraphs, headings, captions) of each page's article, paired in order
  by ``difflib.SequenceMatcher`` on their text, so an inserted paragraph is one change and not a
  change to every paragraph after it; changed pairs are marked word by word (``lxml.html.diff``).
  Glossary entries, the Who's who and tables are left out here: they come from the glossary and
  from ``data/``, and are reported entry by entry below.
- paragraph numbers: where paragraphs carry ids like ``p-14``, an unchanged paragraph whose number
  moved is listed, so a reading group knows which numbers changed.
- figures: by figure id, the image file (named by a hash of the figure) before and after.
- glossary: every ``dl.glossary`` entry, by term.
- data: every ``data/*.csv`` row, by its ``id`` column (or its first column), field by field.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from lxml import html as lxml_html
from lxml.html.diff import htmldiff

# Blocks a reader reads as one unit; their text is what is compared.
BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "caption"]
# Generated from the glossary and data/, and reported entry by entry instead.
GENERATED = "dl.glossary, dl.people, table, script, figure"
NOT_PAGES = {"genindex.html", "search.html"}
PARAGRAPH_NUMBER = re.compile(r"^p-(\d+)$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SHORT_VALUE = 60  # longer field values are shown as "changed", with the words marked in the report
# data/<file>.csv -> what one row is called in the report
ROW_NOUN = {"events": "event", "people": "person", "periods": "period"}


@dataclass
class Block:
    html: str  # inner HTML, links unwrapped and ids dropped (the report shows it outside the book)
    text: str
    number: int | None  # the paragraph's number, from an id like p-14, if the book numbers them


@dataclass
class Changed:
    before: str  # HTML with deleted words in <del>
    after: str  # HTML with inserted words in <ins>


@dataclass
class PageChanges:
    page: str  # path in the built book, e.g. chapters/germany-1923.html
    title: str
    changed: list[Changed] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renumbered: list[tuple[int, int]] = field(default_factory=list)  # (old number, new number)

    def summary(self) -> str:
        parts = [
            f"{len(items)} paragraph{'s' * (len(items) != 1)} {verb}"
            for items, verb in ((self.changed, "changed"), (self.added, "added"), (self.removed, "removed"))
            if items
        ]
        if self.renumbered:
            parts.append(f"{len(self.renumbered)} renumbered")
        return ", ".join(parts)


@dataclass
class FigureChange:
    page: str
    figure_id: str
    caption: str
    before: Path | None
    after: Path | None


@dataclass
class EntryChange:
    """A glossary term or a data row, told in words."""

    kind: str  # "term", "event", "person", ...
    key: str
    words: str  # e.g. "start 23 October 1923 → 24 October 1923"
    before: str = ""  # HTML of long values with words marked, for the report
    after: str = ""

    def line(self) -> str:
        return f"{self.kind} {self.key}: {self.words}"


@dataclass
class BookChanges:
    pages: list[PageChanges]
    unchanged_pages: list[str]
    figures: list[FigureChange]
    entries: list[EntryChange]

    @property
    def empty(self) -> bool:
        return not (self.pages or self.figures or self.entries)


def compare_books(base_html: Path, head_html: Path, base_data: Path, head_data: Path) -> BookChanges:
    base_pages, head_pages = built_pages(base_html), built_pages(head_html)
    pages, unchanged, figures = [], [], []
    for page in sorted(base_pages.keys() | head_pages.keys()):
        before, after = base_pages.get(page), head_pages.get(page)
        changes = compare_page(page, before, after)
        page_figures = compare_figures(page, before, after, base_html, head_html)
        if changes.changed or changes.added or changes.removed or changes.renumbered:
            pages.append(changes)
        elif not page_figures:
            unchanged.append(changes.title)
        figures.extend(page_figures)
    entries = compare_glossaries(base_pages.values(), head_pages.values()) + compare_data(base_data, head_data)
    return BookChanges(pages, unchanged, figures, entries)


def built_pages(html_root: Path) -> dict[str, BeautifulSoup]:
    """The book's pages (not the index, the search page or the root's redirect), parsed."""
    pages = {
        str(path.relative_to(html_root)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(html_root.rglob("*.html"))
        if path.name not in NOT_PAGES and not path.relative_to(html_root).parts[0].startswith("_")
    }
    return {name: page for name, page in pages.items() if article(page) is not None}


def article(page: BeautifulSoup | None) -> Tag | None:
    return page.select_one("article.bd-article") if page is not None else None


def page_title(page: BeautifulSoup | None) -> str:
    body = article(page)
    heading = body.find("h1") if body is not None else None
    return plain_text(heading) if heading is not None else ""


def plain_text(tag: Tag) -> str:
    for link in tag.select("a.headerlink"):
        link.decompose()
    return " ".join(tag.get_text(" ").split())


def blocks(page: BeautifulSoup | None) -> list[Block]:
    body = article(page)
    if body is None:
        return []
    generated = {id(tag) for tag in body.select(GENERATED)}
    found = []
    for tag in body.find_all(BLOCKS):
        if any(id(parent) in generated for parent in tag.parents):
            continue
        if tag.find(BLOCKS) is not None:  # a block holding blocks: its inner ones are compared
            continue
        number = PARAGRAPH_NUMBER.match(tag.get("id", ""))
        found.append(Block(clean_html(tag), plain_text(tag), int(number.group(1)) if number else None))
    return found


def clean_html(tag: Tag) -> str:
    """The block's inner HTML for the report: links become their text and ids are dropped, so that
    the report neither points into a build it does not ship nor repeats an id."""
    copy = BeautifulSoup(str(tag), "html.parser").find(tag.name)
    for link in copy.find_all("a"):
        if "headerlink" in (link.get("class") or []):
            link.decompose()
        else:
            link.unwrap()
    for element in copy.find_all(True):
        element.attrs.pop("id", None)
    return copy.decode_contents().strip()


def compare_page(page: str, before: BeautifulSoup | None, after: BeautifulSoup | None) -> PageChanges:
    changes = PageChanges(page, page_title(after) or page_title(before) or page)
    old, new = blocks(before), blocks(after)
    matcher = SequenceMatcher(None, [b.text for b in old], [b.text for b in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.renumbered += [
                (o.number, n.number)
                for o, n in zip(old[i1:i2], new[j1:j2])
                if o.number is not None and n.number is not None and o.number != n.number
            ]
            continue
        pairs = min(i2 - i1, j2 - j1)
        changes.changed += [marked(o.html, n.html) for o, n in zip(old[i1 : i1 + pairs], new[j1 : j1 + pairs])]
        changes.removed += [o.html for o in old[i1 + pairs : i2]]
        changes.added += [n.html for n in new[j1 + pairs : j2]]
    return changes


def marked(before: str, after: str) -> Changed:
    """The two versions with changed words marked: deletions in the one, insertions in the other."""
    merged = htmldiff(before, after)
    return Changed(without(merged, "ins"), without(merged, "del"))


def without(merged: str, tag: str) -> str:
    fragment = lxml_html.fragment_fromstring(merged, create_parent="div")
    for element in fragment.findall(f".//{tag}"):
        element.drop_tree()
    text = lxml_html.tostring(fragment, encoding="unicode")
    return text[len("<div>") : -len("</div>")].strip()


def compare_figures(
    page: str, before: BeautifulSoup | None, after: BeautifulSoup | None, base_html: Path, head_html: Path
) -> list[FigureChange]:
    old, new = figures(before, base_html, page), figures(after, head_html, page)
    changes = []
    for figure_id in sorted(old.keys() | new.keys()):
        (old_image, old_caption), (new_image, new_caption) = old.get(figure_id, (None, "")), new.get(figure_id, (None, ""))
        same_image = old_image is not None and new_image is not None and old_image.read_bytes() == new_image.read_bytes()
        if not same_image or old_caption != new_caption:
            changes.append(FigureChange(page, figure_id, new_caption or old_caption, old_image, new_image))
    return changes


def figures(page: BeautifulSoup | None, html_root: Path, page_path: str) -> dict[str, tuple[Path | None, str]]:
    body = article(page)
    if body is None:
        return {}
    found = {}
    for figure in body.find_all("figure", id=True):
        image = figure.find("img")
        caption = figure.find("figcaption")
        source = (html_root / page_path).parent / image["src"] if image is not None else None
        found[figure["id"]] = (source.resolve() if source else None, plain_text(caption) if caption else "")
    return found


def compare_glossaries(before: list[BeautifulSoup], after: list[BeautifulSoup]) -> list[EntryChange]:
    old, new = glossary(before), glossary(after)
    changes = []
    for term in sorted(old.keys() | new.keys(), key=str.lower):
        if term not in old:
            changes.append(EntryChange("term", term, "added", after=new[term]))
        elif term not in new:
            changes.append(EntryChange("term", term, "removed", before=old[term]))
        elif plain_of(old[term]) != plain_of(new[term]):
            change = marked(old[term], new[term])
            changes.append(EntryChange("term", term, "definition changed", change.before, change.after))
    return changes


def glossary(pages) -> dict[str, str]:
    entries = {}
    for page in pages:
        body = article(page)
        for term in body.select("dl.glossary > dt") if body is not None else []:
            definition = term.find_next_sibling("dd")
            entries[plain_text(term)] = clean_html(definition) if definition is not None else ""
    return entries


def plain_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def compare_data(base_data: Path, head_data: Path) -> list[EntryChange]:
    changes = []
    for name in sorted({p.name for p in base_data.glob("*.csv")} | {p.name for p in head_data.glob("*.csv")}):
        noun = ROW_NOUN.get(Path(name).stem, f"{Path(name).stem} row")
        old, new = rows(base_data / name), rows(head_data / name)
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in new:
                changes.append(EntryChange(noun, key, "removed"))
            elif key not in old:
                changes.append(EntryChange(noun, key, "added"))
            elif old[key] != new[key]:
                changes.append(field_changes(noun, key, old[key], new[key]))
    return changes


def rows(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        key = "id" if "id" in (reader.fieldnames or []) else (reader.fieldnames or [""])[0]
        return {row.get(key) or "": row for row in reader}


def field_changes(noun: str, key: str, old: dict[str, str], new: dict[str, str]) -> EntryChange:
    words, before, after = [], [], []
    for name in [*old, *(n for n in new if n not in old)]:
        was, now = old.get(name) or "", new.get(name) or ""
        if was == now:
            continue
        if max(len(was), len(now)) <= SHORT_VALUE:
            words.append(f"{name} {readable(was)} → {readable(now)}")
        else:
            words.append(f"{name} changed")
            change = marked(escape(was), escape(now))
            before.append(f"<strong>{name}</strong>: {change.before}")
            after.append(f"<strong>{name}</strong>: {change.after}")
    return EntryChange(noun, key, "; ".join(words), "<br/>".join(before), "<br/>".join(after))


def readable(value: str) -> str:
    """A date as readers read it (23 October 1923); an empty value as '(none)'."""
    if not value:
        return "(none)"
    if ISO_DATE.match(value):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return f"{date.day} {date:%B %Y}"
    return value


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
