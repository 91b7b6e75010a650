"""Timelines: event data validation, figures on every part page, offline and safe in a browser."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pandas as pd
import pytest

from conftest import ROOT, TINY_EVENTS
from studybook.tables.load import DataValidationError, bib_keys, load_events

HEADER = TINY_EVENTS.splitlines()[0]
GOOD_ROW = "1923-ruhr-occupation,1923-01-11,,day,germany,Ruhr occupied,Troops enter the Ruhr.,index,carr1958socialism"
PART_PAGES = ["germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions"]


def load(tmp_path, *rows: str):
    csv = tmp_path / "events.csv"
    csv.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return load_events(csv, ROOT / "data" / "events.schema.json", {"index"}, bib_keys(ROOT / "data" / "references.bib"))


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("1923-a,1923-02-30,,day,germany,T,D,index,carr1958socialism",
         "data/events.csv:3: column 'start': '1923-02-30' is not a real day date; write it like 1926-05-04"),
        ("1923-a,1923-05-04,1923-05-01,day,germany,T,D,index,carr1958socialism",
         "data/events.csv:3: column 'end': '1923-05-01' is before the start '1923-05-04'"),
        ("1923-a,1923-05-04,,day,france,T,D,index,carr1958socialism",
         "data/events.csv:3: column 'theatre': 'france' is not allowed; "
         "use one of: germany, soviet-union, britain, china, comintern"),
        ("1923-a,1923-05-04,,day,germany,T,D,nowhere,carr1958socialism",
         "data/events.csv:3: column 'page': 'nowhere' is not a chapter page; use one of: index"),
        ("1923-ruhr-occupation,1923-05-04,,day,germany,T,D,index,carr1958socialism",
         "data/events.csv:3: column 'id': '1923-ruhr-occupation' is used twice"),
        ("1923-a,1923-05-04,,day,germany,T,D,index,",
         "data/events.csv:3: column 'sources': is empty; it is required."),
        ("1923-a,1923-05-04,,day,germany,T,D,index,nobody1999nothing",
         "data/events.csv:3: column 'sources': 'nobody1999nothing' is neither a web address (https://…) "
         "nor a key in data/references.bib"),
        ("1923-a,1923-05,,day,germany,T,D,index,carr1958socialism",
         "data/events.csv:3: column 'start': '1923-05' is not a real day date; write it like 1926-05-04"),
    ],
    ids=["impossible-date", "end-before-start", "unknown-theatre", "unknown-page", "duplicate-id",
         "missing-source", "unknown-bib-key", "date-less-precise-than-precision"],
)
def test_a_bad_event_row_gives_one_clear_line(tmp_path, row, expected):
    with pytest.raises(DataValidationError) as failure:
        load(tmp_path, GOOD_ROW, row)
    messages = [str(error) for error in failure.value.errors]
    assert len(messages) == 1, messages
    assert messages[0].startswith(expected), messages[0]


def test_the_book_events_are_valid_and_sourced():
    pages = {p.stem for p in (ROOT / "chapters").glob("*.md")}
    events = load_events(ROOT / "data" / "events.csv", ROOT / "data" / "events.schema.json", pages,
                         bib_keys(ROOT / "data" / "references.bib"))
    assert len(events) >= 60
    assert set(events.theatre) == {"germany", "soviet-union", "britain", "china", "comintern"}
    assert events.start_date.min().year == 1917 and events.start_date.max().year <= 1929


def test_a_bad_row_stops_the_build_with_file_and_line(tiny_book):
    tiny_book.write("data/events.csv", TINY_EVENTS + "1927-x,1927-04-31,,day,china,T,D,index,carr1958socialism\n")
    result = tiny_book.build()
    assert result.returncode != 0
    assert "data/events.csv:4: WARNING: column 'start': '1927-04-31' is not a real day date" in result.stdout + result.stderr


def test_each_part_page_and_the_chronology_have_their_timeline(pages):
    for page in [*PART_PAGES, "chronology"]:
        figures = pages[f"chapters/{page}.html"].select("figure.timeline")
        assert len(figures) == 1, page
        figure = figures[0]
        assert figure.select_one("img.timeline-preview")["src"].endswith(".svg")
        assert figure.select_one("figcaption").get_text(strip=True)
        payload = json.loads(figure.select_one("script.timeline-data").string)
        assert payload["figure"]["data"], page


def test_every_event_is_shown_on_its_page(pages):
    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
    missing = [f"{e.id} on {e.page}" for e in events.itertuples()
               if not pages[f"chapters/{e.page}.html"].find(id=f"event-{e.id}")]
    assert not missing, missing


def test_every_figure_has_a_text_alternative(pages):
    for name, soup in pages.items():
        for figure in soup.select("figure.timeline"):
            assert figure.img.get("alt", "").startswith("Timeline of"), name
            table = figure.find_next_sibling("details")
            assert table and table.select("tbody tr"), name


def test_no_page_inlines_plotly_js(pages):
    for name, soup in pages.items():
        for script in soup.find_all("script", src=False):
            assert "Plotly" not in (script.string or "")[:100_000] or "timeline-data" in script.get("class", []), name


@contextmanager
def live_timeline(tiny_book, browser):
    """Build the tiny book, open its timeline page in Chromium and activate the chart."""
    result = tiny_book.build()
    assert result.returncode == 0, result.stdout[-2000:]
    page = tiny_book.folder / "_build" / "html" / "chapters" / "timeline.html"
    tab = browser.new_page()
    try:
        tab.goto(page.as_uri())
        tab.click("button.timeline-activate")
        yield tab
    finally:
        tab.close()


def test_event_text_is_data_never_markup(tiny_book, browser):
    hostile = ("1925-hostile,1925-03-01,,day,china,<script>window.pwned=1</script>,"
               "\"<img src=x onerror=window.pwned=2> and <b onmouseover=window.pwned=3>bold</b>\",index,carr1958socialism\n")
    tiny_book.write("data/events.csv", TINY_EVENTS + hostile)
    tiny_book.page("timeline", "# Timeline\n\n:::{timeline}\n:name: fig-t\nAll events.\n:::\n")
    with live_timeline(tiny_book, browser) as tab:
        tab.wait_for_selector("figure.timeline .timeline-chart svg.main-svg")
        tab.hover("figure.timeline .timeline-chart .draglayer")
        tab.click("details.timeline-events summary")
        shown = tab.inner_text("details.timeline-events")
        pwned = tab.evaluate("window.pwned")
    assert pwned is None
    assert "<script>window.pwned=1</script>" in shown
    assert "<img src=x onerror=window.pwned=2>" in shown


def test_clicking_an_event_opens_its_page(tiny_book, browser):
    tiny_book.page("timeline", "# Timeline\n\n:::{timeline}\n:name: fig-t\nAll events.\n:::\n")
    with live_timeline(tiny_book, browser) as tab:
        point = tab.wait_for_selector("figure.timeline .scatterlayer .point")
        box = point.bounding_box()
        tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tab.wait_for_url("**/index.html#event-1923-ruhr-occupation")
