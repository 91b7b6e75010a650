"""Plotly timeline figures built from the events table (pandas in, plotly figure out)."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe–Ito colours (safe for colour-blind readers), plus a marker shape and a bar
# pattern per theatre so that the theatres differ in print and in greyscale too. Which theatres
# exist is said by data/events.schema.json; the build stops if the two lists differ.
THEATRE_STYLES = {
    "germany": ("Germany", "#0072B2", "circle", "/"),
    "soviet-union": ("Soviet Union", "#D55E00", "square", "x"),
    "britain": ("Britain", "#009E73", "diamond", "\\"),
    "china": ("China", "#CC79A7", "triangle-up", "."),
    "comintern": ("Communist International", "#E69F00", "star", "+"),
}
ROW_LIMIT = 30  # above this many events a figure draws one lane per theatre, not one row per event
MIN_BAR_SHARE = 0.015  # shortest bar drawn, as a share of the figure's time range
DAY_MS = 86_400_000
ROW_HEIGHT, LANE_HEIGHT = 26, 72  # px per event row, per theatre lane
FONT_SIZE = 14  # at the 700 px export width this prints at about 8–9 pt
SMALL_FONT = 12  # period and turning-point labels: about 7.5 pt in print, the smallest text drawn
LABEL_WRAP = 24  # characters per line of a turning point's label
PERIOD_FILL, PERIOD_LINE = "rgba(0, 0, 0, 0.07)", "#888"  # grey survives greyscale printing
PERIOD_TIER = 18  # px of top margin per row of period labels
CONTEXT_SHARE = 0.22  # width of the context panel of a figure with a :detail: date
MONTHS = "January February March April May June July August September October November December".split()


def date_label(event) -> str:
    """'4–12 May 1926', 'May 1926' or '1926', as precise as the data."""
    start, end, precision = event.start_date, event.end_date, event.precision

    def one(day) -> str:
        if precision == "year":
            return f"{day.year}"
        if precision == "month":
            return f"{MONTHS[day.month - 1]} {day.year}"
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

    if pd.isna(end):
        return one(start)
    if precision == "day" and (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{one(end)}"  # 4–12 May 1926
    return f"{one(start)} – {one(end)}"


def wrapped_label(label: str) -> str:
    """A label, wrapped onto lines and never cut; escaped because Plotly reads a subset of HTML in
    labels (event text is data)."""
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(label, LABEL_WRAP))


def build_figure(
    events: pd.DataFrame,
    periods: pd.DataFrame | None = None,
    detail: pd.Timestamp | None = None,
    turning_points: frozenset[str] = frozenset(),
) -> go.Figure:
    """One row per event (or one lane per theatre for long timelines): spans as bars, days as markers.

    ``periods`` are drawn as grey bands behind the events. With a ``detail`` date, events before it
    go into a narrow context panel on the left, so that the detailed part gets most of the width.
    ``turning_points`` (event ids) get their label written next to them in the lanes layout.
    """
    by_row = len(events) <= ROW_LIMIT
    context = events.start_date < detail if detail is not None else pd.Series(False, index=events.index)
    if context.all():
        context[:] = False
    figure = (
        make_subplots(
            rows=1, cols=2, shared_yaxes=True, column_widths=[CONTEXT_SHARE, 1 - CONTEXT_SHARE], horizontal_spacing=0.03
        )
        if context.any()
        else go.Figure()
    )
    panels = [(events[~context], "x2" if context.any() else "x")] + ([(events[context], "x")] if context.any() else [])
    if by_row:  # escaped, but not quotes: Plotly would show &quot; as it is
        rows = events.label.map(lambda label: html.escape(label, quote=False))
    else:
        rows = events.theatre.map(lambda t: THEATRE_STYLES[t][0])
    shown_theatres = events.theatre.nunique()
    for part, axis in panels:
        shown_range = part.end_date.fillna(part.start_date).max() - part.start_date.min()
        # A nine-day strike on a three-year axis would be a hairline: draw short spans at a visible
        # minimum length (the hover text keeps the true dates).
        min_bar_ms = max(shown_range.total_seconds() * 1000 * MIN_BAR_SHARE, DAY_MS)
        for theatre in THEATRE_STYLES:
            subset = part[part.theatre == theatre]
            if not subset.empty:
                _add_theatre(
                    figure, subset, rows, theatre, axis, min_bar_ms, show_legend=shown_theatres > 1 and axis == panels[0][1]
                )
    # Labels and bands are collected and given to Plotly at once: add_annotation and add_shape check
    # every earlier one again, which made a figure with many periods cost a second to build.
    annotations = (
        []
        if by_row
        else [label for part, axis in panels for label in _turning_point_labels(part[part.id.isin(turning_points)], rows, axis)]
    )
    order = rows.drop_duplicates().tolist()[::-1]
    tiers, bands, band_labels = _periods(periods, panels, order, by_row)
    figure.update_layout(shapes=bands, annotations=annotations + band_labels)
    row_count = len(order)
    figure.update_layout(
        template="plotly_white",
        font=dict(size=FONT_SIZE, family="Helvetica, Arial, sans-serif", color="#222"),
        height=110
        + PERIOD_TIER * tiers
        + (ROW_HEIGHT if by_row else LANE_HEIGHT) * row_count
        + (40 if shown_theatres > 1 else 0),
        margin=dict(l=10, r=10, t=10 + PERIOD_TIER * tiers, b=10),
        barmode="overlay",
        showlegend=shown_theatres > 1,  # one theatre: the caption says which
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
        hoverlabel=dict(font_size=FONT_SIZE),
        # plotly's default modebar icons are pale grey (about 1.7:1); these reach 4.5:1 on white
        modebar=dict(color="#595959", activecolor="#000", bgcolor="rgba(255, 255, 255, 0.9)"),
    )
    figure.update_xaxes(type="date", showgrid=True, gridcolor="#ddd")
    figure.update_yaxes(categoryorder="array", categoryarray=order, title=None)
    figure.update_yaxes(automargin=True, col=1) if context.any() else figure.update_yaxes(automargin=True)
    if context.any():
        figure.update_xaxes(dtick="M24", tickformat="%Y", tickangle=0, col=1)
    return figure


def _add_theatre(
    figure: go.Figure, subset: pd.DataFrame, rows: pd.Series, theatre: str, axis: str, min_bar_ms: float, show_legend: bool
) -> None:
    label, colour, symbol, pattern = THEATRE_STYLES[theatre]
    hover = [_hover(e) for e in subset.itertuples()]
    spans = subset.end_date.notna().to_numpy()
    common = dict(name=label, legendgroup=theatre, hovertemplate="%{hovertext}<extra></extra>", xaxis=axis, yaxis=_y(axis))
    if spans.any():
        part = subset[spans]
        figure.add_trace(
            go.Bar(
                orientation="h",
                base=part.start_date.dt.strftime("%Y-%m-%d").tolist(),
                x=((part.end_date - part.start_date).dt.total_seconds() * 1000 + DAY_MS).clip(lower=min_bar_ms).tolist(),
                y=rows[part.index].tolist(),
                customdata=part[["id", "page"]].values.tolist(),
                hovertext=[h for h, s in zip(hover, spans) if s],
                marker=dict(color=colour, pattern=dict(shape=pattern, fgcolor="white")),
                showlegend=show_legend,
                **common,
            )
        )
    if (~spans).any():
        part = subset[~spans]
        figure.add_trace(
            go.Scatter(
                mode="markers",
                x=part.start_date.dt.strftime("%Y-%m-%d").tolist(),
                y=rows[part.index].tolist(),
                customdata=part[["id", "page"]].values.tolist(),
                hovertext=[h for h, s in zip(hover, spans) if not s],
                marker=dict(color=colour, symbol=symbol, size=12, line=dict(color="#222", width=1)),
                showlegend=show_legend and not spans.any(),
                **common,
            )
        )


def _y(axis: str) -> str:
    """The y axis paired with an x axis (the panels share their rows)."""
    return axis.replace("x", "y")


def _hover(event) -> str:
    card = f"<b>{html.escape(event.title)}</b><br>{date_label(event)}"
    names = getattr(event, "people_names", "")
    return card + (f"<br>{html.escape(names)}" if names else "")


def _turning_point_labels(points: pd.DataFrame, rows: pd.Series, axis: str) -> list[dict]:
    """The labels of the chosen events, in their lane, alternating above and below the marks."""
    return [
        dict(
            x=event.start_date.strftime("%Y-%m-%d"),
            y=rows[event.Index],
            xref=axis,
            yref=_y(axis),
            text=wrapped_label(event.label),
            showarrow=False,
            xanchor="left",
            yshift=22 if number % 2 == 0 else -22,
            font=dict(size=SMALL_FONT, color="#222"),
            bgcolor="rgba(255, 255, 255, 0.8)",
        )
        for number, event in enumerate(points.itertuples())
    ]


def _periods(
    periods: pd.DataFrame | None,
    panels: list[tuple[pd.DataFrame, str]],
    order: list[str],
    by_row: bool,
) -> tuple[int, list[dict], list[dict]]:
    """Grey bands behind the events, each labelled above the plot: the rows of labels used, the
    bands (layout shapes) and their labels (layout annotations)."""
    bands: list[dict] = []
    labels: list[dict] = []
    if periods is None or periods.empty:
        return 0, bands, labels
    tier_ends: list[pd.Timestamp] = []  # the end of the last label placed in each row of labels
    for period in periods.sort_values("start_date").itertuples():
        for part, axis in panels:
            first, last = part.start_date.min(), part.end_date.fillna(part.start_date).max()
            if period.end_date < first or period.start_date > last:
                continue
            start, end = max(period.start_date, first), min(period.end_date, last)
            y0: float
            y1: float
            y0, y1, yref = 0, 1, "paper"  # the whole height; a lane is half a step either side of its row
            if not by_row and period.theatre != "all":
                lane = order.index(THEATRE_STYLES[period.theatre][0]) if THEATRE_STYLES[period.theatre][0] in order else None
                if lane is None:
                    continue
                y0, y1, yref = lane - 0.5, lane + 0.5, _y(axis)
            bands.append(
                dict(
                    type="rect",
                    layer="below",
                    xref=axis,
                    yref=yref,
                    x0=start,
                    x1=end,
                    y0=y0,
                    y1=y1,
                    fillcolor=PERIOD_FILL,
                    line=dict(color=PERIOD_LINE, width=1, dash="dot"),
                )
            )
            tier = next((n for n, ends in enumerate(tier_ends) if ends < start), len(tier_ends))
            span = (last - first) * 0.016 * (len(period.label) + 2)  # about how far the label reaches
            tier_ends[tier : tier + 1] = [start + span]
            labels.append(
                dict(
                    x=start,
                    xref=axis,
                    y=1,
                    yref="paper",
                    yanchor="bottom",
                    xanchor="left",
                    yshift=PERIOD_TIER * tier,
                    text=html.escape(period.label),
                    showarrow=False,
                    font=dict(size=SMALL_FONT, color="#444"),
                )
            )
    return len(tier_ends), bands, labels
