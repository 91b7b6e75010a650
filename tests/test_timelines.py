"""Timelines: event data validation, figures on every part page, offline and safe in a browser."""

from __future__ import annotations

import html
import json
import re
from contextlib import contextmanager

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, TINY_EVENTS
from studybook.tables.load import DataValidationError, bib_keys, load_events
from studybook.timelines import export
from studybook.timelines.export import ImageExporter

HEADER = "id,start,end,precision,theatre,title,description,page,sources"  # label is optional
GOOD_ROW = "1923-ruhr-occupation,1923-01-11,,day,germany,Ruhr occupied,Troops enter the Ruhr.,index,carr1958socialism"
PART_PAGES = ["germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions"]


def load(tmp_path, *rows: str):
    csv = tmp_path / "events.csv"
    csv.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return load_events(csv, ROOT / "data" / "events.schema.json", {"index"}, bib_keys(ROOT / "data" / "references.bib"))


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "1923-a,1923-02-30,,day,germany,T,D,index,carr1958socialism",
            "data/events.csv:3: column 'start': '1923-02-30' is not a real day date; write it like 1926-05-04",
        ),
        (
            "1923-a,1923-05-04,1923-05-01,day,germany,T,D,index,carr1958socialism",
            "data/events.csv:3: column 'end': '1923-05-01' is before the start '1923-05-04'",
        ),
        (
            "1923-a,1923-05-04,,day,france,T,D,index,carr1958socialism",
            "data/events.csv:3: column 'theatre': 'france' is not allowed; "
            "use one of: germany, soviet-union, britain, china, comintern",
        ),
        (
            "1923-a,1923-05-04,,day,germany,T,D,nowhere,carr1958socialism",
            "data/events.csv:3: column 'page': 'nowhere' is not a chapter page; use one of: index",
        ),
        (
            "1923-ruhr-occupation,1923-05-04,,day,germany,T,D,index,carr1958socialism",
            "data/events.csv:3: column 'id': '1923-ruhr-occupation' is used twice",
        ),
        ("1923-a,1923-05-04,,day,germany,T,D,index,", "data/events.csv:3: column 'sources': is empty; it is required."),
        (
            "1923-a,1923-05-04,,day,germany,T,D,index,nobody1999nothing",
            "data/events.csv:3: column 'sources': 'nobody1999nothing' is neither a web address (https://…) "
            "nor a key in data/references.bib",
        ),
        (
            "1923-a,1923-05,,day,germany,T,D,index,carr1958socialism",
            "data/events.csv:3: column 'start': '1923-05' is not a real day date; write it like 1926-05-04",
        ),
    ],
    ids=[
        "impossible-date",
        "end-before-start",
        "unknown-theatre",
        "unknown-page",
        "duplicate-id",
        "missing-source",
        "unknown-bib-key",
        "date-less-precise-than-precision",
    ],
)
def test_a_bad_event_row_gives_one_clear_line(tmp_path, row, expected):
    with pytest.raises(DataValidationError) as failure:
        load(tmp_path, GOOD_ROW, row)
    messages = [str(error) for error in failure.value.errors]
    assert len(messages) == 1, messages
    assert messages[0].startswith(expected), messages[0]


def test_the_book_events_are_valid_and_sourced():
    pages = {p.stem for p in (ROOT / "chapters").glob("*.md")}
    events = load_events(
        ROOT / "data" / "events.csv", ROOT / "data" / "events.schema.json", pages, bib_keys(ROOT / "data" / "references.bib")
    )
    assert len(events) >= 60
    assert set(events.theatre) == {"germany", "soviet-union", "britain", "china", "comintern"}
    assert events.start_date.min().year == 1917 and events.start_date.max().year <= 1929


