"""The built book in a real browser: Chromium through Playwright, the book served gzipped on 127.0.0.1.

Every page is checked with axe-core (WCAG 2.1 A and AA rules) at 1280 and 375 px, light and dark;
then what axe cannot see, read from Chromium's accessibility tree and computed styles: headings and
links exposed to screen readers on phones, a visible focus at every keyboard stop (light, dark,
forced colours), previews that fit, named controls; then margin notes, timelines, search,
printing, console errors and requests.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from browsing import axe_violations, visitor
from conftest import PART_PAGES
from tools.localserver import serve

WIDTHS = (1280, 375)
PREVIEW = "#studybook-preview"
CHAPTER_PAGE = "chapters/germany-1923.html"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def teacher_book_url(teacher_html_build):
    with serve(teacher_html_build) as url:
        yield url


@pytest.fixture
def visit_teacher(browser: Browser, teacher_book_url: str):
    """visit() in the teacher edition, the one with the guidance for group leaders."""
    yield from visitor(browser, teacher_book_url)


@pytest.fixture(scope="session")
def page_paths(pages) -> list[str]:
    """Every page a reader can open (the root index.html is only a redirect to chapters/index.html)."""
    return [name for name, soup in pages.items() if soup.find("main")]


@pytest.fixture(scope="session")
def figure_pages(pages) -> list[str]:
    return [name for name, soup in pages.items() if soup.select("button.timeline-activate")]


def activate_chart(page: Page, button) -> None:
    figure = button.locator("xpath=ancestor::figure").element_handle()  # the button goes once the chart is live
    button.click()
    figure.wait_for_selector(".timeline-chart svg.main-svg", state="visible", timeout=20_000)


def term_link(page: Page):
    return page.locator("article a.reference.internal[href*='glossary.html#term-']").first


def test_axe_reports_every_violation_it_finds(browser: Browser):
    """The check below is only as good as axe_violations(): a page with two faults must give both."""
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><head><title>Faults</title></head><body><main><h1>Faults</h1><img src="x.png">'
        '<p style="color:#bbb;background:#fff">Pale text on white.</p></main></body></html>'
    )
    found = axe_violations(page)
    page.close()
    assert [v.split(" ")[0] for v in found] == ["color-contrast", "image-alt"], found


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_any_page(visit, page_paths, width, dark):
    # One tab reads every page. The offline copy's worker is blocked: it changes nothing on the page,
    # and storing the whole book would compete with axe (test_offline.py checks it, and its notice).
    tab = visit(width=width, dark=dark, service_workers="block")
    found = {}
    for path in page_paths:
        violations = axe_violations(tab.go(path).page)
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
    exposed = {
        node.get("backendDOMNodeId")
        for node in cdp.send("Accessibility.getFullAXTree")["nodes"]
        if not node.get("ignored") and node.get("role", {}).get("value") in ("heading", "link")
    }
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


# The focused element's outline, the colour behind it (the element's own background for an outline
# drawn inward, its parent's for one drawn outside) and whether a box that clips overflow cuts it.
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const opaque = (colour) => !/rgba\\(.*, 0\\)$|transparent/.test(colour);
  let behind = parseFloat(style.outlineOffset) < 0 ? element : element.parentElement;
  while (behind && !opaque(getComputedStyle(behind).backgroundColor)) behind = behind.parentElement;
  const name = element.getAttribute("aria-label") || element.textContent.trim().slice(0, 40);
  // the outline's outer edge, and whether an ancestor that clips its overflow cuts it off
  const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
  const box = element.getBoundingClientRect();
  let clipped = false;
  for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) {
    if (getComputedStyle(ancestor).overflow === "visible" || ancestor === document.documentElement) continue;
    const frame = ancestor.getBoundingClientRect();
    clipped ||= box.left - reach < frame.left - 0.5 || box.right + reach > frame.right + 0.5
      || box.top - reach < frame.top - 0.5 || box.bottom + reach > frame.bottom + 0.5;
  }
  return {
    what: `${element.tagName.toLowerCase()}.${element.className} "${name}"`,
    key: String(element.dataset.testStop ??= (window.testStops = (window.testStops ?? 0) + 1)),
    width: parseFloat(style.outlineWidth), style: style.outlineStyle, colour: style.outlineColor,
    background: behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)", clipped,
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
        if focus["width"] <= 0 or focus["style"] == "none" or ratio < 3 or focus["clipped"]:
            unseen.append(
                f"{focus['what']}: outline {focus['width']}px {focus['style']} {focus['colour']}"
                f" on {focus['background']} ({ratio:.1f}:1){' clipped' if focus['clipped'] else ''}"
            )
    else:
        pytest.fail("the focus never came round to the first stop again")
    assert stops > 50
    assert not unseen, "\n".join(unseen)


def test_no_horizontal_scrolling_at_375_px(visit, page_paths):
    tab = visit(width=375, service_workers="block")  # one tab reads every page (as the axe check above)
    too_wide = []
    for path in page_paths:
        page = tab.go(path).page
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 375:
            too_wide.append(f"{path}: {scroll_width}px")
    assert not too_wide


def test_no_console_errors_and_no_request_to_another_host(visit, page_paths, figure_pages):
    # A tab per width reads every page. The offline copy's worker is blocked, so that every request
    # meets the recording route (Playwright's routes do not see what a worker answers); test_offline.py
    # checks the worker.
    problems = []
    for width in WIDTHS:
        record = visit(width=width, service_workers="block")
        for path in page_paths:
            page = record.go(path).page
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
    expect(link).to_have_attribute("aria-describedby", "studybook-preview-description")
    page.mouse.move(0, 0)  # the preview stays while the pointer moves onto it, then goes
    expect(preview).to_be_hidden()
    link.hover()
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "studybook-preview-description")


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


@pytest.mark.parametrize(
    "kind, selector",
    [
        ("person", "article a.reference.internal[href*='people.html#person-']"),
        ("citation", "article a.reference.internal[href*='bibliography.html#']"),
    ],
)
def test_person_and_source_previews_show_their_entries(visit, pages, kind, selector):
    page = visit(CHAPTER_PAGE).page
    link = page.locator(selector).first
    target_page, anchor = link.get_attribute("href").split("#")
    entry = pages[f"chapters/{target_page}"].find(id=anchor)
    text = (entry.find_next_sibling("dd") if entry.name == "dt" else entry).p.get_text(" ", strip=True)
    link.hover()
    # get_text(" ") puts a space after an italic title, before its full stop; the page has none
    expect(page.locator(PREVIEW)).to_contain_text(re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text))[:50])


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


PREVIEW_LINKS = "article a.reference.internal:is([href*='glossary.html#'], [href*='people.html#'], [href*='bibliography.html#'])"
# Where the open preview is: inside the window, scrolling inside if its entry is taller, and clear of
# every line of its link.
PREVIEW_PLACE = """(link) => {
  const preview = document.querySelector("#studybook-preview");
  const box = preview.getBoundingClientRect();
  const inside = box.top >= -0.5 && box.left >= -0.5 && box.bottom <= innerHeight + 0.5
    && box.right <= document.documentElement.clientWidth + 0.5;
  const scrolls = preview.scrollHeight <= preview.clientHeight + 1 || /auto|scroll/.test(getComputedStyle(preview).overflowY);
  const covered = [...link.getClientRects()].filter((line) => line.bottom > box.top + 0.5 && line.top < box.bottom - 0.5
    && line.right > box.left + 0.5 && line.left < box.right - 0.5).length;
  return { inside, scrolls, covered, lines: link.getClientRects().length };
}"""


@pytest.mark.parametrize("width, height", [(375, 740), (320, 256)], ids=["phone", "400-percent-zoom"])
def test_previews_fit_the_window_scroll_inside_and_leave_their_link_visible(visit, width, height):
    page = visit(CHAPTER_PAGE, width=width, height=height).page
    links = page.locator(PREVIEW_LINKS).filter(visible=True)  # not those in closed guidance
    preview, misplaced, wrapped = page.locator(PREVIEW), [], 0
    assert links.count() > 30
    for index in range(links.count()):
        link = links.nth(index)
        link.hover()
        expect(preview).to_be_visible()
        place = page.evaluate(PREVIEW_PLACE, link.element_handle())
        wrapped += place["lines"] > 1
        if not (place["inside"] and place["scrolls"]) or place["covered"]:
            misplaced.append(f"{link.get_attribute('href')}: {place}")
        page.keyboard.press("Escape")
    assert wrapped, "no link wrapped onto a second line: the test should cover one"
    assert not misplaced, "\n".join(misplaced)


def ax_node(page: Page, selector: str) -> dict:
    """The accessibility-tree node of the first element that matches: role, name, description, states."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node_id = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node_id, selector
    node = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"][0]
    return {
        "role": node["role"]["value"],
        "name": node.get("name", {}).get("value", ""),
        "description": node.get("description", {}).get("value", ""),
        **{item["name"]: item["value"].get("value") for item in node.get("properties", [])},
    }


