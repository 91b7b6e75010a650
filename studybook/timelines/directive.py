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
same events follow as a table in a disclosure (the text alternative). A figure whose page lists
the same events in a ``timeline-table`` further down (the Chronology) says ``:table-below:``: its
text alternative is then that table, which the page would otherwise carry twice, and its disclosure
keeps only the shaded periods.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..checks.catalogue import StudybookWarning, did_you_mean, warn
from ..citations import source_citations
from ..domain import book_domain
from ..people import person_label
from ..state import book_data
from ..tables.extension import data_file, loaded
from ..tables.load import event_people
from .figure import MONTHS, THEATRE_STYLES, build_figure, date_label
from .images import EXPORT_WIDTH, planned_image, setup_images
from .markers import event_page_ref, event_target, row_anchor, setup_markers


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
        book_domain(self.env).note_list_page(self.env.docname, "events")  # its links follow the markers
        events = book_data(self.env).events
        if events is None:
            return None
        theatres = book_data(self.env).theatres
        unknown = [theatre for theatre in self.options.get("theatres", []) if theatre not in theatres]
        if unknown:
            raise TimelineMistakeError(
                f":theatres: names {', '.join(unknown)}{did_you_mean(unknown[0], theatres)}; use one of: {', '.join(theatres)}"
            )
        for option, column in (("pages", "page"), ("events", "id")):
            known = set(events[column])
            unknown = sorted(set(self.options.get(option, [])) - known)
            if unknown:
                raise TimelineMistakeError(
                    f":{option}: names {', '.join(unknown)}{did_you_mean(unknown[0], known)}, "
                    f"which no row of data/events.csv has in its '{column}' column: "
                    "check the spelling, or add the rows"
                )
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

    def events_table(self, events: pd.DataFrame, caption: str) -> nodes.table:
        """Date (a row header) | Event (linked to the paragraph that tells it) | Theatre | Sources."""
        table = nodes.table(classes=["timeline-table"])
        table += nodes.title(caption, caption)
        group = nodes.tgroup(cols=4)
        table += group
        for width in (17, 45, 17, 21):
            group += nodes.colspec(colwidth=width)
        group[0]["stub"] = 1  # the date heads its row (<th scope="row">)
        head = nodes.thead()
        group += head
        head += self._row([nodes.Text(h) for h in ("Date", "Event", "Theatre", "Sources")])
        body = nodes.tbody()
        group += body
        anchored = self.env.temp_data.setdefault("studybook_event_anchors", set())  # per page
        for event in events.itertuples():
            # resolved once every page is read (markers.resolve_event_links)
            link = nodes.reference("", "", event_id=event.id, internal=True)
            link += nodes.strong(event.title, event.title)
            body += self._row(
                [
                    nodes.Text(date_label(event)),
                    [link, event_page_ref(event_id=event.id), nodes.Text(": " + event.description), *self._people(event.people)],
                    nodes.Text(THEATRE_STYLES[event.theatre][0]),
                    source_citations(self, event.sources),
                ],
                ids=[] if event.id in anchored else [row_anchor(event.id)],
            )
            anchored.add(event.id)
        return table

    def _people(self, people: str) -> list[nodes.Node]:
        """ " With: Lenin, Trotsky.", each name linked to its Who's who entry."""
        names = loaded(book_data(self.env).people).get("name", pd.Series(dtype=str))
        parts: list[nodes.Node] = []
        for number, person in enumerate(p for p in event_people(people) if p in names.index):
            parts.append(nodes.Text(" With: " if number == 0 else ", "))
            ref = addnodes.pending_xref(
                "", refdomain="std", reftype="ref", refexplicit=True, reftarget=person_label(person), refwarn=True
            )
            ref += nodes.inline(names[person], names[person], classes=["person"])
            parts.append(ref)
        return [*parts, nodes.Text(".")] if parts else []

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
    option_spec = {
        **EventSelection.option_spec,
        "name": directives.unchanged,
        "detail": _date,
        "turning-points": _list,
        "table-below": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        if not self.content:
            return self.mistake("write a caption in the directive's body (what the figure shows)")
        try:
            events = self.selected_events()
        except TimelineMistakeError as exc:
            return self.mistake(str(exc))
        if events is None:
            return self.placeholder()
        unknown = set(self.options.get("turning-points", [])) - set(events.id)
        if unknown:
            return self.mistake(f":turning-points: names {', '.join(sorted(unknown))}, which this figure does not show")
        periods = self.selected_periods(events)
        detail = pd.Timestamp(self.options["detail"]) if "detail" in self.options else None
        figure = build_figure(events, periods, detail, frozenset(self.options.get("turning-points", [])))
        caption_text = " ".join(self.content)
        caption, messages = self.state.inline_text(caption_text, self.lineno)

        node = nodes.figure(classes=["timeline"])
        self.set_source_info(node)
        self.add_name(node)
        # lazy: a phone renders the SVG on its main thread, so only once the reader scrolls near it
        node += planned_image(
            self.env,
            figure,
            {
                "alt": figure_summary(events, periods),
                "loading": "lazy",
                "classes": ["timeline-preview"],
                "size": (EXPORT_WIDTH["svg"], figure.layout.height),  # of the SVG; the PDF is scaled to the text width
            },
        )
        node += timeline_chart(
            figure=figure.to_plotly_json(),
            events=events.id.tolist(),
            order=_keyboard_order(events),
            details=_event_details(events),
        )
        node += nodes.caption(caption_text, "", *caption)
        alternative = timeline_events(events=events.id.tolist(), table_below="table-below" in self.options)
        self.set_source_info(alternative)
        if not alternative["table_below"]:
            alternative += self.events_table(events, "The figure's events, in time order")
        if not periods.empty:
            alternative += periods_table(periods)
        return [node, alternative, *messages]

    def selected_periods(self, events: pd.DataFrame) -> pd.DataFrame:
        """The periods that overlap the figure's time range, in its theatres or in all."""
        self.env.note_dependency(data_file(self.env, "periods.csv")[0])
        periods = loaded(book_data(self.env).periods)
        if periods.empty:
            return periods
        first, last = events.start_date.min(), events.end_date.fillna(events.start_date).max()
        keep = (periods.end_date >= first) & (periods.start_date <= last)
        keep &= periods.theatre.isin([*events.theatre.unique(), "all"])
        return periods[keep]

    def placeholder(self) -> list[nodes.Node]:
        """A figure with the caption only, while data/events.csv has errors: its :name: still exists,
        so references to it do not add false warnings to the real one."""
        node = nodes.figure(classes=["timeline"])
        self.set_source_info(node)
        self.add_name(node)
        caption, messages = self.state.inline_text(" ".join(self.content), self.lineno)
        node += nodes.caption("", "", *caption)
        return [node, *messages]


def _keyboard_order(events: pd.DataFrame) -> list[list]:
    """[id, accessible name] of each event, in time order (the order keyboard focus moves in)."""
    return [[e.id, f"{e.title}, {date_label(e)}"] for e in events.sort_values(["start_date", "id"]).itertuples()]


def _event_details(events: pd.DataFrame) -> dict[str, list[str]]:
    """id -> [theatre, month key, month name, title, date] for the live chart's theatre filter and its
    "also in that month" list (a year for events dated to the year only)."""
    details = {}
    for e in events.itertuples():
        day = e.start_date
        month = [str(day.year)] * 2 if e.precision == "year" else [f"{day:%Y-%m}", f"{MONTHS[day.month - 1]} {day.year}"]
        details[e.id] = [THEATRE_STYLES[e.theatre][0], *month, e.title, date_label(e)]
    return details


def figure_summary(events: pd.DataFrame, periods: pd.DataFrame) -> str:
    """The preview's alt text: what the figure shows (the caption, read next, says what it means)."""
    first, last = events.start_date.min().year, events.end_date.fillna(events.start_date).max().year
    theatres = [THEATRE_STYLES[t][0] for t in THEATRE_STYLES if t in set(events.theatre)]
    where = theatres[0] if len(theatres) == 1 else f"{len(theatres)} theatres"
    shaded = f", with {len(periods)} shaded periods" if len(periods) else ""
    return f"Timeline of {len(events)} events in {where}, {first}–{last}{shaded}; the table below lists them."


def periods_table(periods: pd.DataFrame) -> nodes.table:
    """Period | From | To: the shaded bands of a figure, for readers who cannot see them."""
    table = nodes.table(classes=["timeline-periods"])
    table += nodes.title("Shaded periods", "Shaded periods")
    group = nodes.tgroup(cols=3)
    table += group
    for width in (50, 25, 25):
        group += nodes.colspec(colwidth=width)
    group[0]["stub"] = 1
    head = nodes.thead()
    group += head
    head += EventSelection._row([nodes.Text(h) for h in ("Period", "From", "To")])
    body = nodes.tbody()
    group += body
    for period in periods.sort_values("start_date").itertuples():
        body += EventSelection._row(
            [nodes.Text(period.label), nodes.Text(period_date(period.start_date)), nodes.Text(period_date(period.end_date))]
        )
    return table


def period_date(day: pd.Timestamp) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


class TimelineTableDirective(EventSelection):
    def run(self) -> list[nodes.Node]:
        try:
            events = self.selected_events()
        except TimelineMistakeError as exc:
            return self.mistake(str(exc))
        if events is None:
            return []
        table = self.events_table(events, "Events, in time order")
        table["events"] = events.id.tolist()
        return [table]


def check_tables_below(app: Sphinx, doctree: nodes.document) -> None:
    """A figure that says ``:table-below:`` needs a ``timeline-table`` after it that lists all its events."""
    listed: set[str] = set()
    for node in reversed(list(doctree.findall(lambda n: isinstance(n, timeline_events | nodes.table)))):
        if isinstance(node, nodes.table):
            listed |= set(node.get("events", []))
        elif node["table_below"] and not set(node["events"]) <= listed:
            missing = sorted(set(node["events"]) - listed)
            warn(
                StudybookWarning.TIMELINE,
                f"timeline: :table-below: says a {{timeline-table}} further down this page lists the figure's events, "
                f"but none lists {', '.join(missing[:3])}{' and others' if len(missing) > 3 else ''}: "
                "add the table, or remove the option so that the figure carries its own",
                node,
            )


def visit_timeline_chart_html(self, node: timeline_chart) -> None:
    here = self.builder.current_docname
    env = self.builder.env
    events = loaded(book_data(env).events).set_index("id", drop=False)
    links = {}
    for event_id in node["events"]:
        page, anchor = event_target(env, events.loc[event_id])
        links[event_id] = ("" if page == here else self.builder.get_relative_uri(here, page)) + "#" + anchor
    payload = {"figure": node["figure"], "links": links, "order": node["order"], "details": node["details"]}
    # "</" and "<!--" cannot end or confuse a JSON script block once "<" is escaped.
    data = json.dumps(payload, separators=(",", ":"), default=str).replace("<", "\\u003c")
    self.body.append(
        # The visible text is the button's name (an aria-label that differs fails axe's label-content-name-mismatch).
        '<button type="button" class="timeline-activate">Interactive chart</button>'
        f'<script type="application/json" class="timeline-data">{data}</script>'
    )
    raise nodes.SkipNode


def visit_image_html(self: HTML5Translator, node: nodes.image) -> None:
    """Sphinx's image, and for a figure's preview its width and height as attributes: the browser then
    keeps the figure's space while the lazily loaded SVG arrives, and the page below does not jump
    (a layout shift of 0.2 on the Chronology, whose long table follows the figure)."""
    HTML5Translator.visit_image(self, node)
    if "size" in node:
        width, height = node["size"]
        self.body[-1] = self.body[-1].replace("<img ", f'<img width="{width}" height="{height}" ', 1)


def visit_timeline_events_html(self, node: timeline_events) -> None:
    if not node.children:  # its events are in the page's table below, and it has no shaded periods
        raise nodes.SkipNode
    count = len(node.next_node(nodes.tbody).children)
    what = "shaded periods" if node["table_below"] else "events"
    self.body.append(f'<details class="timeline-events"><summary>The {count} {what} of this figure as a table</summary>')


def depart_timeline_events_html(self, node: timeline_events) -> None:
    self.body.append("</details>")


def skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_timeline(app: Sphinx) -> None:
    app.add_directive("timeline", TimelineDirective)
    app.add_directive("timeline-table", TimelineTableDirective)
    app.connect("doctree-read", check_tables_below)
    setup_markers(app)
    setup_images(app)
    others: dict[str, Any] = {fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(timeline_chart, html=(visit_timeline_chart_html, None), **others)
    app.add_node(timeline_events, html=(visit_timeline_events_html, depart_timeline_events_html), **others)
    app.add_node(nodes.image, override=True, html=(visit_image_html, HTML5Translator.depart_image))
