"""Numbered paragraphs in a real browser (Chromium through Playwright, the book served on 127.0.0.1):
links that lead to and highlight a paragraph, "Copy link" from the keyboard, what a screen reader
is given (the accessibility tree), the passage citation and its downloads, and axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browsing import Visit, axe_violations

PAGE = "chapters/germany-1923.html"


@pytest.fixture
def open_page(visit):
    """A page of the book with the clipboard allowed and downloads kept ("Copy link", the citation's files)."""

    def opened(path: str, width: int = 1280) -> Visit:
        return visit(path, width=width, permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)

    return opened


def test_a_paragraph_link_scrolls_to_and_highlights_its_paragraph(open_page):
    record = open_page(f"{PAGE}#p-20")
    page = record.page
    paragraph = page.locator("#p-20")
    expect(paragraph).to_be_in_viewport()
    assert paragraph.evaluate("p => getComputedStyle(p).outlineStyle") == "solid"
    assert page.locator("#p-19").evaluate("p => getComputedStyle(p).outlineStyle") == "none"
    # a paragraph whose first id is an event's or a label's is highlighted too (its p-<n> is a span)
    page.goto(page.url.split("#")[0] + "#p-15")
    assert page.locator("p:has(> #p-15)").evaluate("p => getComputedStyle(p).outlineStyle") == "solid"


def test_the_number_is_one_named_link_for_screen_readers_and_not_part_of_the_sentence(open_page):
    record = open_page(PAGE)
    page = record.page
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
    record = open_page(PAGE, width=375)
    page = record.page
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
    assert record.problems() == []


def test_the_citation_names_the_paragraph_the_address_leads_to(open_page):
    record = open_page(f"{PAGE}#p-14")
    page = record.page
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
    assert record.problems() == []


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_with_copy_link_offered_and_the_citation_open(open_page, width):
    record = open_page(f"{PAGE}#p-14", width=width)
    page = record.page
    page.locator("details.cite-panel summary").click()
    page.locator('a.para-number[href="#p-14"]').focus()
    expect(page.locator("button.para-copy")).to_have_count(1)
    assert axe_violations(page, exclude=("#pst-back-to-top",)) == []  # the button is test_browser.py's
