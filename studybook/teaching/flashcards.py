"""Flashcards: an Anki deck and a plain CSV from the glossary and the Who's who.

A Sphinx builder (``flashcards``), so the cards come from the same reading of the chapters and
data as the book: one card per glossary term (term -> its definition's first paragraph) and two
per person (name -> role and dates, and the reverse), each tagged with the part pages that use
the term or name the person (what the self-checks record in the Domain). The deck is written
with genanki; its ids are fixed, so a new deck updates the cards a reader has already imported.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.errors import ExtensionError

from ..domain import book_domain
from ..tables.extension import page_docname
from .selfcheck import GLOSSARY

DECK_ID = 1_926_050_412  # fixed: Anki matches decks and notes by id
DECK_NAME = "Trotsky and the World Revolution"
GENANKI = "genanki==0.13.1"


@dataclass
class Card:
    kind: str  # term or person
    front: str
    back: str
    tags: list[str]


def part_tags(builder: Builder, kind: str) -> dict[str, list[str]]:
    """term (lower case) or person id -> the parts (page names) whose text uses it."""
    tags: dict[str, list[str]] = {}
    domain = book_domain(builder.env)
    for page in domain.self_check_pages():
        for key in domain.self_check_offer(page)[kind]:
            tags.setdefault(key.lower() if kind == "terms" else key, []).append(page.rsplit("/", 1)[-1])
    return tags


def cards(builder: Builder) -> Iterator[Card]:
    env = builder.env
    docname = page_docname(env, GLOSSARY)
    term_tags = part_tags(builder, "terms")
    if docname in env.all_docs:
        for item in env.get_doctree(docname).findall(nodes.definition_list_item):
            term = next(iter(item.findall(nodes.term)), None)
            definition = next(iter(item.findall(nodes.paragraph)), None)
            if term is not None and definition is not None:
                name = term.astext().strip()
                yield Card("term", name, " ".join(definition.astext().split()), term_tags.get(name.lower(), []))
    people_tags = part_tags(builder, "people")
    for person_id, person in env.studybook_people.sort_values("sort_name").iterrows():
        about = f"{person['roles'].replace(';', ' ·')} ({person['born']}–{person['died']})"
        yield Card("person", person["name"], about, people_tags.get(person_id, []))


class FlashcardsBuilder(Builder):
    name = "flashcards"
    format = "flashcards"
    epilog = "The flashcards are in %(outdir)s."

    def get_outdated_docs(self) -> str:
        return "all flashcards"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        found = list(cards(self))
        outdir = Path(self.outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        with open(outdir / "flashcards.csv", "w", newline="", encoding="utf-8") as table:
            writer = csv.writer(table)
            writer.writerow(["kind", "front", "back", "tags"])
            writer.writerows([card.kind, card.front, card.back, " ".join(card.tags)] for card in found)
        write_deck(found, outdir / "flashcards.apkg")


def write_deck(found: list[Card], path: Path) -> None:
    try:
        import genanki
    except ImportError as missing:
        raise ExtensionError(
            f"the flashcards need genanki: add {GENANKI} to requirements.in and requirements.txt and install them"
        ) from missing
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for card in found:
        model = genanki.BASIC_MODEL if card.kind == "term" else genanki.BASIC_AND_REVERSED_CARD_MODEL
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[html.escape(card.front), html.escape(card.back)],
                guid=genanki.guid_for(card.kind, card.front),
                tags=card.tags,
            )
        )
    genanki.Package(deck).write_to_file(str(path))


def setup_flashcards(app: Sphinx) -> None:
    app.add_builder(FlashcardsBuilder)