def test_a_bad_row_stops_the_build_with_file_and_line(tiny_book):
    tiny_book.write("data/events.csv", TINY_EVENTS + "1927-x,1927-04-31,,day,china,T,T,D,index,carr1958socialism,\n")
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
    missing = [
        f"{e.id} on {e.page}" for e in events.itertuples() if not pages[f"chapters/{e.page}.html"].find(id=f"event-{e.id}")
    ]
    assert not missing, missing


def test_every_figure_has_a_text_alternative(pages):
    for name, soup in pages.items():
        for figure in soup.select("figure.timeline"):
            assert figure.img.get("alt", "").startswith("Timeline of"), name
            table = figure.find_next("table", class_="timeline-table")  # under the figure, or below it (:table-below:)
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
    hostile = (
        "1925-hostile,1925-03-01,,day,china,<script>window.pwned=1</script>,<b onclick=x>label</b>,"
        '"<img src=x onerror=window.pwned=2> and <b onmouseover=window.pwned=3>bold</b>",index,carr1958socialism,\n'
        # a title that runs if written as HTML; hovering either event of March 1925 lists the other's title
        "1925-neighbour,1925-03-20,,day,china,<img src=x onerror=window.pwned=4>,Neighbour,In the same month.,index,"
        "carr1958socialism,\n"
    )
    tiny_book.write("data/events.csv", TINY_EVENTS + hostile)
    tiny_book.page("timeline", "# Timeline\n\n:::{timeline}\n:name: fig-t\nAll events.\n:::\n")
    with live_timeline(tiny_book, browser) as tab:
        tab.wait_for_selector("figure.timeline .timeline-chart svg.main-svg")
        labels, panels = [], []  # each point's hover label, once Plotly has drawn it, and the month it shows
        for point in tab.query_selector_all("figure.timeline .scatterlayer .point"):
            box = point.bounding_box()
            tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            labels.append(tab.wait_for_selector("figure.timeline .hoverlayer .hovertext").text_content())
            panels.append(tab.inner_text("figure.timeline .timeline-month"))
            tab.mouse.move(0, 0)
            tab.wait_for_selector("figure.timeline .hoverlayer .hovertext", state="detached")
        # an image written into the page would have failed to load by now (file:// answers at once)
        tab.evaluate(
            """Promise.all([...document.querySelectorAll("figure.timeline img")].filter((img) => !img.complete)
                 .map((img) => new Promise((done) => img.addEventListener("error", done))))"""
        )
        tab.click("details.timeline-events summary")
        shown = tab.inner_text("details.timeline-events")
        pwned = tab.evaluate("window.pwned")
    assert pwned is None
    assert [label for label in labels if "<script>window.pwned=1</script>" in label], labels  # shown as text
    assert [panel for panel in panels if "<img src=x onerror=window.pwned=4>" in panel], panels
    assert [panel for panel in panels if "<script>window.pwned=1</script>" in panel], panels
    assert "<script>window.pwned=1</script>" in shown
    assert "<img src=x onerror=window.pwned=2>" in shown


def test_clicking_an_event_opens_its_page(tiny_book, browser):
    tiny_book.page("timeline", "# Timeline\n\n:::{timeline}\n:name: fig-t\nAll events.\n:::\n")
    with live_timeline(tiny_book, browser) as tab:
        point = tab.wait_for_selector("figure.timeline .scatterlayer .point")
        box = point.bounding_box()
        tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tab.wait_for_url("**/index.html#event-1923-ruhr-occupation")


def test_the_book_events_have_labels_that_fit():
    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
    assert events.label.str.len().between(1, 40).all()
    assert events.label.is_unique


