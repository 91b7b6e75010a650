"""`make serve`: an edit shows in the open browser, a mistake is reported with its place, and titles
and the table of contents reach every page."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from tools.preview import MARKER, Preview


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    server = Preview(tmp_path_factory.mktemp("preview"))
    yield server
    server.stop()


def sidebar_links(preview: Preview, href_end: str) -> dict[str, str]:
    """Page -> the text of its sidebar link to ``href_end``, for every content page."""
    links = {}
    for page in sorted(preview.html.glob("chapters/*.html")):
        if page.name == href_end:  # a page's own entry links to itself with "#"
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one(f"nav.bd-docs-nav a[href$='{href_end}']")
        links[page.name] = link.get_text(" ", strip=True) if link else None
    return links


def marker_line(preview: Preview, relative: str) -> int:
    """The line of the harness's own paragraph in a page."""
    lines = (preview.book / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if MARKER in line)


def test_a_prose_edit_shows_in_the_open_browser(preview, browser):
    page = browser.new_page()
    page.goto(f"{preview.url}/chapters/germany-1923.html")
    expect(page.get_by_text(MARKER)).to_be_visible()
    preview.edit("chapters/germany-1923.md", MARKER, f"{MARKER} As the preview now shows.")
    expect(page.get_by_text("As the preview now shows.")).to_be_visible(timeout=300_000)
    page.close()


def test_a_mistake_is_reported_with_its_place_and_its_fix_is_shown(preview, browser):
    page = browser.new_page()
    page.goto(f"{preview.url}/chapters/germany-1923.html")
    line = marker_line(preview, "chapters/germany-1923.md")
    before = preview.edit("chapters/germany-1923.md", MARKER, f"{{term}}`hyperinflatoin`. {MARKER}")
    status = preview.wait_for_build(before, failing=True)
    place = f"chapters/germany-1923.md:{line}"
    assert status["failed"] and [p["place"] for p in status["problems"]] == [place], status
    assert re.search(rf"^{re.escape(place)}: WARNING: unknown glossary term 'hyperinflatoin'", preview.output(), re.M)
    before = preview.edit("chapters/germany-1923.md", f"{{term}}`hyperinflatoin`. {MARKER}", f"{MARKER} As the fix shows.")
    preview.wait_for_build(before)
    expect(page.get_by_text("As the fix shows.")).to_be_visible(timeout=60_000)
    page.close()


def test_an_event_edit_reaches_the_chronology(preview):
    before = preview.edit("data/events.csv", ",October Revolution in Petrograd,", ",October Revolution in Petrograd (revised),")
    preview.wait_for_build(before)
    chronology = (preview.html / "chapters" / "chronology.html").read_text(encoding="utf-8")
    assert "October Revolution in Petrograd (revised)" in chronology


def test_a_new_page_title_reaches_the_navigation_of_every_page(preview):
    before = preview.edit("chapters/britain-1926.md", "\n# ", "\n# Revised: ")
    preview.wait_for_build(before)
    links = sidebar_links(preview, "britain-1926.html")
    assert len(links) > 5
    assert all(text and "Revised:" in text for text in links.values()), links


def test_a_table_of_contents_change_reaches_every_page(preview):
    before = preview.edit("_toc.yml", "caption: Reference", "caption: Reference shelf")
    preview.wait_for_build(before)
    for page in sorted(preview.html.glob("chapters/*.html")):
        captions = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("nav.bd-docs-nav p.caption")
        assert "Reference shelf" in [caption.get_text(strip=True) for caption in captions], page.name


def test_a_failed_build_shows_a_banner_in_the_open_page_until_the_build_passes(preview, browser):
    page = browser.new_page()
    page.goto(f"{preview.url}/chapters/britain-1926.html")
    banner = page.get_by_role("alert")
    line = marker_line(preview, "chapters/britain-1926.md")
    before = preview.edit("chapters/britain-1926.md", MARKER, f"{MARKER}\n\n{{person}}`baldwni` in the banner test.")
    preview.wait_for_build(before, failing=True)
    expect(banner.get_by_role("heading")).to_have_text("The last build failed: 1 problem to fix", timeout=60_000)
    expect(banner.get_by_role("listitem")).to_have_text(
        re.compile(
            rf"^chapters/britain-1926\.md:{line + 2}: unknown person 'baldwni' \(did you mean 'baldwin'\?\): check the spelling"
        )
    )
    dismiss = banner.get_by_role("button", name="Dismiss")
    dismiss.focus()
    expect(dismiss).to_be_focused()
    page.keyboard.press("Escape")
    expect(banner).to_have_count(0)
    page.wait_for_timeout(3000)  # the page reads the status on load (the server reloads it) and every 2 s
    expect(banner).to_have_count(0)  # dismissed stays dismissed for this build

    before = preview.edit("chapters/britain-1926.md", "{person}`baldwni`", "{person}`baldwni2`")
    preview.wait_for_build(before, failing=True)
    expect(banner.get_by_role("listitem")).to_contain_text("unknown person 'baldwni2'", timeout=60_000)

    before = preview.edit("chapters/britain-1926.md", "\n\n{person}`baldwni2` in the banner test.", "")
    preview.wait_for_build(before)
    expect(banner).to_have_count(0, timeout=30_000)  # gone by itself once a build passes
    page.close()
