"""The built book in a real browser: Chromium through Playwright, the book served gzipped on 127.0.0.1.

Every page is checked with axe-core (WCAG 2.1 A and AA rules) at 1280 and 375 px, light and dark;
then what axe cannot see, read from Chromium's accessibility tree and computed styles: headings and
links exposed to screen readers on phones, a visible focus at every keyboard stop (light, dark,
forced colours), previews that fit, named controls; then margin notes, timelines, search,
printing, console errors and requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import PART_PAGES, ROOT
from tools.localserver import serve

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 375)
PREVIEW = "#studybook-preview"
CHAPTER_PAGE = "chapters/germany-1923.html"

pytestmark = pytest.mark.browser


@dataclass
class Visit:
    """A page opened in a fresh browser context, with what went wrong while it was open."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.console_errors + self.foreign_requests + self.failed_requests


@pytest.fixture(scope="session")
def book_url(html_build):
    with serve(html_build) as url:
        yield url


@pytest.fixture
def visit(browser: Browser, book_url: str):
    """visit(path, width=1280, dark=False, touch=False, height=800, forced_colors=False) -> Visit;
    every request is routed and recorded."""
    contexts = []
    host = urlparse(book_url).netloc

    def open_page(path: str, width: int = 1280, dark: bool = False, touch: bool = False,
                  height: int = 800, forced_colors: bool = False) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch,
                                      color_scheme="dark" if dark else "light",
                                      forced_colors="active" if forced_colors else "none")
        contexts.append(context)
        page = context.new_page()
        record = Visit(page)

        def route(route, request):
            if urlparse(request.url).netloc == host or request.url.startswith("data:"):
                route.continue_()
            else:
                record.foreign_requests.append(f"{path}: request to another host: {request.url}")
                route.abort()

        page.route("**/*", route)
        page.on("console", lambda message: message.type == "error"
                and record.console_errors.append(f"{path}: console error: {message.text}"))
        page.on("pageerror", lambda error: record.console_errors.append(f"{path}: uncaught: {error}"))
        page.on("response", lambda response: response.status >= 400
                and record.failed_requests.append(f"{path}: HTTP {response.status} {response.url}"))
        page.goto(book_url + path, wait_until="load")
        expect(page.locator("html")).to_have_attribute("data-theme", "dark" if dark else "light")
        return record

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def page_paths(pages) -> list[str]:
    """Every page a reader can open (the root index.html is only a redirect to chapters/index.html)."""
    return [name for name, soup in pages.items() if soup.find("main")]


@pytest.fixture(scope="session")
def figure_pages(pages) -> list[str]:
    return [name for name, soup in pages.items() if soup.select("button.timeline-activate")]


def axe_violations(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_A_AA)
    return [f"{v['id']} ({v['impact']}): {node['target']}" for v in result["violations"] for node in v["nodes"]]


def activate_chart(page: Page, button) -> None:
    figure = button.locator("xpath=ancestor::figure").element_handle()  # the button goes once the chart is live
    button.click()
    figure.wait_for_selector(".timeline-chart svg.main-svg", state="visible", timeout=20_000)


def term_link(page: Page):
    return page.locator("article a.reference.internal[href*='glossary.html#term-']").first


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_any_page(visit, page_paths, width, dark):
    found = {}
    for path in page_paths:
        violations = axe_violations(visit(path, width=width, dark=dark).page)
        print(f"axe {width}px {'dark' if dark else 'light'} {path}: {len(violations)} violations")
        if violations:
            found[path] = violations
    assert not found, found


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_with_a_preview_open_and_a_chart_live(visit, figure_pages, width, dark):
    page = visit(figure_pages[0], width=width, dark=dark).page
    activate_chart(page, page.locator("button.timeline-activate").first)
    term_link(page).hover()
    expect(page.locator(PREVIEW)).to_be_visible()
    assert axe_violations(page) == []


# Marks the article's headings and links that a sighted reader can reach (display, visibility),
# whether or not they are on screen, and returns how many there are.
MARK_HEADINGS_AND_LINKS = """() => {
  const wanted = [...document.querySelectorAll("article :is(h1, h2, h3, h4, h5, h6, a[href])")]
    .filter((element) => element.checkVisibility({ visibilityProperty: true }));
  wanted.forEach((element, index) => element.setAttribute("data-test-wanted", index));
  return wanted.length;
}"""