def test_figure_labels_are_never_cut(pages, html_build):
    for page in [*PART_PAGES, "chronology"]:
        figure = pages[f"chapters/{page}.html"].select_one("figure.timeline")
        svg = (html_build / "chapters" / figure.img["src"]).read_text(encoding="utf-8")
        assert "…" not in svg, page
        payload = json.loads(figure.select_one("script.timeline-data").string)
        texts = {html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
        if page != "chronology":  # one row per event, named by its label
            events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
            for event_id, _ in payload["order"]:
                label = events.set_index("id").label[event_id]
                assert label in texts, (page, label)


def test_single_theatre_figures_have_no_legend_and_captions_state_the_data_range(pages):
    for page in [*PART_PAGES, "chronology"]:
        figure = pages[f"chapters/{page}.html"].select_one("figure.timeline")
        payload = json.loads(figure.select_one("script.timeline-data").string)
        theatres = {trace["legendgroup"] for trace in payload["figure"]["data"]}
        assert payload["figure"]["layout"]["showlegend"] == (len(theatres) > 1), page
        caption_years = [int(y) for y in re.findall(r"\b(19[12]\d)\b", figure.figcaption.get_text())]
        table = figure.find_next("table", class_="timeline-table")  # under the figure, or below it (:table-below:)
        data_years = [int(y) for th in table.select("tbody th") for y in re.findall(r"\b(19[12]\d)\b", th.get_text())]
        assert (min(caption_years), max(caption_years)) == (min(data_years), max(data_years)), page
        assert figure.figcaption.get_text(strip=True)[:40] not in figure.img["alt"], page  # not read twice


def test_event_links_lead_to_the_paragraph_that_tells_the_event(pages):
    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
    for name, soup in pages.items():
        for table in soup.select("table.timeline-table"):
            assert table.caption and table.select("tbody th[scope=row], tbody th.stub"), name
            for link in table.select("tbody a:has(strong)"):
                href = link["href"]
                assert href != "#" and "#tells-" in href, (name, href)
                path, anchor = href.split("#")
                target = (
                    pages[str((ROOT / "x" / name).parent.joinpath(path or name.split("/")[-1]).relative_to(ROOT / "x"))]
                    if path
                    else soup
                )
                paragraph = target.find(id=anchor)
                if paragraph is not None and paragraph.name == "span":  # a paragraph that tells two events
                    paragraph = paragraph.parent
                assert paragraph is not None and paragraph.name == "p", (name, href)
                event_id = anchor.removeprefix("tells-")
                back = paragraph.select_one(f'a.event-backlink[href$="chronology.html#event-{event_id}"]')
                assert back is not None, (name, href)
    marked = {a["id"].removeprefix("tells-") for soup in pages.values() for a in soup.select("[id^=tells-]")}
    assert set(events.id) <= marked, set(events.id) - marked


def test_periods_are_shaded_and_listed(pages):
    periods = pd.read_csv(ROOT / "data" / "periods.csv", dtype=str, keep_default_na=False)
    figure = pages["chapters/germany-1923.html"].select_one("figure.timeline")
    payload = json.loads(figure.select_one("script.timeline-data").string)
    assert payload["figure"]["layout"]["shapes"]
    listed = figure.find_next_sibling("details").select_one("table.timeline-periods").get_text()
    assert "Ruhr occupation" in listed and "Hyperinflation" in listed
    assert set(periods.label) >= {"Ruhr occupation", "Hyperinflation"}


def test_a_bad_period_row_gives_file_and_line(tmp_path):
    from studybook.tables.load import load_periods

    csv = tmp_path / "periods.csv"
    csv.write_text(
        "id,start,end,theatre,label,sources\n1923-x,1923-05-04,1923-05-01,germany,X,carr1958socialism\n", encoding="utf-8"
    )
    with pytest.raises(DataValidationError) as failure:
        load_periods(csv, ROOT / "data" / "periods.schema.json", bib_keys(ROOT / "data" / "references.bib"))
    assert [str(e) for e in failure.value.errors] == [
        "data/periods.csv:2: column 'end': '1923-05-01' is before the start '1923-05-04'"
    ]


def test_keyboard_moves_through_events_in_time_order_and_enter_opens_the_paragraph(tiny_book, browser):
    tiny_book.page(
        "timeline",
        "# Timeline\n\n:::{timeline}\n:name: fig-t\nAll events.\n:::\n\n"
        "The Ruhr was occupied. {event}`1923-ruhr-occupation`\n\n"
        + "Filler.\n\n" * 40
        + "The strike lasted nine days. {event}`1926-general-strike`\n",
    )
    tiny_book.write("data/events.csv", TINY_EVENTS.replace(",index,", ",timeline,"))
    with live_timeline(tiny_book, browser) as tab:
        tab.wait_for_selector("figure.timeline .timeline-chart svg.main-svg")
        first = tab.evaluate("document.activeElement.textContent")
        tab.keyboard.press("ArrowDown")
        second = tab.evaluate("document.activeElement.textContent")
        hover = tab.evaluate("document.querySelector('.hoverlayer').textContent")
        tab.keyboard.press("Enter")
        tab.wait_for_function("location.hash === '#tells-1926-general-strike'")
        highlighted = tab.evaluate("document.querySelector('.event-highlight').id")
        in_view = tab.evaluate(
            "document.getElementById('tells-1926-general-strike').getBoundingClientRect().top < window.innerHeight"
        )
    assert first == "Ruhr occupied, 11 January 1923"
    assert second == "General Strike, 4–12 May 1926"
    assert "General Strike" in hover
    assert highlighted == "tells-1926-general-strike" and in_view


def test_each_marked_paragraph_is_prose_that_tells_its_event(pages):
    """A marker sits in a running paragraph (not a key point or a question), and that paragraph itself
    (its links back aside) names the event's year, its day or a word of its label: a keyword script
    once put the Kiel revolt of 1918 on a paragraph about 1924."""
    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False).set_index("id")
    months = "January February March April May June July August September October November December".split()
    wrong = []
    for name, soup in pages.items():
        for paragraph in {
            id(p): p
            for p in (a if a.name == "p" else a.find_parent("p") for a in soup.select("p[id^=tells-], p span[id^=tells-]"))
        }.values():
            backlinks = paragraph.select("a.event-backlink")
            own = BeautifulSoup(str(paragraph), "html.parser")
            for link in own.select("a.event-backlink"):
                link.decompose()
            text = own.get_text(" ")
            for marker in backlinks:
                event = events.loc[marker["href"].split("#event-")[1]]
                day = event.start.split("-")
                words = [w for w in re.findall(r"[\w-]+", event.label.lower()) if len(w) >= 5]  # "putsch", not "hall"
                named = [day[0], *words] + ([f"{int(day[2])} {months[int(day[1]) - 1]}"] if len(day) == 3 else [])
                if paragraph.find_parent("li") or not any(n in text or n in text.lower() for n in named):
                    wrong.append(f"{event.name} on {name}: {text[:80]}")
    assert not wrong, wrong