def test_a_focused_link_is_described_by_its_entrys_first_sentence_and_previews_the_whole_entry(visit, pages):
    page = visit(CHAPTER_PAGE).page
    link = page.locator("article a.reference.internal[href$='glossary.html#term-hyperinflation']").first
    entry = pages["chapters/glossary.html"].select_one("dt#term-hyperinflation + dd p").get_text().strip()
    entry = re.sub(r"\s+", " ", entry)
    link.focus()
    page.keyboard.press("Shift+Tab")
    for _ in range(3):  # back with the keyboard, which opens the preview (a paragraph's "Copy link" may come first)
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    expect(page.locator(PREVIEW)).to_be_visible()
    described = ax_node(page, "article a[aria-describedby]")
    assert described["description"] == entry.split(". ")[0] + ".", described
    expect(page.locator(PREVIEW)).to_contain_text(entry[-40:])


def test_enter_follows_a_link_after_an_earlier_tap(visit):
    page = visit(CHAPTER_PAGE, width=375, touch=True).page
    links = page.locator("article a.reference.internal[href*='glossary.html#term-']")
    links.nth(0).tap()  # previews, as a first tap does
    expect(page.locator(PREVIEW)).to_be_visible()
    heading = page.locator("article h1").first.bounding_box()
    page.touchscreen.tap(heading["x"] + 4, heading["y"] + heading["height"] / 2)  # elsewhere: closes it
    expect(page.locator(PREVIEW)).to_be_hidden()
    target = links.nth(1).get_attribute("href").split("#")[1]
    links.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"glossary\\.html#{re.escape(target)}$"))