def missing_from_accessibility_tree(page: Page) -> list[str]:
    """The marked headings and links that Chromium's accessibility tree (what screen readers get) lacks."""
    assert page.evaluate(MARK_HEADINGS_AND_LINKS) > 0
    cdp = page.context.new_cdp_session(page)
    exposed = {node.get("backendDOMNodeId") for node in cdp.send("Accessibility.getFullAXTree")["nodes"]
               if not node.get("ignored") and node.get("role", {}).get("value") in ("heading", "link")}
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    missing = []
    for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-test-wanted]"})["nodeIds"]:
        node = cdp.send("DOM.describeNode", {"nodeId": node_id})["node"]
        if node["backendNodeId"] not in exposed:
            attributes = dict(zip(node["attributes"][::2], node["attributes"][1::2]))
            missing.append(f"{node['localName']} {attributes.get('href', attributes.get('id', ''))}")
    return missing


def test_every_heading_and_link_of_a_part_page_is_exposed_to_screen_readers_at_375_px(visit):
    missing = {}
    for part in PART_PAGES:
        page = visit(f"chapters/{part}.html", width=375).page
        if found := missing_from_accessibility_tree(page):
            missing[part] = found
    assert not missing, missing


# The focused element's outline and the colour behind it: the element's own background for an
# outline drawn inward, its parent's for one drawn outside.
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const opaque = (colour) => !/rgba\\(.*, 0\\)$|transparent/.test(colour);
  let behind = parseFloat(style.outlineOffset) < 0 ? element : element.parentElement;
  while (behind && !opaque(getComputedStyle(behind).backgroundColor)) behind = behind.parentElement;
  const name = element.getAttribute("aria-label") || element.textContent.trim().slice(0, 40);
  return {
    what: `${element.tagName.toLowerCase()}.${element.className} "${name}"`,
    key: String(element.dataset.testStop ??= (window.testStops = (window.testStops ?? 0) + 1)),
    width: parseFloat(style.outlineWidth), style: style.outlineStyle, colour: style.outlineColor,
    background: behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)",
  };
}"""


def contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (alpha ignored: the outline is drawn opaque)."""
    def luminance(css: str) -> float:
        red, green, blue = (float(x) / 255 for x in re.findall(r"[\d.]+", css)[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["light", "dark", "forced-colours"])
def test_every_keyboard_stop_shows_an_outline_at_3_to_1(visit, mode, width):
    page = visit(CHAPTER_PAGE, width=width, dark=mode == "dark", forced_colors=mode == "forced-colours").page
    first, stops, unseen = None, 0, []
    for _ in range(600):  # Tab through the whole page until the focus comes round again
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus is None:
            continue
        if focus["key"] == first:
            break
        first = first or focus["key"]
        stops += 1
        ratio = contrast(focus["colour"], focus["background"])
        if focus["width"] <= 0 or focus["style"] == "none" or ratio < 3:
            unseen.append(f"{focus['what']}: outline {focus['width']}px {focus['style']} {focus['colour']}"
                          f" on {focus['background']} ({ratio:.1f}:1)")
    else:
        pytest.fail("the focus never came round to the first stop again")
    assert stops > 50
    assert not unseen, "\n".join(unseen)


def test_no_horizontal_scrolling_at_375_px(visit, page_paths):
    too_wide = []
    for path in page_paths:
        page = visit(path, width=375).page
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 375:
            too_wide.append(f"{path}: {scroll_width}px")
    assert not too_wide


def test_no_console_errors_and_no_request_to_another_host(visit, page_paths, figure_pages):
    problems = []
    for path in page_paths:
        for width in WIDTHS:
            record = visit(path, width=width)
            page = record.page
            if term_link(page).count():
                term_link(page).hover()
                expect(page.locator(PREVIEW)).to_be_visible()
            if path in figure_pages:
                activate_chart(page, page.locator("button.timeline-activate").first)
            problems += record.problems()
    assert not problems, "\n".join(problems)


def test_term_preview_on_hover_shows_the_glossary_entry_and_escape_closes_it(visit, pages):
    page = visit(CHAPTER_PAGE).page
    link = term_link(page)
    anchor = link.get_attribute("href").split("#")[1]
    entry = pages["chapters/glossary.html"].find(id=anchor).find_next_sibling("dd").p.get_text(" ", strip=True)
    link.hover()
    preview = page.locator(PREVIEW)
    expect(preview).to_be_visible()
    expect(preview).to_contain_text(entry[:60])
    expect(link).to_have_attribute("aria-describedby", "studybook-preview")
    page.mouse.move(0, 0)  # the preview stays while the pointer moves onto it, then goes
    expect(preview).to_be_hidden()
    link.hover()
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "studybook-preview")


