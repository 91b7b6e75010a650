"""The ``person`` role and the ``people`` directive (the Who's who).

``{person}`trotsky``` links the name to the Who's who entry, adds an index entry
and records on which pages the person appears; ``{people}`` renders data/people.csv
with one anchor (``person-<id>``) per person, the person's sources as citations and an "Appears in" line.
"""

from __future__ import annotations

import unicodedata
from typing import cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import make_id, split_explicit_title

from .checks.catalogue import StudybookWarning, did_you_mean, warn
from .checks.mistakes import role_location
from .citations import source_citations
from .domain import book_domain
from .state import book_data, build_run
from .tables.extension import data_file, loaded
from .tables.load import event_people
from .timelines.figure import date_label
from .titles import title_nodes


class appearances(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a person's 'Appears in' line, filled once every page has been read."""


def alphabetical(name: str) -> str:
    """Sort key that files Thälmann with Thalheimer, not after Thomas."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def person_label(person_id: str) -> str:
    return f"person-{person_id}"


class PersonRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        has_title, title, person_id = split_explicit_title(self.text)
        people = book_data(self.env).people
        self.env.note_dependency(data_file(self.env, "people.csv")[0])
        if people is None:  # data/people.csv has errors, reported once; every name would look unknown
            return [nodes.inline(self.rawtext, title)], []
        if person_id not in people.index:
            warn(
                StudybookWarning.PERSON,
                f"unknown person '{person_id}'{did_you_mean(person_id, people.index)}: "
                "check the spelling against the id column of data/people.csv, or add a row there if the person "
                "is new",
                role_location(self),
            )
            return [nodes.inline(self.rawtext, title)], []
        person = people.loc[person_id]
        text = title if has_title else person["name"]
        target_id = make_id(self.env, self.inliner.document, "person", person_id)
        book_domain(self.env).note_mention(person_id, self.env.docname, target_id)
        index = addnodes.index(entries=[("single", person["sort_name"], target_id, "", None)])
        target = nodes.target("", "", ids=[target_id])
        ref = addnodes.pending_xref(
            self.rawtext, refdomain="std", reftype="ref", refexplicit=True, reftarget=person_label(person_id), refwarn=True
        )
        ref += nodes.inline(text, text, classes=["person"])
        return [index, target, ref], []


class PeopleDirective(SphinxDirective):
    """Render the Who's who from data/people.csv."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(data_file(self.env, "people.csv")[0])
        book_domain(self.env).note_list_page(self.env.docname, "people")
        people = loaded(book_data(self.env).people)
        if people.empty:
            return []
        std = cast(StandardDomain, self.env.get_domain("std"))
        entries = nodes.definition_list(classes=["people"])
        for person in people.sort_values("sort_name", key=lambda names: names.map(alphabetical)).itertuples():
            label = person_label(person.id)
            term = nodes.term("", "", ids=[label])
            term += nodes.strong(person.name, person.name)
            term += nodes.Text(f" ({person.born}–{person.died})")
            std.note_hyperlink_target(label, self.env.docname, label, person.name)
            index = addnodes.index(entries=[("single", person.sort_name, label, "main", None)])
            definition = nodes.definition()
            definition += nodes.paragraph("", person.roles.replace(";", " ·"), classes=["roles"])
            definition += nodes.paragraph("", person.description)
            definition += nodes.paragraph("", "Sources: ", *source_citations(self, person.sources), classes=["sources"])
            definition += appearances(person_id=person.id)
            definition += self._events(person.id)
            item = nodes.definition_list_item("", index, term, definition)
            self.set_source_info(item)
            entries += item
        return [entries]

    def _events(self, person_id: str) -> list[nodes.Node]:
        """ "Events: 21 January 1924, Lenin dies at Gorki; …": the events data/events.csv names the
        person in, in time order, each linked to the paragraph that tells it."""
        events = loaded(book_data(self.env).events)
        if events.empty:
            return []
        self.env.note_dependency(data_file(self.env, "events.csv")[0])
        book_domain(self.env).note_list_page(self.env.docname, "events")
        line = nodes.paragraph("", "Events: ", classes=["person-events"])
        for event in events[events.people.map(lambda cell: person_id in event_people(cell))].itertuples():
            if len(line) > 1:
                line += nodes.Text("; ")
            line += nodes.Text(f"{date_label(event)}, ")
            line += nodes.reference("", event.title, event_id=event.id, internal=True)  # resolved by the timelines
        return [line] if len(line) > 1 else []


def fill_appearances(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """ "Appears in: Germany 1923 and Lessons of October, …": the chapters that name the person, each
    linked to the first mention (in print its chapter and page: "(chapter 1, p. 14)"); not the home
    page, which is the book's own opening under the book's title, not a chapter a reader turns to."""
    domain = book_domain(app.env)
    for node in doctree.findall(appearances):
        order = reading_order(app.env)
        mentions = domain.mentions_of(node["person_id"])
        mentions.pop(app.env.config.root_doc, None)
        pages = sorted(mentions, key=lambda doc: order.get(doc, len(order)))
        if not pages:
            node.replace_self([])
            continue
        line = nodes.paragraph("", "Appears in: ", classes=["appears-in"])
        for number, page in enumerate(pages):
            if number:
                line += nodes.Text(", ")
            uri = f"{app.builder.get_relative_uri(docname, page)}#{mentions[page]}"
            line += nodes.reference("", "", *title_nodes(app.env, page), internal=True, refuri=uri)
        node.replace_self(line)


def reading_order(env: BuildEnvironment) -> dict[str, int]:
    """Position of each page in the table of contents, front to back."""
    order: dict[str, int] = {}

    def visit(docname: str) -> None:
        if docname not in order:
            order[docname] = len(order)
            for child in env.toctree_includes.get(docname, []):
                visit(child)

    visit(env.config.root_doc)
    return order


def remember_mentions(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    build_run(app).mentions_before = book_domain(env).mention_map()


def rewrite_people_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """When the pages read again add or drop a mention, write the Who's who again too (its "Appears in"
    lines); otherwise not, which spares a live-preview rebuild the book's longest page."""
    domain = book_domain(env)
    if domain.mention_map() == build_run(app).mentions_before:
        return []
    return domain.list_pages("people")


def setup_people(app: Sphinx) -> None:
    app.add_role("person", PersonRole())
    app.add_directive("people", PeopleDirective)
    app.add_node(appearances)
    app.connect("env-before-read-docs", remember_mentions)
    app.connect("env-get-updated", rewrite_people_pages)
    app.connect("doctree-resolved", fill_appearances)
