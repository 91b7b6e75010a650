"""Numbered paragraphs (issue 16): the same number for the same paragraph on the web, in the PDF and
in the EPUB, each read from the real book's output (the web pages with BeautifulSoup, the EPUB's
pages from the zip, the PDF's lines with pdfplumber)."""

from __future__ import annotations

import collections
import csv
import re
import unicodedata
import zipfile

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, pdf_page_texts

OPENING = 24  # characters, about the first four words
BODY_SIZE = 11  # pt, Pagella: the text column
LABEL = re.compile(r"^(\S+) ?¶ ?(\d+)\s+(.*)$")


def numbered_pages() -> list[str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return list(config["sphinx"]["config"]["studybook_paragraph_pages"])


def words(text: str) -> str:
    """The paragraph's opening, compared as letters and digits only: without spaces (pdfplumber runs
    the words of a tightly set line together), punctuation, case, ligatures or soft hyphens, and
    without what stands in brackets, where a cross-reference gives the chapter's title on the web
    and "chapter 1, p. 13" in print."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"\([^)]*(\)|$)", "", text)
    return "".join(re.findall(r"\w+", text.lower()))[:OPENING]


def paragraphs_of(page: BeautifulSoup) -> list[tuple[str, str]]:
    """(label, first words) of each numbered paragraph of one web or EPUB page."""
    found = []
    for paragraph in page.select("p.numbered"):
        number = paragraph.select_one("a.para-number")
        number.extract()
        for hidden in paragraph.select(".visually-hidden, button"):
            hidden.decompose()
        found.append((number.get_text(), words(paragraph.get_text(" "))))
    return found


@pytest.fixture(scope="session")
def html_paragraphs(html_build) -> list[tuple[str, str]]:
    return [
        entry
        for page in numbered_pages()
        for entry in paragraphs_of(BeautifulSoup((html_build / f"{page}.html").read_text(encoding="utf-8"), "html.parser"))
    ]


@pytest.fixture(scope="session")
def epub_paragraphs(epub_path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(epub_path) as epub:
        return [
            entry
            for page in numbered_pages()
            for entry in paragraphs_of(BeautifulSoup(epub.read(f"{page}.xhtml").decode("utf-8"), "html.parser"))
        ]


def pdf_lines(pages: list[list[dict]]):
    """Each printed line of the text column as text, words (each page's, as conftest.words_of reads
    them) from left to right: the number in the inner margin first, the margin notes in the outer
    margin left out."""
    # justified lines of body type end at the column's right edge: the commonest right end of a word
    column_right = (
        collections.Counter(
            round(word["x1"])
            for page in pages
            for word in page
            if "Pagella" in word["fontname"] and abs(word["size"] - BODY_SIZE) < 0.1
        ).most_common(1)[0][0]
        + 1
    )
    for words in pages:
        lines: list[list[dict]] = []
        for word in sorted((w for w in words if w["x0"] < column_right), key=lambda w: (w["bottom"], w["x0"])):
            if lines and abs(lines[-1][0]["bottom"] - word["bottom"]) < 3:
                lines[-1].append(word)
            else:
                lines.append([word])
        for line in lines:
            yield " ".join(word["text"] for word in sorted(line, key=lambda w: w["x0"]))


@pytest.fixture(scope="session")
def pdf_paragraphs(screen_pdf_words) -> list[tuple[str, str]]:
    """Read from the screen edition, whose pages all have the number on the left of the text and the
    notes on the right; the print edition is the same LaTeX text on mirrored pages."""
    return [(f"{match[1]} ¶ {match[2]}", words(match[3])) for match in map(LABEL.match, pdf_lines(screen_pdf_words)) if match]


def test_every_running_paragraph_of_the_reading_pages_is_numbered(html_paragraphs, pages):
    assert len(html_paragraphs) > 150
    for page in numbered_pages():
        numbers = [int(n.get_text().split()[-1]) for n in pages[f"{page}.html"].select("a.para-number")]
        assert numbers == list(range(1, len(numbers) + 1)), page
    # no lists, quotations, notes or admonitions are numbered
    for page in numbered_pages():
        article = pages[f"{page}.html"].select_one("article")
        assert not article.select("li a.para-number, blockquote a.para-number, aside a.para-number, .admonition a.para-number")


def test_the_same_number_names_the_same_paragraph_on_the_web_in_the_pdf_and_in_the_epub(
    html_paragraphs, pdf_paragraphs, epub_paragraphs
):
    assert epub_paragraphs == html_paragraphs
    assert [label for label, _ in pdf_paragraphs] == [label for label, _ in html_paragraphs]
    different = [(label, web, printed) for (label, web), (_, printed) in zip(html_paragraphs, pdf_paragraphs) if web != printed]
    assert different == []


def test_each_number_links_to_its_paragraph_and_names_it_for_screen_readers(pages):
    page = pages["chapters/germany-1923.html"]
    for number in page.select("a.para-number"):
        paragraph = number.find_parent("p")
        anchor = number["href"].removeprefix("#")
        assert anchor in [paragraph.get("id"), *[span["id"] for span in paragraph.find_all("span", id=True)]]
        assert number["aria-label"] == f"Paragraph 1 ¶ {anchor.removeprefix('p-')}"


def squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]", "", unicodedata.normalize("NFKC", text).translate(str.maketrans("‘’“”", "''\"\""))).lower()


FIGURE_EVENTS = re.compile(r"The figure.s events|Shaded periods")  # a figure's text alternative (timelines/directive.py)


def numbered_things(page: BeautifulSoup) -> list[str]:
    """ "Fig. 3.1: <caption>", "Table 3: <caption>" and "3.4 <heading>" as a page shows them; the tables
    of a figure's events are left out (the web book and the EPUB have them, print has the figure alone)."""
    found = []
    for number in page.select(".caption-number"):
        if number.find_parent("details") or FIGURE_EVENTS.search(number.parent.get_text()):
            continue
        caption = number.find_parent(["figcaption", "caption"]).get_text(" ")
        caption = caption.replace(number.get_text(), "", 1).replace("#", "").strip()[:60]
        found.append(f"{number.get_text().strip()}: {caption}")
    for number in page.select("h2 .section-number, h3 .section-number"):
        heading = number.parent.get_text(" ").replace(number.get_text(), "", 1).replace("#", "").strip()
        found.append(f"{number.get_text().strip().rstrip('.')} {heading}")
    return found


def test_figures_tables_and_sections_have_the_same_numbers_on_the_web_in_the_pdf_and_in_the_epub(pages, pdf_path, epub_path):
    web = {name: numbered_things(page) for name, page in pages.items() if name.startswith("chapters/")}
    assert sum(thing.startswith("Fig. ") for things in web.values() for thing in things) >= 6
    assert any(re.match(r"\d\.\d ", thing) for thing in web["chapters/germany-1923.html"])
    printed = squash(" ".join(pdf_page_texts(pdf_path)))
    assert [thing for things in web.values() for thing in things if squash(thing) not in printed] == []
    with zipfile.ZipFile(epub_path) as epub:
        for name, things in web.items():
            page = BeautifulSoup(epub.read(name.replace(".html", ".xhtml")).decode("utf-8"), "html.parser")
            assert numbered_things(page) == things, name


def test_a_para_reference_prints_and_links_the_paragraphs_number_everywhere(pages, epub_path, pdf_path):
    page = pages["chapters/germany-1923.html"]
    labelled = page.find(id="chemnitz")
    paragraph = labelled if labelled.name == "p" else labelled.find_parent("p")
    number = paragraph.select_one("a.para-number")
    reference = page.select_one("span.para-ref")
    assert reference.get_text() == number.get_text()
    assert reference.find_parent("a")["href"] == number["href"]
    with zipfile.ZipFile(epub_path) as epub:
        epub_page = BeautifulSoup(epub.read("chapters/germany-1923.xhtml").decode("utf-8"), "html.parser")
    assert epub_page.select_one("span.para-ref").get_text() == number.get_text()
    printed = squash(" ".join(pdf_page_texts(pdf_path)))
    assert squash(f"Chemnitz conference ({number.get_text()})") in printed


def test_the_concordance_maps_every_chapter_paragraph_to_a_part_and_its_paragraph(pages):
    rows = list(csv.DictReader((ROOT / "data/concordance.csv").open(encoding="utf-8")))
    assert [int(row["chapter_paragraph"]) for row in rows] == list(range(1, len(rows) + 1))
    assert all(len(row["opening"].split()) <= 3 for row in rows)  # the chapter's text is not ours to ship
    table = pages["chapters/concordance.html"].select("table.concordance tbody tr")
    assert len(table) == len(rows)
    mapped, left_out, labelled = [], [], 0
    for row, line in zip(rows, table):
        cells = line.find_all("td")
        assert cells[0].get_text(strip=True) == row["chapter_paragraph"]
        if not row["paragraph"]:
            assert cells[4].get_text(strip=True) == "not discussed" and cells[4].find("a") is None
            left_out.append(row)
            continue
        link = cells[4].find("a")
        assert link is not None, f"chapter paragraph {row['chapter_paragraph']} has no link to the edition"
        target_page, anchor = link["href"].split("#")
        assert target_page == f"{row['page']}.html"  # beside concordance.html, in chapters/
        page = pages[f"chapters/{target_page}"]
        target = page.find(id=anchor)  # the link resolves: the page has the anchor ...
        assert target is not None, link["href"]
        paragraph = target if target.name == "p" else target.find_parent("p")
        assert "numbered" in paragraph["class"]  # ... on a numbered paragraph, whose number the link shows
        assert paragraph.select_one("a.para-number")["href"] == f"#{anchor}"
        assert link.get_text() == paragraph.select_one("a.para-number").get_text()
        if row["paragraph"].isdigit():
            assert anchor == f"p-{row['paragraph']}"
        else:  # a label: the paragraph that carries it, wherever the numbering puts it
            labelled += 1
            carrier = page.find(id=row["paragraph"])
            assert paragraph in (carrier, carrier.find_parent("p"))
        assert re.match(r"\d+(\.\d+)+ \S", cells[3].get_text(strip=True))  # the section, numbered
        mapped.append(row)
    assert labelled  # the concordance takes labels as well as numbers
    # Nearly every chapter paragraph is discussed somewhere; the edition leaves out a handful (the
    # first version matched 23 of 116 and left the rest empty: that must not come back).
    linked = [line for line in table if line.find_all("td")[4].find("a")]
    assert len(left_out) <= len(rows) // 20 and len(mapped) == len(linked) == len(rows) - len(left_out)
    for page in {row["page"] for row in rows}:
        note = pages[f"chapters/{page}.html"].select_one(".chapter-coverage").get_text(" ", strip=True)
        numbers = [int(row["chapter_paragraph"]) for row in mapped if row["page"] == page]
        assert re.search(rf"discusses paragraphs? {numbers[0]}\b", note) and str(numbers[-1]) in note, page
        for row in left_out:
            if row["page"] == page:
                assert re.search(rf"does not discuss paragraphs? (\S+ )*{row['chapter_paragraph']}\b", note), page
        assert not pages[f"chapters/{page}.html"].select(".chapter-coverage a.para-number")


def test_the_home_page_cites_the_chapter_and_names_the_edition_and_licence(pages):
    home = pages["chapters/index.html"]
    text = home.get_text().replace("“", '"').replace("”", '"')
    assert 'Unknown author, "Trotsky and the world revolution", chapter 6' in text
    colophon = home.select_one(".colophon").get_text(" ", strip=True)
    assert re.match(r"Edition \S+", colophon) and "CC BY 4.0" in colophon and "MIT" in colophon
    edition = colophon.split(",")[0]
    for name, page in pages.items():
        if name.startswith("chapters/"):
            assert edition in page.select_one(".edition-footer").get_text(), name
            assert edition.removeprefix("Edition ") in page.select_one("details.cite-panel").get_text(), name


def test_the_epub_metadata_names_the_edition_and_the_licences(epub_path, pages):
    edition = pages["chapters/index.html"].select_one(".colophon").get_text(" ", strip=True).split(",")[0]
    with zipfile.ZipFile(epub_path) as epub:
        package = BeautifulSoup(epub.read("content.opf").decode("utf-8"), "xml")
    rights = package.find("rights").get_text()
    assert edition in rights and "CC BY 4.0" in rights and "MIT" in rights and "owners" in rights
    assert package.find("meta", property="ibooks:version").get_text() == edition.removeprefix("Edition ")