def test_term_preview_on_keyboard_focus(visit):
    page = visit(CHAPTER_PAGE).page
    link = term_link(page)
    for _ in range(400):  # Tab from the top of the page to the first term link, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches(\"article a[href*='glossary.html#term-']\")"):
            break
    expect(link).to_be_focused()
    expect(page.locator(PREVIEW)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(PREVIEW)).to_be_hidden()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(PREVIEW)).to_be_visible()
    page.keyboard.press("Tab")  # leaving the link closes its preview
    expect(link).not_to_be_focused()
    if not page.evaluate("document.activeElement.matches(\"a[href*='#term-'], a[href*='#person-']\")"):
        expect(page.locator(PREVIEW)).to_be_hidden()


@pytest.mark.parametrize("kind, selector", [
    ("person", "article a.reference.internal[href*='people.html#person-']"),
    ("citation", "article a.reference.internal[href*='bibliography.html#']"),
])
def test_person_and_source_previews_show_their_entries(visit, pages, kind, selector):
    page = visit(CHAPTER_PAGE).page
    link = page.locator(selector).first
    target_page, anchor = link.get_attribute("href").split("#")
    entry = pages[f"chapters/{target_page}"].find(id=anchor)
    text = (entry.find_next_sibling("dd") if entry.name == "dt" else entry).p.get_text(" ", strip=True)
    link.hover()
    expect(page.locator(PREVIEW)).to_contain_text(re.sub(r"\s+", " ", text)[:50])


def test_a_first_tap_previews_and_a_second_tap_follows_the_link(visit):
    page = visit(CHAPTER_PAGE, width=375, touch=True).page
    link = term_link(page)
    link.tap()
    expect(page.locator(PREVIEW)).to_be_visible()
    assert page.url.endswith(CHAPTER_PAGE)
    box = page.locator(PREVIEW).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    link.tap()
    page.wait_for_url(re.compile(r"glossary\.html#term-"))


def test_margin_notes_sit_in_the_margin_on_wide_screens(visit):
    page = visit(CHAPTER_PAGE, width=1280).page
    note = page.locator("aside.margin").first
    paragraph = page.locator("article section > p").first
    note_box, text_box = note.bounding_box(), paragraph.bounding_box()
    assert note_box["x"] >= text_box["x"] + text_box["width"] - 1, (note_box, text_box)


def test_margin_notes_are_whole_and_readable_on_narrow_screens(visit):
    page = visit(CHAPTER_PAGE, width=375).page
    notes = page.locator("aside.margin")
    assert notes.count() > 0
    for index in range(notes.count()):
        note = notes.nth(index)
        note.scroll_into_view_if_needed()
        expect(note).to_be_visible()
        box = note.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
        assert note.evaluate("n => n.scrollHeight <= n.clientHeight + 1")


def test_timelines_draw_when_activated_with_the_basic_plotly_bundle(visit, figure_pages):
    assert figure_pages
    for path in figure_pages:
        page = visit(path).page
        buttons = page.locator("button.timeline-activate").all()
        with page.expect_request(re.compile(r"plotly")) as plotly_request:
            activate_chart(page, buttons[0])
        assert plotly_request.value.url.endswith("/_static/studybook/plotly-basic.min.js")
        for button in buttons[1:]:
            activate_chart(page, button)
        assert page.locator(".timeline-chart:has(svg.main-svg)").count() == len(buttons)


def test_search_finds_permanent_revolution(visit):
    page = visit("search.html?q=permanent+revolution").page
    results = page.locator("#search-results ul.search li")
    expect(results.first).to_be_visible(timeout=20_000)
    titles = " ".join(results.locator("a").all_inner_texts())
    assert "Glossary" in titles or "Socialism in one country" in titles, titles


def test_printing_drops_navigation_and_buttons_and_keeps_notes(visit):
    page = visit(CHAPTER_PAGE).page
    page.emulate_media(media="print")
    for selector in ("header.bd-header", "#pst-primary-sidebar", ".bd-sidebar-secondary", "#pst-skip-link",
                     "footer.prev-next-footer", ".bd-header-article"):
        expect(page.locator(selector).first).to_be_hidden()
    visible_buttons = [b for b in page.locator("button").all() if b.is_visible()]
    assert not visible_buttons, [b.evaluate("b => b.outerHTML.slice(0, 120)") for b in visible_buttons]
    expect(page.locator("aside.margin").first).to_be_visible()
    expect(page.locator("h1").filter(visible=True).first).to_contain_text("Germany 1923")