def test_moving_a_marker_rewrites_the_pages_that_link_to_it(tiny_book):
    """An incremental build (as in `make serve`) writes again the page whose table links to a marked
    paragraph, although only the part page that carries the marker changed."""
    tiny_book.write("data/events.csv", TINY_EVENTS.replace("the Ruhr.,index,", "the Ruhr.,part,"))
    tiny_book.page("part", "# Part\n\nFirst paragraph. {event}`1923-ruhr-occupation`\n\nSecond paragraph.\n")
    tiny_book.page("chronology", "# Chronology\n\n:::{timeline-table}\n:::\n")

    def link() -> str:
        html = tiny_book.folder / "_build" / "html" / "chapters" / "chronology.html"
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        return soup.select_one("#event-1923-ruhr-occupation a:has(strong)")["href"]

    assert tiny_book.build().returncode == 0
    assert link() == "part.html#tells-1923-ruhr-occupation"
    tiny_book.page("part", "# Part\n\nFirst paragraph.\n\nSecond paragraph.\n")
    assert tiny_book.build().returncode == 0
    assert link() == "part.html#event-1923-ruhr-occupation"  # no paragraph tells it now: its row


def test_people_of_an_event_are_validated_and_shown(tiny_book, tmp_path):
    with pytest.raises(DataValidationError) as failure:
        load_events_with_people(tmp_path, "trotsky;nobody")
    assert [str(e) for e in failure.value.errors] == [
        "data/events.csv:2: column 'people': 'nobody' is not an id in data/people.csv; "
        "use ids from its first column, separated by semicolons (e.g. trotsky;zinoviev)"
    ]
    header, ruhr, strike = TINY_EVENTS.splitlines()
    tiny_book.write("data/events.csv", f"{header}\n{ruhr}cuno;stresemann\n{strike}\n")
    tiny_book.page("people", "# Who's who\n\n:::{people}\n:::\n")
    tiny_book.page(
        "timeline",
        "# Timeline\n\n:::{timeline}\n:name: fig-t\nAll events.\n:::\n\nThe Ruhr was occupied. {event}`1923-ruhr-occupation`\n",
    )
    assert tiny_book.build().returncode == 0
    html = tiny_book.folder / "_build" / "html" / "chapters"
    timeline = BeautifulSoup((html / "timeline.html").read_text(encoding="utf-8"), "html.parser")
    row = timeline.select_one("#event-1923-ruhr-occupation").get_text(" ", strip=True)
    assert "With: Wilhelm Cuno , Gustav Stresemann" in row or "With: Wilhelm Cuno, Gustav Stresemann" in row, row
    hover = json.loads(timeline.select_one("script.timeline-data").string)["figure"]["data"]
    assert any("Wilhelm Cuno, Gustav Stresemann" in text for trace in hover for text in trace["hovertext"])
    people = BeautifulSoup((html / "people.html").read_text(encoding="utf-8"), "html.parser")
    events = people.select_one("dt#person-cuno + dd p.person-events")
    assert events.get_text() == "Events: 11 January 1923, Ruhr occupied"
    assert events.a["href"] == "timeline.html#tells-1923-ruhr-occupation"
    assert people.select_one("dt#person-trotsky + dd p.person-events") is None


