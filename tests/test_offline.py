"""The web book offline: manifest and icons, the service worker's precache, and a real browser that
reads, searches and draws charts with the network off after one visit, then picks up a new edition."""

from __future__ import annotations

import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops
from playwright.sync_api import Browser, expect

from browsing import axe_violations
from tools import icons
from tools.localserver import serve

PRECACHE_ENTRY = re.compile(r'\{"revision":"([0-9a-f]+)","url":"([^"]+)"\}')  # injectManifest's JSON
NOTICE = "#studybook-new-edition"


def precached(book) -> dict[str, str]:
    return {url: revision for revision, url in PRECACHE_ENTRY.findall((book / "sw.js").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def page_paths(pages) -> list[str]:
    """The pages a reader opens (the root index.html only redirects)."""
    return [name for name, soup in pages.items() if soup.find("main")]


def wait_until_kept_offline(page) -> None:
    """The worker is active once it has precached the whole book."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def test_manifest_names_the_book_and_its_icons(html_build, pages):
    manifest = json.loads((html_build / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"].startswith("Trotsky and the World Revolution")
    assert manifest["start_url"] == "chapters/index.html" and manifest["display"] == "standalone"
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    for icon in manifest["icons"]:
        assert (html_build / icon["src"]).is_file(), icon
        if icon["type"] == "image/png":
            assert Image.open(html_build / icon["src"]).size == tuple(map(int, icon["sizes"].split("x")))
    head = pages["chapters/germany-1923.html"].head
    assert head.find("link", rel="manifest")["href"] == "../manifest.webmanifest"
    assert {meta["media"] for meta in head.find_all("meta", attrs={"name": "theme-color"})} == {
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    }


def test_png_icons_are_the_svg_as_chromium_draws_it(browser: Browser):
    for name, png in icons.render_all(browser).items():
        committed = Image.open(icons.ICONS / name).convert("RGBA")
        fresh = Image.open(io.BytesIO(png)).convert("RGBA")
        difference = ImageChops.difference(committed, fresh).getbbox()
        assert difference is None, f"{name} is out of date: run `python -m tools.icons`"


def test_the_worker_precaches_the_whole_book_but_not_the_downloads_or_sources(html_build, page_paths):
    entries = precached(html_build)
    assert set(page_paths) <= set(entries)
    for needed in (
        "searchindex.js",
        "_static/searchtools.js",
        "_static/studybook/plotly-basic.min.js",
        "_static/studybook/preview-texts.js",
        "_static/studybook/timeline.js",
        "_static/styles/pydata-sphinx-theme.css",
        "manifest.webmanifest",
    ):
        assert needed in entries, needed
    assert any(url.startswith("_images/timeline-") and url.endswith(".svg") for url in entries)
    assert any(url.endswith(".woff2") for url in entries)
    assert not [url for url in entries if url.startswith(("_sources/", "downloads/")) or url.endswith(".map")]
    size = sum((html_build / url).stat().st_size for url in entries)
    print(f"offline copy: {len(entries)} files, {size / 1e6:.2f} MB")
    assert size < 5e6  # the offline copy stays bounded (about 3.4 MB in December 2026)


def test_every_page_search_previews_and_charts_work_offline_after_one_visit(browser: Browser, html_build, pages, page_paths):
    figure_page = next(name for name, soup in pages.items() if soup.select("button.timeline-activate"))
    with serve(html_build) as base:
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "chapters/index.html")
        wait_until_kept_offline(page)
        context.set_offline(True)
        for path in page_paths:
            response = page.goto(base + path)
            assert response.ok and response.from_service_worker, path
            expect(page.locator("main h1").first).to_have_text(pages[path].select_one("main h1").get_text(strip=True))
        page.goto(base + "search.html?q=permanent+revolution")
        expect(page.locator("#search-results ul.search li").first).to_be_visible(timeout=20_000)
        page.goto(base + figure_page)
        page.locator("article a.reference.internal[href*='glossary.html#term-']").first.hover()
        expect(page.locator("#studybook-preview")).to_be_visible()
        button = page.locator("button.timeline-activate").first
        figure = button.locator("xpath=ancestor::figure").element_handle()
        button.click()
        figure.wait_for_selector(".timeline-chart svg.main-svg", state="visible", timeout=20_000)
        context.close()
        assert not errors, errors


def test_nothing_registers_from_a_file(browser: Browser, html_build):
    context = browser.new_context()
    page = context.new_page()
    messages = []
    page.on(
        "console", lambda message: message.type in ("error", "warning") and messages.append(f"{message.type}: {message.text}")
    )
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.goto((html_build / "chapters" / "index.html").as_uri(), wait_until="load")
    page.wait_for_timeout(1500)  # past the idle moment at which http pages register the worker
    assert not page.evaluate("'serviceWorker' in navigator && navigator.serviceWorker.controller !== null")
    assert not messages, messages
    context.close()


@pytest.fixture
def tiny_offline_book(tiny_book):
    tiny_book.with_service_worker()
    tiny_book.page("first", "# First page\n\nThe first edition says one thing.\n")
    tiny_book.page("second", "# Second page\n\nAnother page.\n")
    result = tiny_book.build()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return tiny_book


def test_a_new_edition_waits_for_the_reader_and_a_reload_shows_it(browser: Browser, tiny_offline_book):
    html = tiny_offline_book.folder / "_build" / "html"
    first_revisions = precached(html)
    with serve(html) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "chapters/first.html")
        wait_until_kept_offline(page)
        tiny_offline_book.page("first", "# First page\n\nThe second edition says another.\n")
        result = tiny_offline_book.build()
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert precached(html)["chapters/first.html"] != first_revisions["chapters/first.html"]
        # The next visit: the old edition stays, whole, until the reader agrees to reload.
        page.goto(base + "chapters/second.html")
        notice = page.locator(NOTICE)
        expect(notice).to_be_visible(timeout=60_000)
        expect(notice.get_by_role("status")).to_have_text(re.compile("new edition"))
        assert axe_violations(page) == []
        page.goto(base + "chapters/first.html")
        expect(page.locator("main")).to_contain_text("The first edition says one thing.")
        expect(notice).to_be_visible(timeout=30_000)
        reload = notice.get_by_role("button", name="Reload")
        reload.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("main")).to_contain_text("The second edition says another.")
        expect(page.locator(NOTICE)).to_have_count(0)
        context.close()


def download_links(html) -> dict[str, str]:
    page = BeautifulSoup((html / "chapters" / "index.html").read_text(encoding="utf-8"), "html.parser")
    menu = page.select_one(".dropdown-download-buttons")
    assert menu.button["aria-label"] == "Downloads"
    return {link["href"]: link.get_text(" ", strip=True) for link in menu.select("a[href*='downloads/']")}


def test_the_header_offers_the_books_pdf_and_epub_with_their_sizes(tiny_book):
    tiny_book.write("_build/pdf/trotsky-world-revolution-screen.pdf", b"%PDF" + b"x" * 2_345_000)
    tiny_book.write("_build/pdf/trotsky-world-revolution-print.pdf", b"%PDF" + b"x" * 2_456_000)
    tiny_book.write("_build/epub/trotsky-world-revolution.epub", b"PK" + b"x" * 186_000)
    result = tiny_book.build()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = tiny_book.folder / "_build" / "html"
    assert download_links(html) == {
        "../downloads/trotsky-world-revolution-screen.pdf": "Book (PDF, 2.3 MB)",
        "../downloads/trotsky-world-revolution-print.pdf": "Book (PDF for printing, 2.5 MB)",
        "../downloads/trotsky-world-revolution.epub": "Book (EPUB, 186 KB)",
    }
    assert (html / "downloads" / "trotsky-world-revolution-screen.pdf").stat().st_size == 2_345_004
    assert "downloads/" not in "".join(precached(html))  # kept offline only once downloaded


def test_without_a_printed_book_the_header_links_to_nothing_missing(tiny_book):
    tiny_book.write("_build/epub/trotsky-world-revolution.epub", b"PK" + b"x" * 186_000)
    result = tiny_book.build()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = tiny_book.folder / "_build" / "html"
    assert download_links(html) == {"../downloads/trotsky-world-revolution.epub": "Book (EPUB, 186 KB)"}
    assert not list((html / "downloads").glob("*.pdf"))


def test_the_live_preview_keeps_nothing_offline_and_retires_an_earlier_worker(tiny_book):
    # a tiny book builds as the live preview does (studybook_offline: false) unless told otherwise
    result = tiny_book.build()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    html = tiny_book.folder / "_build" / "html"
    assert "offline.js" not in (html / "chapters" / "index.html").read_text(encoding="utf-8")
    worker = (html / "sw.js").read_text(encoding="utf-8")
    assert "registration.unregister()" in worker and not precached(html)
