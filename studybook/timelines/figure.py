"""Plotly timeline figures built from the events table (pandas in, plotly figure out)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

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
ROW_HEIGHT, LANE_HEIGHT = 26, 56  # px per event row, per theatre lane
FONT_SIZE = 14  # at the 700 px export width this prints at about 8–9 pt
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


def build_figure(events: pd.DataFrame) -> go.Figure:
    """One row per event (or one lane per theatre for long timelines): spans as bars, days as markers."""
    by_row = len(events) <= ROW_LIMIT
    shown_range = events.end_date.fillna(events.start_date).max() - events.start_date.min()
    # A nine-day strike on a three-year axis would be a hairline: draw short spans at a visible
    # minimum length (the hover text keeps the true dates).
    min_bar_ms = max(shown_range.total_seconds() * 1000 * MIN_BAR_SHARE, DAY_MS)
    figure = go.Figure()
    for theatre, (label, colour, symbol, pattern) in THEATRE_STYLES.items():
        subset = events[events.theatre == theatre]
        if subset.empty:
            continue
        rows = subset.title.map(_short) if by_row else pd.Series(label, index=subset.index)
        hover = [f"<b>{html.escape(e.title)}</b><br>{date_label(e)}" for e in subset.itertuples()]
        spans = subset.end_date.notna().to_numpy()
        common = dict(name=label, legendgroup=theatre, hovertemplate="%{hovertext}<extra></extra>")
        if spans.any():
            part = subset[spans]
            figure.add_bar(
                orientation="h",
                base=part.start_date.dt.strftime("%Y-%m-%d").tolist(),
                x=((part.end_date - part.start_date).dt.total_seconds() * 1000 + DAY_MS).clip(lower=min_bar_ms).tolist(),
                y=rows[spans].tolist(),
                customdata=part[["id", "page"]].values.tolist(),
                hovertext=[h for h, s in zip(hover, spans) if s],
                marker=dict(color=colour, pattern=dict(shape=pattern, fgcolor="white")),
                showlegend=True,
                **common,
            )
        if (~spans).any():
            part = subset[~spans]
            figure.add_scatter(
                mode="markers",
                x=part.start_date.dt.strftime("%Y-%m-%d").tolist(),
                y=rows[~spans].tolist(),
                customdata=part[["id", "page"]].values.tolist(),
                hovertext=[h for h, s in zip(hover, spans) if not s],
                marker=dict(color=colour, symbol=symbol, size=12, line=dict(color="#222", width=1)),
                showlegend=not spans.any(),
                **common,
            )
    row_count = len(events) if by_row else events.theatre.nunique()
    order = (events.title.map(_short) if by_row else events.theatre.map(lambda t: THEATRE_STYLES[t][0])).drop_duplicates()
    figure.update_layout(
        template="plotly_white",
        font=dict(size=FONT_SIZE, family="Helvetica, Arial, sans-serif", color="#222"),
        height=160 + (ROW_HEIGHT if by_row else LANE_HEIGHT) * row_count,
        margin=dict(l=10, r=10, t=10, b=10),
        barmode="overlay",
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0),
        xaxis=dict(type="date", showgrid=True, gridcolor="#ddd"),
        yaxis=dict(categoryorder="array", categoryarray=order.tolist()[::-1], automargin=True, title=None),
        hoverlabel=dict(font_size=FONT_SIZE),
    )
    return figure


def _short(title: str, limit: int = 34) -> str:
    """A row label; escaped because Plotly reads a subset of HTML in labels (event text is data)."""
    short = title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
    return html.escape(short)