def load_events_with_people(tmp_path, people: str):
    csv = tmp_path / "events.csv"
    csv.write_text(
        "id,start,end,precision,theatre,title,description,page,sources,people\n"
        f"1923-a,1923-05-04,,day,germany,T,D,index,carr1958socialism,{people}\n",
        encoding="utf-8",
    )
    return load_events(
        csv,
        ROOT / "data" / "events.schema.json",
        {"index"},
        bib_keys(ROOT / "data" / "references.bib"),
        people_ids={"trotsky", "zinoviev"},
    )


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_live_chronology_is_accessible_filterable_and_tells_what_else_happened(html_build, browser, width, dark):
    """With the chart live: 0 axe violations; focus moves through the events in time order; the theatre
    filter hides a theatre's events; the focused event's month lists the other events of that month;
    period labels do not overlap one another."""
    from browsing import axe_violations

    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme="dark" if dark else "light")
    tab = context.new_page()
    try:
        tab.goto((html_build / "chapters" / "chronology.html").as_uri())
        tab.click("button.timeline-activate")
        tab.wait_for_selector("figure.timeline .timeline-chart svg.main-svg")
        assert axe_violations(tab) == []
        names = []
        for _ in range(4):
            names.append(tab.evaluate("document.activeElement.textContent"))
            tab.keyboard.press("ArrowDown")
        pages = {p.stem for p in (ROOT / "chapters").glob("*.md")}
        events = load_events(
            ROOT / "data" / "events.csv", ROOT / "data" / "events.schema.json", pages, bib_keys(ROOT / "data" / "references.bib")
        )  # in time order
        assert all(name.startswith(f"{title}, ") for name, title in zip(names, events.title[:4], strict=True)), names
        tab.focus("button[data-event='1926-general-strike']")
        month = tab.inner_text("section.timeline-month")
        assert month.startswith("Also in May 1926:") and "Miners locked out (Britain" in month, month
        tab.uncheck("fieldset.timeline-filter label:has-text('Britain') input")
        hidden = tab.evaluate("[...document.querySelectorAll('ol.timeline-keyboard li')].filter(li => li.hidden).length")
        assert hidden == (events.theatre == "britain").sum()
        boxes = tab.evaluate("""[...document.querySelectorAll('figure.timeline .annotation')]
            .map(a => a.getBoundingClientRect()).map(r => [r.left, r.top, r.right, r.bottom])""")
        overlaps = [
            (a, b)
            for i, a in enumerate(boxes)
            for b in boxes[i + 1 :]
            if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
        ]
        assert not overlaps, overlaps
        assert axe_violations(tab) == []
    finally:
        context.close()


