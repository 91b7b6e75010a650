"""Reading settings in a real browser: chosen with the keyboard in the header's dialog, applied
before the first paint of the next page, kept across a reload, and accessible with each setting."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from browsing import axe_violations
from tools.localserver import serve

PAGE = "chapters/germany-1923.html"
OTHER_PAGE = "chapters/britain-1926.html"
DIALOG = "#studybook-reader-settings"
# Records <html>'s reader attributes when <body> is created, that is before anything is painted.
AT_FIRST_PAINT = """
new MutationObserver((changes, observer) => {
  if (!document.body) return;
  window.readerAtFirstPaint = {...document.documentElement.dataset};
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture(scope="module")
def book_url(html_build):
    with serve(html_build) as url:
        yield url


@pytest.fixture
def page(browser: Browser, book_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
    context.add_init_script(AT_FIRST_PAINT)
    page = context.new_page()
    page.goto(book_url + PAGE)
    yield page
    context.close()


def text_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")


def open_settings_with_the_keyboard(page):
    button = page.get_by_role("button", name="Reading settings")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Reading settings")
    expect(dialog).to_be_visible()
    return dialog


def test_settings_chosen_with_the_keyboard_stay_across_pages_and_reloads(page, book_url):
    normal_size = text_size(page)
    note_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('aside.margin')).fontSize)")
    dialog = open_settings_with_the_keyboard(page)
    dialog.get_by_role("radio", name="Normal").first.focus()  # text size
    page.keyboard.press("ArrowRight")  # Large
    page.keyboard.press("ArrowRight")  # Larger
    dialog.get_by_role("radio", name="Sans-serif").focus()
    page.keyboard.press("ArrowRight")  # Serif
    dialog.get_by_role("radio", name="Wide").focus()
    page.keyboard.press("Space")
    dialog.get_by_role("radio", name="Sepia").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Reading settings")).to_be_focused()
    expected = {"readerSize": "larger", "readerFont": "serif", "readerSpacing": "wide", "readerScheme": "sepia", "theme": "light"}
    for path in (OTHER_PAGE, PAGE):
        page.goto(book_url + path)
        at_first_paint = page.evaluate("window.readerAtFirstPaint")
        assert expected.items() <= at_first_paint.items(), at_first_paint
    page.reload()
    assert expected.items() <= page.evaluate("window.readerAtFirstPaint").items()
    assert text_size(page) >= 1.25 * normal_size
    # The margin notes follow the text size, and the type is a serif.
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('aside.margin')).fontSize)") > note_size
    assert "serif" in page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily").split(",")[-1]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(246, 239, 223)"
    dialog = open_settings_with_the_keyboard(page)
    expect(dialog.get_by_role("radio", name="Larger")).to_be_checked()
    expect(dialog.get_by_role("radio", name="Sepia")).to_be_checked()


def test_the_theme_switcher_leaves_sepia_for_its_own_modes(page):
    dialog = open_settings_with_the_keyboard(page)
    dialog.get_by_role("radio", name="Sepia").check()
    page.keyboard.press("Escape")
    page.locator("button.theme-switch-button").click()
    expect(page.locator("html")).not_to_have_attribute("data-mode", "light")
    expect(page.locator("html")).not_to_have_attribute("data-reader-scheme", "sepia")
    assert "sepia" not in page.evaluate("localStorage.getItem('studybook-reader')")


SETTINGS = [
    ("size", "Small"),
    ("size", "Large"),
    ("size", "Larger"),
    ("font", "Serif"),
    ("spacing", "Compact"),
    ("spacing", "Wide"),
    ("scheme", "Light"),
    ("scheme", "Sepia"),
    ("scheme", "Dark"),
]


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_with_each_setting(browser: Browser, book_url, width):
    # The offline copy's worker is blocked: storing the whole book would compete with axe.
    context = browser.new_context(viewport={"width": width, "height": 800}, service_workers="block")
    page = context.new_page()
    page.goto(book_url + PAGE)
    found = {}
    for group, label in SETTINGS:
        page.evaluate("window.studybookReaderSettings()")
        dialog = page.get_by_role("dialog", name="Reading settings")
        dialog.get_by_role("radio", name=label, exact=True).check()
        violations = axe_violations(page)  # with the dialog open
        page.keyboard.press("Escape")
        page.reload()
        violations += axe_violations(page)
        if violations:
            found[f"{group}={label}"] = violations
    context.close()
    assert not found, found
