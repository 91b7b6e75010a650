"""The ``timeline`` directive (a Plotly figure of events) and ``timeline-table`` (the events as a table).

Both select rows of data/events.csv with the same options::

    :::{timeline}
    :theatres: britain, comintern
    :pages: britain-1926
    :events: 1926-general-strike
    :from: 1925-01-01
    :to: 1927-12-31
    :name: fig-britain-1926-timeline
    Caption: what the figure shows.
    :::

A ``timeline`` becomes a numbered figure whose image is a static SVG (web) or PDF
(print); on the web a small script swaps in the interactive chart when asked, and the
same events follow as a table in a disclosure (the text alternative).
"""

from __future__ import annotations

import json
import os
from datetime import date

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..checks.catalogue import StudybookWarning, did_you_mean, warn
from ..tables.extension import data_file, page_docname
from .figure import THEATRE_STYLES, build_figure, date_label
from .images import exporter, image_format


class timeline_chart(nodes.General, nodes.Element):  # noqa: N801
    """The interactive chart's data; written by the HTML builder only."""


class timeline_events(nodes.General, nodes.Element):  # noqa: N801
    """A figure's text alternative: its events as a table in a disclosure (HTML only)."""


def _list(argument: str) -> list[str]:
    values = [v.strip() for v in (argument or "").split(",") if v.strip()]
    if not values:
        raise ValueError("give at least one value, separated by commas")
    return values


def _date(argument: str) -> date:
    try:
        return date.fromisoformat((argument or "").strip())
    except ValueError:
        raise ValueError(f"'{argument}' is not a date; write it like 1926-05-04") from None


class TimelineMistakeError(Exception):
    """An option that selects nothing: reported once, and the directive gives no figure."""


