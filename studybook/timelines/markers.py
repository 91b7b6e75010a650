"""The ``event`` role: ``{event}`1923-hamburg-rising``` marks the paragraph that tells an event's story.

The paragraph gets the anchor ``tells-<id>``, which the figures and the timeline tables link to; the
role itself shows as a small link back to the event's row in the Chronology (web) and as a page
label (print, so the Chronology can give the paragraph's page). Once every page is read, the build
warns about an event whose page marks other events but not this one.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxRole

from ..checks.catalogue import StudybookWarning, did_you_mean, warn
from ..checks.mistakes import role_location
from ..domain import book_domain
from ..state import book_data, build_run
from ..tables.extension import data_file, loaded, page_docname
from .figure import date_label

CHRONOLOGY = "chronology"  # the page whose timeline-table lists every event


def paragraph_anchor(event_id: str) -> str:
    return f"tells-{event_id}"


def row_anchor(event_id: str) -> str:
    return f"event-{event_id}"


class event_marker(nodes.Inline, nodes.Element):  # noqa: N801
    """Where a paragraph is marked as telling an event."""


class event_page_ref(nodes.Inline, nodes.Element):  # noqa: N801
    """The page of an event's paragraph, in the printed Chronology."""


class EventRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        event_id = self.text.strip()
        self.env.note_dependency(data_file(self.env, "events.csv")[0])
        events = book_data(self.env).events
        if events is None:  # the table is broken, and the build already says where
            return [], []
        if event_id not in set(events.id):
            warn(
                StudybookWarning.EVENT,
                f"unknown event '{event_id}'{did_you_mean(event_id, events.id)}: check the "
                "spelling against the id column of data/events.csv, or add a row there if the event is new",
                role_location(self),
            )
            return [], []
        event = events[events.id == event_id].iloc[0]
        book_domain(self.env).note_event_marker(event_id, self.env.docname)
        node = event_marker(event_id=event_id, label=event.label, date=date_label(event))
        self.set_source_info(node)
        return [node], []


def anchor_paragraphs(app: Sphinx, doctree: nodes.document) -> None:
    """Give each marked paragraph its anchor (the first marker of an event wins)."""
    for marker in doctree.findall(event_marker):
        paragraph = marker.parent
        while paragraph is not None and not isinstance(paragraph, nodes.paragraph):
            paragraph = paragraph.parent
        anchor = paragraph_anchor(marker["event_id"])
        if paragraph is not None and anchor not in doctree.ids:
            paragraph["ids"].insert(0, anchor)  # the first id is the element's own (a :target)
            paragraph["classes"].append("tells-event")
            doctree.ids[anchor] = paragraph


def event_target(env: BuildEnvironment, event) -> tuple[str, str]:
    """(docname, anchor) a link to an event goes to: its paragraph (on its own page, if several pages
    mark it), or else its row on its page."""
    own_page = page_docname(env, event.page)
    marked_in = book_domain(env).pages_marking(event.id)
    if marked_in:
        return (own_page if own_page in marked_in else marked_in[0]), paragraph_anchor(event.id)
    return own_page, row_anchor(event.id)


def check_markers(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn at the event's row when its page marks other events but not this one."""
    events = book_data(env).events
    if events is None:
        return
    domain = book_domain(env)
    marking_pages = {page for event_id in events.id for page in domain.pages_marking(event_id)}
    relative, _ = data_file(env, "events.csv")
    for event in events.itertuples():
        page = page_docname(env, event.page)
        if page in marking_pages and not domain.pages_marking(event.id):
            warn(
                StudybookWarning.EVENT,
                f"no paragraph of {event.page}.md tells this event: add {{event}}`{event.id}` to the paragraph that does",
                f"{relative}:{event.line}",
            )


def remember_markers(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    build_run(app).markers_before = book_domain(env).marker_map()


def rewrite_event_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """When the pages read again add, drop or move a marker, write again the pages whose links point at
    marked paragraphs (the Chronology, the part pages' figures and tables, the Who's who): Sphinx alone
    would write only the pages it read."""
    domain = book_domain(env)
    if domain.marker_map() == build_run(app).markers_before:
        return []
    return domain.list_pages("events")


def resolve_event_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Point the tables' event links at the paragraphs, now that every page has been read; print
    has no links but the paragraph's page number (``event_page_ref``)."""
    events = loaded(book_data(app.env).events)
    by_id = events.set_index("id", drop=False) if not events.empty else events  # looked up, not scanned per link
    for link in list(doctree.findall(lambda n: isinstance(n, nodes.reference) and "event_id" in n)):
        if app.builder.format == "latex" or events.empty:
            link.replace_self(link.children)
            continue
        target_doc, anchor = event_target(app.env, by_id.loc[link["event_id"]])
        uri = "" if target_doc == docname else app.builder.get_relative_uri(docname, target_doc)
        link["refuri"] = f"{uri}#{anchor}"


def visit_marker_html(self, node: event_marker) -> None:
    here = self.builder.current_docname
    chronology = page_docname(self.builder.env, CHRONOLOGY)
    if chronology in self.builder.env.all_docs:
        uri = self.builder.get_relative_uri(here, chronology) + "#" + row_anchor(node["event_id"])
        self.body.append(
            f'<a class="event-backlink" href="{self.attval(uri)}">'
            f'<span class="visually-hidden">{self.encode(node["date"])}: </span>'
            f"{self.encode(node['label'])}"
            '<span class="visually-hidden"> in the Chronology</span></a>'
        )
    raise nodes.SkipNode


def visit_marker_latex(self, node: event_marker) -> None:
    self.body.append(rf"\phantomsection\label{{studybook-event-{node['event_id']}}}")
    raise nodes.SkipNode


def visit_page_ref_latex(self, node: event_page_ref) -> None:
    self.body.append(rf" (p.~\pageref{{studybook-event-{node['event_id']}}})")
    raise nodes.SkipNode


def skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_markers(app: Sphinx) -> None:
    app.add_role("event", EventRole())
    app.connect("doctree-resolved", resolve_event_links)
    app.connect("doctree-read", anchor_paragraphs)
    app.connect("env-check-consistency", check_markers)
    app.connect("env-before-read-docs", remember_markers)
    app.connect("env-get-updated", rewrite_event_pages)
    others: dict[str, Any] = {fmt: (skip, None) for fmt in ("text", "man", "texinfo")}
    app.add_node(event_marker, html=(visit_marker_html, None), latex=(visit_marker_latex, None), **others)
    app.add_node(event_page_ref, html=(skip, None), latex=(visit_page_ref_latex, None), **others)
