"""One PDF per part of the chapter, cut out of the print edition, so that a teacher can send one part.

Each holds the part's pages (its text, margin notes, figures and self-check), the glossary pages
that hold the entries of the terms it uses, and its answers from the back of the book. Every page
keeps its number from the book: the PDF's page labels are the printed folios, so "see p. 84" in
the text and the viewer's page box agree, and a class using the book and the part reads the same
numbers. The parts are the numbered chapters of ``_toc.yml``; "Reading the chapter", an
introduction to the whole chapter before the parts, is not one.

LaTeX says where things printed. ``latex.py`` writes ``\\studymark{<kind>:<key>}`` (``marks.mark``) at
each part's opening and at its answers, at every use of a glossary term, and at the first and last
line of each glossary entry; ``studybook.sty`` writes each to the .aux with the page it was shipped
out on, after floats and notes have found their place. A part (and its answers) runs from its mark
to the page before the next part or chapter opens, as the .toc gives them.

Pages keep their side of the sheet: where the next page taken would print on the wrong side in a
double-sided run (a left-hand glossary page after a part that ends on a left-hand page), a blank
page with an empty page label comes before it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import Destination

from .marks import ANSWERS, ENTRY, ENTRY_END, PART, USE

MARKED = re.compile(r"^\\studymarked\{([a-z-]+):(.*)\}\{(.*)\}$", re.MULTILINE)
# \contentsline {chapter}{<title>}{<page>}{<anchor>}%: where each part (of the book) and chapter opens
OPENING = re.compile(r"^\\contentsline \{(?:part|chapter)\}\{.*\}\{([^{}]*)\}\{[^{}]*\}%$", re.MULTILINE)
GLOSSARY_TITLE = "Glossary: the terms this part uses"
ANSWERS_TITLE = "Answers to the self-check"


@dataclass
class Part:
    number: int
    docname: str
    pages: list[int]  # indices of the print edition's pages
    answers: list[int] = field(default_factory=list)
    glossary: list[int] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.docname.rsplit("/", 1)[-1]


def part_file(target: Path, name: str, part: Part) -> Path:
    return target / f"{name}-part-{part.number}-{part.slug}.pdf"


def write_parts(book: Path, target: Path, name: str) -> list[Path]:
    """Cut the print edition ``book`` (with its .aux and .toc beside it) into ``target``/<name>-part-<n>-<slug>.pdf."""
    reader = PdfReader(book)
    written = []
    for part in find_parts(book.with_suffix(".aux"), book.with_suffix(".toc"), reader.page_labels):
        path = part_file(target, name, part)
        write_part(reader, part, path)
        written.append(path)
    return written


def find_parts(aux: Path, toc: Path, labels: list[str]) -> list[Part]:
    """Each part's pages, answers and glossary pages, from the marks in the .aux and the openings in the .toc."""
    index = {label: number for number, label in enumerate(labels)}
    marks: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for kind, key, page in MARKED.findall(aux.read_text(encoding="utf-8", errors="replace")):
        marks[kind].append((key, index[page]))
    openings = sorted({index[page] for page in OPENING.findall(toc.read_text(encoding="utf-8", errors="replace"))})

    def running_from(start: int) -> list[int]:
        return list(range(start, next((page for page in openings if page > start), len(labels))))

    entries: dict[str, set[int]] = defaultdict(set)
    ends = dict(marks[ENTRY_END])
    for term, start in marks[ENTRY]:
        entries[term].update(range(start, ends[term] + 1))
    answers = {docname: running_from(start) for docname, start in marks[ANSWERS]}
    parts = []
    for number, (docname, start) in enumerate(marks[PART], start=1):
        part = Part(number, docname, running_from(start), answers.get(docname, []))
        own = set(part.pages + part.answers)
        used = {term for term, page in marks[USE] if page in own}
        part.glossary = sorted(set().union(*(entries[term] for term in used if term in entries)) - own)
        parts.append(part)
    return parts


def write_part(reader: PdfReader, part: Part, path: Path) -> None:
    writer = PdfWriter()
    positions: dict[int, int] = {}  # book page -> its place in the part
    for page in sorted(part.pages + part.glossary + part.answers):
        if len(writer.pages) % 2 != page % 2:  # (the book's first page is a right-hand one)
            writer.add_blank_page()
        positions[page] = len(writer.pages)
        writer.add_page(reader.pages[page])
    label_pages(writer, reader.page_labels, positions)
    chapter, sections = chapter_bookmark(reader, part.pages[0]) or (None, [])
    title = str(chapter.title) if chapter else part.slug
    opening = writer.add_outline_item(f"{part.number} {title}", positions[part.pages[0]])
    copy_bookmarks(reader, writer, sections, positions, opening)
    if part.glossary:
        writer.add_outline_item(GLOSSARY_TITLE, positions[part.glossary[0]])
    if part.answers:
        writer.add_outline_item(ANSWERS_TITLE, positions[part.answers[0]])
    metadata = {str(key): str(value) for key, value in (reader.metadata or {}).items()}
    book_title = metadata.get("/Title")
    metadata["/Title"] = f"Part {part.number}: {title}" + (f" ({book_title})" if book_title else "")
    writer.add_metadata(metadata)
    writer.page_mode = "/UseOutlines"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer.write(out)


def label_pages(writer: PdfWriter, labels: list[str], positions: dict[int, int]) -> None:
    """Each page labelled with its folio in the book (arabic: the parts, the glossary and the answers
    are in the body of the book), one label range per run of consecutive pages; the blank pages
    between runs get an empty label."""
    runs: list[list[int]] = []
    for page in sorted(positions):
        if runs and runs[-1][-1] == page - 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    for run in runs:
        writer.set_page_label(positions[run[0]], positions[run[-1]], style=PageLabelStyle.DECIMAL, start=int(labels[run[0]]))
    for blank in set(range(len(writer.pages))) - set(positions.values()):
        writer.set_page_label(blank, blank, prefix="")


def bookmarks(outline: list) -> Iterator[tuple[Destination, list]]:
    """(bookmark, its children) at one level of an outline; pypdf keeps an item's children as the list
    that follows it."""
    for position, item in enumerate(outline):
        if not isinstance(item, list):
            following = outline[position + 1] if position + 1 < len(outline) else None
            yield item, following if isinstance(following, list) else []


def chapter_bookmark(reader: PdfReader, page: int, outline: list | None = None) -> tuple[Destination, list] | None:
    """The first bookmark, depth first, that opens on ``page``: the chapter's, which comes before its sections'."""
    for item, children in bookmarks(reader.outline if outline is None else outline):
        if reader.get_destination_page_number(item) == page:
            return item, children
        found = chapter_bookmark(reader, page, children)
        if found:
            return found
    return None


def copy_bookmarks(reader: PdfReader, writer: PdfWriter, outline: list, positions: dict[int, int], parent) -> None:
    for item, children in bookmarks(outline):
        page = reader.get_destination_page_number(item)
        if page in positions:
            copied = writer.add_outline_item(str(item.title), positions[page], parent=parent)
            copy_bookmarks(reader, writer, children, positions, copied)
