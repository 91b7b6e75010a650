"""What the book remembers across pages, kept as Sphinx keeps its own: in a Domain.

A parallel build reads pages in several processes; each process's domain data is merged back
(``merge_domaindata``), and a page read again first drops what it recorded (``clear_doc``).
The model is Sphinx's own ``ext/todo.py`` and sphinxcontrib-bibtex's ``domain.py``.

Stored: on which pages each person is mentioned (``{person}``), which pages mark the paragraph
that tells an event (``{event}``), and which pages hold the book's generated lists
(``{people}``) or link events to their paragraphs (timelines, their tables, the Who's who), so
that they are written again when a mention or a marker changes, and which numbered paragraph
carries which label (``{para}``), and which static images the timelines of each page need
(exported after reading, timelines/images.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment


class BookDomain(Domain):
    name = "studybook"
    label = "Study edition"
    initial_data: dict = {
        "mentions": {},  # person id -> {docname: anchor of the first mention on the page}
        "event_markers": {},  # event id -> {docname: True}
        "list_pages": {},  # docname -> {"people": True, "events": True}: pages whose generated lists depend on other pages
        "self_checks": {},  # docname -> {"events"|"terms"|"people": {id: None}}: what its self-check draws on
        "paragraph_labels": {},  # docname -> {label: number}: labelled numbered paragraphs ({para})
        "figure_images": {},  # docname -> {image path: how to export it}: its timelines' static images
    }

    def note_mention(self, person_id: str, docname: str, anchor: str) -> None:
        self.data["mentions"].setdefault(person_id, {}).setdefault(docname, anchor)

    def note_event_marker(self, event_id: str, docname: str) -> None:
        self.data["event_markers"].setdefault(event_id, {})[docname] = True

    def pages_marking(self, event_id: str) -> list[str]:
        """The pages that mark the event, in a fixed order (parallel reading merges in any order)."""
        return sorted(self.data["event_markers"].get(event_id, {}))

    def note_list_page(self, docname: str, kind: str) -> None:
        self.data["list_pages"].setdefault(docname, {})[kind] = True

    def marker_map(self) -> dict[str, frozenset[str]]:
        return {event: frozenset(pages) for event, pages in self.data["event_markers"].items() if pages}

    def mentions_of(self, person_id: str) -> dict[str, str]:
        """Page -> anchor of the person's first mention there."""
        return dict(self.data["mentions"].get(person_id, {}))

    def mention_map(self) -> dict[str, frozenset[tuple[str, str]]]:
        return {person: frozenset(pages.items()) for person, pages in self.data["mentions"].items() if pages}

    def list_pages(self, kind: str) -> list[str]:
        return [docname for docname, kinds in self.data["list_pages"].items() if kind in kinds]

    def note_self_check(self, docname: str, events: dict, terms: dict, people: dict) -> None:
        self.data["self_checks"][docname] = {"events": events, "terms": terms, "people": people}

    def self_check_offer(self, docname: str) -> dict:
        return self.data["self_checks"][docname]

    def self_check_pages(self) -> list[str]:
        return sorted(self.data["self_checks"])

    def note_paragraph_label(self, docname: str, label: str, number: int) -> None:
        self.data["paragraph_labels"].setdefault(docname, {})[label] = number

    def paragraph_number(self, docname: str, label: str) -> int | None:
        return self.data["paragraph_labels"].get(docname, {}).get(label)

    def paragraph_labels(self) -> list[tuple[str, str]]:
        return sorted((docname, label) for docname, labels in self.data["paragraph_labels"].items() for label in labels)

    def note_figure_image(self, docname: str, path: str, export: dict) -> None:
        self.data["figure_images"].setdefault(docname, {})[path] = export

    def figure_images(self) -> dict[str, dict]:
        """Image path -> how to export it, for every page's timelines."""
        return {path: export for images in self.data["figure_images"].values() for path, export in images.items()}

    def clear_doc(self, docname: str) -> None:
        for pages in [*self.data["mentions"].values(), *self.data["event_markers"].values()]:
            pages.pop(docname, None)
        self.data["list_pages"].pop(docname, None)
        self.data["self_checks"].pop(docname, None)
        self.data["paragraph_labels"].pop(docname, None)
        self.data["figure_images"].pop(docname, None)

    def merge_domaindata(self, docnames: Collection[str], otherdata: dict) -> None:
        for person_id, pages in otherdata["mentions"].items():
            for docname in _only(pages, docnames):
                self.note_mention(person_id, docname, pages[docname])
        for event_id, pages in otherdata["event_markers"].items():
            for docname in _only(pages, docnames):
                self.note_event_marker(event_id, docname)
        for docname in _only(otherdata["list_pages"], docnames):
            for kind in otherdata["list_pages"][docname]:
                self.note_list_page(docname, kind)
        for docname in _only(otherdata["self_checks"], docnames):
            self.data["self_checks"][docname] = otherdata["self_checks"][docname]
        for docname in _only(otherdata["paragraph_labels"], docnames):
            for label, number in otherdata["paragraph_labels"][docname].items():
                self.note_paragraph_label(docname, label, number)
        for docname in _only(otherdata["figure_images"], docnames):
            self.data["figure_images"][docname] = otherdata["figure_images"][docname]


def _only(pages: Iterable[str], docnames: Collection[str]) -> list[str]:
    return [docname for docname in pages if docname in docnames]


def book_domain(env: BuildEnvironment) -> BookDomain:
    return env.get_domain(BookDomain.name)  # type: ignore[return-value]