def test_guidance_toggles_are_disclosures_named_for_their_question(visit_teacher):
    page = visit_teacher(CHAPTER_PAGE).page
    summaries = page.locator("details.guidance > summary")
    assert summaries.count() == 6
    for number in range(1, 7):
        node = ax_node(page, f"section#discussion-questions > ol > li:nth-child({number}) details.guidance > summary")
        assert node["name"] == f"Guidance for group leaders on question {number}", node
        assert node["expanded"] is False, node
    guidance = page.locator("details.guidance").first
    expect(guidance.locator("p").first).to_be_hidden()
    summaries.first.focus()
    page.keyboard.press("Enter")
    expect(guidance.locator("p").first).to_be_visible()
    assert ax_node(page, "details.guidance > summary")["expanded"] is True


def test_margin_notes_are_notes_named_by_their_title_and_level_with_their_paragraph(visit):
    drifting = []
    for part in PART_PAGES:
        page = visit(f"chapters/{part}.html", width=1280).page
        node = ax_node(page, "aside.margin")
        assert (node["role"], node["name"]) == ("note", page.locator("aside.margin .sidebar-title").first.inner_text())
        drifting += page.evaluate(
            """(part) => [...document.querySelectorAll("article aside.margin")].flatMap((note) => {
          let next = note.nextElementSibling;
          while (next && next.getBoundingClientRect().height === 0) next = next.nextElementSibling;
          if (!next || next.matches("aside.margin, section, h1, h2, h3, h4, h5, h6")) return [];
          const drift = note.getBoundingClientRect().top - next.getBoundingClientRect().top;
          return Math.abs(drift) > 2 ? [`${part}: "${note.querySelector(".sidebar-title").textContent}" ${drift} px`] : [];
        })""",
            part,
        )
    assert not drifting, drifting


@pytest.mark.parametrize(
    "toggle, dialog, name",
    [
        (".primary-toggle", "#pst-primary-sidebar-modal", "Book navigation"),
        (".secondary-toggle", "#pst-secondary-sidebar-modal", "Contents of this page"),
    ],
)
def test_sidebar_dialogs_on_phones_are_named_and_escape_returns_to_their_toggle(visit, toggle, dialog, name):
    page = visit(CHAPTER_PAGE, width=375).page
    button = page.locator(toggle)
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(dialog)).to_be_visible()
    assert ax_node(page, dialog)["name"] == name
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.locator(dialog)).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")


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


def test_search_page_focuses_its_field_and_announces_the_result_count(visit):
    page = visit("search.html?q=permanent+revolution").page
    expect(page.locator("#search-results ul.search li").first).to_be_visible(timeout=20_000)
    expect(page.locator(".bd-search-container input[name='q']")).to_be_focused()
    status = page.locator("[role='status']")
    expect(status).to_have_count(1)
    expect(status).to_contain_text("found", timeout=20_000)  # Sphinx lists results one by one: wait for the end
    count = page.locator("#search-results ul.search > li").count()
    expect(status).to_contain_text(f"found {count} page")


def test_printing_the_teachers_page_prints_the_guidance_open(visit_teacher):
    page = visit_teacher(CHAPTER_PAGE).page
    page.emulate_media(media="print")
    expect(page.locator("details.guidance > p").first).to_be_visible()


def test_printing_drops_navigation_and_buttons_and_keeps_notes(visit):
    page = visit(CHAPTER_PAGE).page
    page.emulate_media(media="print")
    for selector in (
        "header.bd-header",
        "#pst-primary-sidebar",
        ".bd-sidebar-secondary",
        "#pst-skip-link",
        "footer.prev-next-footer",
        ".bd-header-article",
    ):
        expect(page.locator(selector).first).to_be_hidden()
    visible_buttons = [b for b in page.locator("button").all() if b.is_visible()]
    assert not visible_buttons, [b.evaluate("b => b.outerHTML.slice(0, 120)") for b in visible_buttons]
    expect(page.locator("aside.margin").first).to_be_visible()
    expect(page.locator("h1").filter(visible=True).first).to_contain_text("Germany 1923")