def test_the_chronology_lists_each_event_once_outside_any_disclosure(pages):
    """Its figure says :table-below:, so the All events table is its text alternative, not a second copy."""
    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
    soup = pages["chapters/chronology.html"]
    rows = soup.select("table.timeline-table tbody tr")
    assert len(rows) == len(events)
    assert {row.get("id") for row in rows} == {f"event-{event_id}" for event_id in events.id}
    assert not soup.select("details table.timeline-table")
    summary = soup.select_one("details.timeline-events summary").get_text()
    assert summary.endswith("shaded periods of this figure as a table"), summary


def test_each_preview_reserves_its_space_before_it_loads(pages, html_build):
    """The lazily loaded SVG carries its size, or the table below it jumps when it arrives (a layout
    shift of 0.2 on the Chronology, measured by Lighthouse)."""
    for page in [*PART_PAGES, "chronology"]:
        image = pages[f"chapters/{page}.html"].select_one("figure.timeline img.timeline-preview")
        svg = (html_build / "chapters" / image["src"]).read_text(encoding="utf-8")
        size = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg).groups()
        assert (image.get("width"), image.get("height")) == size, page


def test_an_export_stopped_by_a_failed_build_ends_quietly():
    """A build that fails while pages are read stops the export it started early; the build's own
    error is the one to read, so stopping adds none."""
    exporter = ImageExporter()
    exporter.stop()
    assert exporter.process.returncode is not None
    exporter.wait()  # already ended: nothing more to say either


def test_an_export_started_before_sphinx_is_taken_by_the_build_or_stopped(tmp_path):
    """The build command starts the export early only on a first build of a book with timelines;
    the build takes it, and when Sphinx stops before it can, no Chromium is left running."""
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (tmp_path / "index.md").write_text("# Events\n\n```{timeline}\n```\n", encoding="utf-8")
    build_dir = tmp_path / "_build"
    with pytest.raises(RuntimeError), export.export_started_early(tmp_path, build_dir, "html") as stopped:
        raise RuntimeError("Sphinx stopped before reading")
    assert stopped is not None and stopped.process.returncode is not None
    with export.export_started_early(tmp_path, build_dir, "html") as started:
        taken = export.take_or_start()
    assert taken is started and taken.process.returncode is None  # the build's to stop, not the command's
    taken.stop()
    (build_dir / export.CACHE).mkdir(parents=True)
    (build_dir / export.CACHE / "timeline-0123456789abcdef.svg").write_text("<svg/>", encoding="utf-8")
    with export.export_started_early(tmp_path, build_dir, "html") as started:
        assert started is None
    with export.export_started_early(tmp_path, build_dir, "latex") as started:
        assert started is not None, "the printed book's figures are PDFs, which the cache lacks"
    (tmp_path / "index.md").write_text("# No events\n", encoding="utf-8")
    with export.export_started_early(tmp_path, tmp_path / "_other_build", "html") as started:
        assert started is None
