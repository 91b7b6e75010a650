"""Numbered paragraphs in a real browser (Chromium through Playwright, the book served on 127.0.0.1):
links that lead to and highlight a paragraph, "Copy link" from the keyboard, what a screen reader
is given (the accessibility tree), the passage citation and its downloads, and axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from conftest import ROOT
from tools.localserver import serve

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGE = "chapters/germany-1923.html"


@pytest.fixture(scope="module")
def book_url(html_build):
    with serve(html_build) as url:
        yield url


@pytest.fixture
def open_page(browser: Browser, book_url: str):
    contexts = []

    def opened(path: str, width: int = 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, permissions=["clipboard-read", "clipboard-write"], accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(book_url + path, wait_until="load")
        page.errors = errors
        return page

    yield opened
    for context in contexts:
        context.close()


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    # the theme's back-to-top button, which shows once a link has scrolled the page, is test_browser.py's
    result = page.evaluate(
        "(tags) => axe.run({exclude: [['#pst-back-to-top']]}, {runOnly: {type: 'tag', values: tags}})", WCAG_21_A_AA
    )
    return [f"{v['id']}: {node['target']}" for v in result["violations"] for node in v["nodes"]]


def test_a_paragraph_link_scrolls_to_and_highlights_its_paragraph(open_page):
    page = open_page(f"{PAGE}#p-20")
    paragraph = page.locator("#p-20")
    expect(paragraph).to_be_in_viewport()
    assert paragraph.evaluate("p => getComputedStyle(p).outlineStyle") == "solid"
    assert page.locator("#p-19").evaluate("p => getComputedStyle(p).outlineStyle") == "none"
    # a paragraph whose first id is an event's or a label's is highlighted too (its p-<n> is a span)
    page.goto(page.url.split("#")[0] + "#p-15")
    assert page.locator("p:has(> #p-15)").evaluate("p => getComputedStyle(p).outlineStyle") == "solid"


def test_the_number_is_one_named_link_for_screen_readers_and_not_part_of_the_sentence(open_page):
    page = open_page(PAGE)
    expect(page.get_by_role("link", name="Paragraph 1 ¶ 3", exact=True)).to_have_count(1)
    tree = page.locator("#p-3").aria_snapshot()
    # the number is a link of its own before the sentence, and no text of the sentence holds it
    paragraph, link, *rest = tree.splitlines()
    assert link.strip().startswith('- link "Paragraph 1 ¶ 3"')
    indent = len(link) - len(link.lstrip())
    sentence = [line.strip() for line in rest if len(line) - len(line.lstrip()) == indent]
    assert sentence[0].startswith("- text: This part tests each claim")
    assert not [line for line in sentence if "¶" in line]


def test_copy_link_from_the_keyboard(open_page):
    page = open_page(PAGE, width=375)
    page.locator('a.para-number[href="#p-3"]').focus()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Copy link to paragraph 1 ¶ 3")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    # the page has other status lines (the self-checks'): the copy-link one is the one that speaks
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_have_count(1)
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/{PAGE}#p-3")
    page.keyboard.press("Escape")
    expect(button).to_have_count(0)
    expect(page.locator('a.para-number[href="#p-3"]')).to_be_focused()
    assert page.errors == []


def test_the_citation_names_the_paragraph_the_address_leads_to(open_page):
    page = open_page(f"{PAGE}#p-14")
    panel = page.locator("details.cite-panel")
    panel.locator("summary").click()
    expect(panel.locator("summary")).to_have_text("Cite this page or paragraph 1 ¶ 14")
    citation = panel.locator(".cite-chicago").inner_text()
    assert "“Germany 1923 and Lessons of October.”" in citation and ", 1 ¶ 14." in citation
    assert citation.rstrip(".").endswith(f"/{PAGE}#p-14") and "edition " in citation
    with page.expect_download() as download:
        panel.get_by_role("link", name="BibTeX").click()
    bibtex = open(download.value.path(), encoding="utf-8").read()
    assert bibtex.startswith("@incollection{") and "note = {1 ¶ 14}" in bibtex and "edition = {" in bibtex
    with page.expect_download() as download:
        panel.get_by_role("link", name="RIS").click()
    ris = open(download.value.path(), encoding="utf-8").read()
    assert ris.startswith("TY  - CHAP") and "N1  - 1 ¶ 14" in ris and ris.rstrip().endswith("ER  -")
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_with_copy_link_offered_and_the_citation_open(open_page, width):
    page = open_page(f"{PAGE}#p-14", width=width)
    page.locator("details.cite-panel summary").click()
    page.locator('a.para-number[href="#p-14"]').focus()
    expect(page.locator("button.para-copy")).to_have_count(1)
    assert axe_violations(page) == []