class EventSelection(SphinxDirective):
    """Shared options and row selection of both directives."""

    option_spec = {
        "theatres": _list,
        "pages": _list,
        "events": _list,
        "from": _date,
        "to": _date,
    }

    def mistake(self, message: str) -> list[nodes.Node]:
        warn(StudybookWarning.TIMELINE, f"{self.name}: {message}", (self.env.docname, self.lineno))
        return []

    def selected_events(self) -> pd.DataFrame | None:
        """The rows the options select; None when data/events.csv did not load (its errors are reported)."""
        self.env.note_dependency(data_file(self.env, "events.csv")[0])
        events = self.env.studybook_events
        if events is None:
            return None
        theatres = self.env.studybook_theatres
        unknown = [theatre for theatre in self.options.get("theatres", []) if theatre not in theatres]
        if unknown:
            raise TimelineMistakeError(f":theatres: names {', '.join(unknown)}{did_you_mean(unknown[0], theatres)}; "
                                       f"use one of: {', '.join(theatres)}")
        for option, column in (("pages", "page"), ("events", "id")):
            known = set(events[column])
            unknown = sorted(set(self.options.get(option, [])) - known)
            if unknown:
                raise TimelineMistakeError(f":{option}: names {', '.join(unknown)}{did_you_mean(unknown[0], known)}, "
                                           f"which no row of data/events.csv has in its '{column}' column: "
                                           "check the spelling, or add the rows")
        keep = pd.Series(True, index=events.index)
        if "theatres" in self.options:
            keep &= events.theatre.isin(self.options["theatres"])
        if "pages" in self.options:
            keep &= events.page.isin(self.options["pages"])
        if "events" in self.options:
            keep &= events.id.isin(self.options["events"])
        if "from" in self.options:
            keep &= events.end_date.fillna(events.start_date) >= pd.Timestamp(self.options["from"])
        if "to" in self.options:
            keep &= events.start_date <= pd.Timestamp(self.options["to"])
        selected = events[keep]
        if selected.empty:
            raise TimelineMistakeError("these options select no event from data/events.csv")
        return selected

    def events_table(self, events: pd.DataFrame) -> nodes.table:
        """Date | Event (linked to its page) | Theatre | Sources."""
        table = nodes.table(classes=["timeline-table"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (17, 45, 17, 21):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row([nodes.Text(h) for h in ("Date", "Event", "Theatre", "Sources")])
        body = nodes.tbody()
        group += body
        anchored = self.env.temp_data.setdefault("studybook_event_anchors", set())  # per page
        for event in events.itertuples():
            link = addnodes.pending_xref("", refdomain="std", reftype="doc", refexplicit=True,
                                         reftarget="/" + page_docname(self.env, event.page))
            link += nodes.strong(event.title, event.title)
            body += self._row(
                [nodes.Text(date_label(event)),
                 [link, nodes.Text(": " + event.description)],
                 nodes.Text(THEATRE_STYLES[event.theatre][0]),
                 self._sources(event.sources)],
                ids=[] if event.id in anchored else [f"event-{event.id}"],
            )
            anchored.add(event.id)
        return table

    def _sources(self, sources: str) -> list[nodes.Node]:
        parts: list[nodes.Node] = []
        for number, source in enumerate(s.strip() for s in sources.split(";") if s.strip()):
            if number:
                parts.append(nodes.Text("; "))
            if source.startswith(("https://", "http://")):
                host = source.split("/")[2].removeprefix("www.")
                parts.append(nodes.reference(source, host, refuri=source))
            else:
                cite, _ = self.env.get_domain("cite").roles["p"]("cite:p", f"{{cite:p}}`{source}`", source,
                                                                  self.lineno, self.state.inliner)
                parts.extend(cite)
        return parts

    @staticmethod
    def _row(cells, ids=None) -> nodes.row:
        row = nodes.row(ids=ids or [])
        for content in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph.extend(content if isinstance(content, list) else [content])
            entry += paragraph
            row += entry
        return row


class TimelineDirective(EventSelection):
    has_content = True
    option_spec = {**EventSelection.option_spec, "name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        if not self.content:
            return self.mistake("write a caption in the directive's body (what the figure shows)")
        try:
            events = self.selected_events()
        except TimelineMistakeError as exc:
            return self.mistake(str(exc))
        if events is None:
            return self.placeholder()
        figure = build_figure(events)
        image_path = exporter(self.env.app).image_for(figure, image_format(self.env.app))
        doc_dir = os.path.dirname(self.env.doc2path(self.env.docname))
        first, last = events.start_date.min().year, events.end_date.fillna(events.start_date).max().year
        caption_text = " ".join(self.content)
        caption, messages = self.state.inline_text(caption_text, self.lineno)
        plain_caption = "".join(part.astext() for part in caption)  # alt text shows no *markup*
        alt = f"Timeline of {len(events)} events, {first}–{last}. {plain_caption}"

        node = nodes.figure(classes=["timeline"])
        self.set_source_info(node)
        self.add_name(node)
        # lazy: a phone renders the SVG on its main thread, so only once the reader scrolls near it
        node += nodes.image(uri=os.path.relpath(image_path, doc_dir), alt=alt, loading="lazy",
                            classes=["timeline-preview"])
        node += timeline_chart(figure=figure.to_plotly_json(), pages=sorted(set(events.page)))
        node += nodes.caption(caption_text, "", *caption)
        alternative = timeline_events()
        alternative += self.events_table(events)
        return [node, alternative, *messages]

    def placeholder(self) -> list[nodes.Node]:
        """A figure with the caption only, while data/events.csv has errors: its :name: still exists,
        so references to it do not add false warnings to the real one."""
        node = nodes.figure(classes=["timeline"])
        self.set_source_info(node)
        self.add_name(node)
        caption, messages = self.state.inline_text(" ".join(self.content), self.lineno)
        node += nodes.caption("", "", *caption)
        return [node, *messages]


class TimelineTableDirective(EventSelection):
    def run(self) -> list[nodes.Node]:
        try:
            events = self.selected_events()
        except TimelineMistakeError as exc:
            return self.mistake(str(exc))
        return [] if events is None else [self.events_table(events)]


def visit_timeline_chart_html(self, node: timeline_chart) -> None:
    here = self.builder.current_docname
    payload = {
        "figure": node["figure"],
        "links": {page: self.builder.get_relative_uri(here, page_docname(self.builder.env, page))
                  for page in node["pages"]},
    }
    # "</" and "<!--" cannot end or confuse a JSON script block once "<" is escaped.
    data = json.dumps(payload, separators=(",", ":"), default=str).replace("<", "\\u003c")
    self.body.append(
        # The visible text is the button's name (an aria-label that differs fails axe's label-content-name-mismatch).
        '<button type="button" class="timeline-activate">Interactive chart</button>'
        f'<script type="application/json" class="timeline-data">{data}</script>'
    )
    raise nodes.SkipNode


def visit_timeline_events_html(self, node: timeline_events) -> None:
    count = len(node.next_node(nodes.tbody).children)
    self.body.append(f'<details class="timeline-events"><summary>The {count} events of this figure as a table</summary>')


def depart_timeline_events_html(self, node: timeline_events) -> None:
    self.body.append("</details>")


def skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_timeline(app: Sphinx) -> None:
    app.add_directive("timeline", TimelineDirective)
    app.add_directive("timeline-table", TimelineTableDirective)
    others = {fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(timeline_chart, html=(visit_timeline_chart_html, None), **others)
    app.add_node(timeline_events, html=(visit_timeline_events_html, depart_timeline_events_html), **others)
