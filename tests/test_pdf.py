"""The printed book and the EPUB, each built once from the real book: what they contain and how.

The expected content is read from the sources (page titles, glossary terms, margin notes,
figure captions, events); the PDF is read with pdftotext, pdffonts and pdfplumber.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import re
import statistics
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BOOK_NAME, LARGE_PDF_NAME, PART_PAGES, PDF_NAME, ROOT, SCREEN_PDF_NAME, pdf_page_texts, words_of

EPUBCHECK = ["java", "-jar", "/usr/share/java/epubcheck.jar"]
BODY_SIZE = 11  # pt, Pagella
LARGE_BODY_SIZE = 14 * 72 / 72.27  # the large print's 14 TeX points, in the PDF's points
HEAD_ZONE = 60  # pt from the top of the page: the running head sits above, the text area below
SPECIAL_TEXT = ["Thälmann", "Broué", "Zhongshan", "“", "”", "’", "–", "—"]


# ---- what the sources say the book contains -----------------------------------------------------


def toc_pages() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    return [ROOT / f"{name}.md" for name in files]


def part_captions() -> list[str]:
    return [part["caption"] for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]]


def page_titles() -> list[str]:
    return [re.search(r"^# (.+)$", page.read_text(), re.MULTILINE).group(1) for page in toc_pages()]


def directive_blocks(name: str) -> list[tuple[str, list[str]]]:
    """(argument, body lines without options) of every ``:::{name}`` block in the book's pages."""
    blocks = []
    for page in toc_pages():
        lines = page.read_text().splitlines()
        for number, line in enumerate(lines):
            opening = re.match(rf"\s*:::\{{{name}\}}\s*(.*)$", line)
            if opening:
                body = []
                for following in lines[number + 1 :]:
                    if following.strip() == ":::":
                        break
                    if not following.strip().startswith(":"):
                        body.append(following)
                blocks.append((opening.group(1), body))
    return blocks


def glossary_terms() -> list[str]:
    ((_, body),) = directive_blocks("glossary")
    return [line.replace("\\'", "'") for line in body if line.strip() and not line.startswith(" ")]


def margin_titles() -> list[str]:
    return [title for title, _ in directive_blocks("margin")]


def figure_captions() -> list[str]:
    return [" ".join(body) for _, body in directive_blocks("timeline")]


def squash(text: str) -> str:
    """Text compared across line breaks, hyphenation, Markdown emphasis and smart quotes."""
    text = text.translate(str.maketrans("‘’“”", "''\"\"", "*\u00ad"))
    return re.sub(r"[\s\-]", "", text).lower()


# ---- the builds ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pdf_pages(pdf_path) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    return pdf_page_texts(pdf_path)


@pytest.fixture(scope="session")
def pdf_text(pdf_pages) -> str:
    """The book's text in reading order, without running heads and page numbers (so that text
    running on over a page break reads on), squashed for comparison."""
    text, previous_head = [], None
    for page in pdf_pages:
        lines = page.strip().splitlines() or [""]
        head = lines[0]
        if head == previous_head:
            lines = lines[1:]
        if lines and re.fullmatch(r"\d+|[ivxlc]+", lines[-1].strip()):
            lines = lines[:-1]
        text += lines
        previous_head = head
    return squash(" ".join(text))


def heads(page: str, heading: str) -> bool:
    """Whether a page's first line (its heading or running head) is ``heading``; a left-hand page of
    the print edition has its page number first, on the outer side."""
    lines = [line.strip() for line in page.splitlines() if line.strip()] or [""]
    first = lines[1] if lines[0].isdigit() and len(lines) > 1 else lines[0]
    return first.startswith(heading)


def chapter_text(pdf_pages: list[str], heading: str) -> str:
    """The pages of one unnumbered chapter: those whose first line (heading or running head) names it."""
    return squash(" ".join(page for page in pdf_pages if heads(page, heading)))


def text_columns(words: list[list[dict]], body_size: float = BODY_SIZE) -> dict[int, tuple[float, float]]:
    """Left and right edge of the main text column, where the body type (Pagella, 11 pt) runs on most
    pages (a wide table may be set on a landscape page, whose lines run further), on right-hand (odd)
    pages, key 1, and left-hand (even) pages, key 0; the print edition mirrors them."""
    columns = {}
    for side in (0, 1):
        edges = [
            (min(w["x0"] for w in body), max(w["x1"] for w in body))
            for number, page in enumerate(words, start=1)
            if number % 2 == side
            for body in [[w for w in page if "Pagella" in w["fontname"] and abs(w["size"] - body_size) < 0.1]]
            if body
        ]
        columns[side] = statistics.median(left for left, _ in edges), statistics.median(right for _, right in edges)
    return columns


@pytest.fixture(scope="session")
def text_column(pdf_words) -> dict[int, tuple[float, float]]:
    return text_columns(pdf_words)


@pytest.fixture(scope="session")
def index_text(pdf_path, pdf_pages, text_column) -> str:
    """The index, read one column at a time (pdftotext would run the two columns together)."""
    columns = []
    for number, page in enumerate(pdf_pages, start=1):
        if heads(page, "Index"):
            middle = round(sum(text_column[number % 2]) / 2)
            for x, width in ((0, middle), (middle, 1000)):
                columns.append(
                    subprocess.run(
                        [
                            "pdftotext",
                            "-f",
                            str(number),
                            "-l",
                            str(number),
                            "-x",
                            str(x),
                            "-y",
                            "0",
                            "-W",
                            str(width),
                            "-H",
                            "2000",
                            str(pdf_path),
                            "-",
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                )
    return "\n".join(columns)


# ---- the PDF ------------------------------------------------------------------------------------


def test_pdf_is_copied_under_the_name_in_the_config(pdf_build, pdf_path):
    assert pdf_path.read_bytes() == (pdf_build / "latex" / pdf_path.name).read_bytes()


def test_every_part_and_page_title_is_printed(pdf_text):
    missing = [title for title in part_captions() + page_titles() if squash(title) not in pdf_text]
    assert not missing


def test_every_glossary_term_is_defined_in_the_glossary_and_indexed(pdf_pages, index_text):
    glossary, index = chapter_text(pdf_pages, "Glossary"), squash(index_text)
    terms = glossary_terms()
    assert len(terms) > 40
    assert [term for term in terms if squash(term) not in glossary] == []
    assert [term for term in terms if squash(term) not in index] == []


def test_index_lists_people_and_terms_with_page_numbers(index_text):
    index = re.sub(r"-\n", "", index_text)
    with open(ROOT / "data" / "people.csv", encoding="utf-8") as table:
        people = [row["sort_name"] for row in csv.DictReader(table)]
    unpaged = [name for name in people if not re.search(re.escape(name) + r",\s+\d+", index)]
    assert not unpaged
    headings = re.findall(r"^(\D+?),\s+\d", index, flags=re.MULTILINE)
    assert [name for name in set(headings) if headings.count(name) > 1] == []  # one entry per name
    assert re.search(r"permanent revolution,\s+\d+", index)


def test_figures_are_numbered_and_captioned(pdf_text):
    captions = figure_captions()
    assert len(captions) >= 6
    for caption in captions:  # numbered as on the web: test_paragraphs.py compares the numbers
        assert re.search(r"fig\.[\d.]+:" + re.escape(squash(caption)), pdf_text), caption


def test_figures_are_vector_with_labels_of_at_least_7_pt(pdf_path, pdf_words):
    """Event labels print at about 8.8 pt, the shaded periods' labels smaller; none below 7 pt."""
    images = subprocess.run(["pdfimages", "-list", str(pdf_path)], capture_output=True, text=True, check=True)
    assert len(images.stdout.splitlines()) == 2, "a raster image in the PDF:\n" + images.stdout
    label_sizes = [word["size"] for page in pdf_words for word in page if "DejaVu" in word["fontname"]]
    assert len(label_sizes) > 100  # the figures' labels are text, not paths or pixels
    assert min(label_sizes) >= 7


def margin_words(words: list[dict], column: tuple[float, float]) -> list[dict]:
    """The words of a page's margin notes: outside its text column, below the running head, in the
    notes' sans at 8 pt (the paragraph numbers, "1 ¶ 4", are the same face at 7 pt)."""
    return [
        w
        for w in words
        if (w["x0"] > column[1] + 10 or w["x1"] < column[0] - 10)
        and w["top"] > HEAD_ZONE
        and not ("Heros" in w["fontname"] and w["size"] < 7.5)
    ]


def test_margin_notes_sit_in_the_outer_margin_without_overlapping(pdf_words, text_column):
    margin_text, overlaps = [], []
    for number, words in enumerate(pdf_words, start=1):
        notes = sorted(margin_words(words, text_column[number % 2]), key=lambda w: w["top"])
        margin_text += [w["text"] for w in notes]
        lines = {}
        for word in notes:
            lines.setdefault(round(word["top"]), []).append(word)
        tops = sorted(lines)
        for above, below in itertools.pairwise(tops):
            if below < max(w["bottom"] for w in lines[above]) - 0.5:
                overlaps.append(f"page {number}: lines at {above} and {below} pt overlap")
    margin = squash(" ".join(margin_text))
    titles = margin_titles()
    assert len(titles) > 40
    assert [title for title in titles if squash(title) not in margin] == []
    assert not overlaps


def test_print_edition_mirrors_its_pages_and_sets_notes_in_the_outer_margin(pdf_words, text_column):
    """A right-hand (odd) page has its notes right of the text, a left-hand (even) page left of it."""
    assert text_column[0][0] > text_column[1][0] + 100  # the text column moves out by the note margin on left-hand pages
    sides = {0: [], 1: []}
    for number, words in enumerate(pdf_words, start=1):
        column = text_column[number % 2]
        sides[number % 2] += [w["x0"] > column[1] for w in margin_words(words, column) if "Heros" in w["fontname"]]
    assert len(sides[0]) > 100 and len(sides[1]) > 100  # notes on many pages of each side
    assert not any(sides[0]), "a note on a left-hand page stands in its inner margin"
    assert all(sides[1]), "a note on a right-hand page stands in its inner margin"


def test_print_edition_sets_paragraph_numbers_in_the_inner_margin(pdf_words, text_column):
    """Paragraph numbers ("1 ¶ 4") stay clear of the notes: left of the text on right-hand pages,
    right of it on left-hand pages."""
    sides = {0: [], 1: []}
    for number, words in enumerate(pdf_words, start=1):
        left, right = text_column[number % 2]
        sides[number % 2] += [
            w["x1"] < left if number % 2 else w["x0"] > right for w in words if "¶" in w["text"] and w["size"] < 7.5
        ]
    assert len(sides[0]) > 20 and len(sides[1]) > 20
    assert all(sides[0]) and all(sides[1])


def test_blank_pages_of_the_print_edition_are_blank(pdf_pages):
    """The left-hand page left empty before a chapter that opens on the right has no running head."""
    headed = []
    for number, page in enumerate(pdf_pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if len(lines) == 2 and lines[0].isdigit():  # a folio and a running head, nothing else
            headed.append((number, lines))
    assert headed == []


def test_screen_edition_is_one_sided_with_coloured_links(screen_pdf_words):
    words, columns = screen_pdf_words, text_columns(screen_pdf_words)
    assert abs(columns[0][0] - columns[1][0]) < 1  # the same column on every page
    notes = [w for page in words for w in margin_words(page, columns[1])]
    assert notes and all(w["x0"] > columns[1][1] for w in notes)
    coloured = {tuple(w["non_stroking_color"] or ()) for page in words for w in page} - {(0,), (0, 0, 0), ()}
    assert coloured, "no coloured text (links) in the screen edition"


def test_print_edition_prints_in_black(pdf_words):
    # (the timeline figures, drawn by Plotly in DejaVu, are the timelines' business)
    colours = {tuple(w["non_stroking_color"] or ()) for page in pdf_words for w in page if "DejaVu" not in w["fontname"]}
    assert colours <= {(0,), (0, 0, 0), (), (1,), (1, 1, 1)}, colours


def page_labels(pdf: Path) -> list[str]:
    """The PDF's page labels, one per page (pdfminer's generator never ends: it labels pages beyond the
    last, and list() on it once filled 14.5 GB of memory)."""
    with pdfplumber.open(pdf) as document:
        return list(itertools.islice(document.doc.get_page_labels(), len(document.pages)))


def test_copied_text_has_no_ligature_characters(pdf_path):
    """XeTeX writes each ligature's letters as its ActualText, which copying and searching read: the
    text holds "officials", not "o\ufb00icials". Only the timeline figures' own labels, drawn by
    Plotly in their own font, keep theirs."""
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    words = set(re.findall(r"\S*[\ufb00-\ufb06]\S*", text))
    labels = ""
    for name in ("events.csv", "periods.csv"):
        with open(ROOT / "data" / name, encoding="utf-8") as table:
            labels += " ".join(row["label"] for row in csv.DictReader(table)) + " "
    assert [word for word in words if unicodedata.normalize("NFKC", word) not in labels] == []


def test_page_labels_match_folios_and_page_1_is_a_right_hand_page(pdf_path, pdf_pages):
    """The PDF viewer's page numbers are the printed ones: i–viii for the front matter, then 1, 2, …"""
    labels = page_labels(pdf_path)
    assert labels[:4] == ["i", "ii", "iii", "iv"]  # half-title, its blank back, title page, imprint
    first = labels.index("1")
    assert first % 2 == 0  # the first arabic page is an odd (right-hand) page of the printed book
    printed = [number for number in range(first, len(labels)) if pdf_pages[number].strip()]
    for number in (*printed[10:13], printed[-1]):
        folio = [line.strip() for line in pdf_pages[number].splitlines()]
        assert labels[number] in folio, (number, labels[number])


def test_front_matter_has_half_title_title_imprint_and_the_introductions_headings(pdf_pages):
    half_title, _, title, imprint = (squash(page) for page in pdf_pages[:4])
    assert half_title == squash("Trotsky and the World Revolution")
    assert squash("a study edition") in title and squash("editors") in title
    assert squash("How to cite") in imprint and re.search(
        r"\d{1,2}(january|february|march|april|may|june|july|august"
        r"|september|october|november|december)\d{4}",
        imprint,
    )
    contents = squash(" ".join(pdf_pages[4:8]))
    intro = (ROOT / "chapters" / "index.md").read_text()
    headings = re.findall(r"^## (.+)$", intro, flags=re.MULTILINE)
    assert len(headings) > 3
    assert [heading for heading in headings if squash(heading) not in contents] == []


def test_every_cross_reference_resolves(pdf_build, pdf_text):
    """No "p. ??": every page reference LaTeX writes finds its label, in both editions."""
    for name in (PDF_NAME, SCREEN_PDF_NAME):
        log = (pdf_build / "latex" / f"{name}.log").read_text(encoding="utf-8", errors="replace").replace("\n", "")
        assert re.findall(r"Reference `[^']*' on page \d+ undefined", log) == [], name
    assert "??" not in pdf_text


def test_cross_references_print_chapter_and_page(pdf_path, pdf_pages, pdf_text):
    labels = page_labels(pdf_path)
    opening = next(number for number, page in enumerate(pdf_pages) if page.lstrip().startswith("Chapter 1"))
    assert squash(f"(chapter 1, p. {labels[opening]})") in pdf_text


def index_entries(pdf_pages: list[str], pdf_words: list[list[dict]]) -> dict[str, list[int]]:
    """Each main heading of the printed index (squashed) with the page numbers of its lines and of the indented
    lines under it (subentries and wrapped lines), read column by column from the words' positions."""
    entries: dict[str, list[int]] = {}
    for text, words in zip(pdf_pages, pdf_words):
        if not heads(text, "Index"):
            continue
        body = [w for w in words if w["top"] > HEAD_ZONE]
        middle = (min(w["x0"] for w in body) + max(w["x1"] for w in body)) / 2
        for column in ([w for w in body if w["x0"] < middle], [w for w in body if w["x0"] >= middle]):
            lines: dict[int, list[dict]] = {}
            for word in column:
                lines.setdefault(round(word["top"]), []).append(word)
            left, heading = min((w["x0"] for w in column), default=0), None
            for top in sorted(lines):
                line = sorted(lines[top], key=lambda w: w["x0"])
                text_line = re.sub(r"\s+,", ",", " ".join(w["text"] for w in line))
                if line[0]["x0"] < left + 3:
                    heading = squash(text_line.split(",")[0])  # (pdfplumber runs some words together)
                    entries.setdefault(heading, [])
                if heading is not None:
                    entries[heading] += [int(n) for n in re.findall(r"(?:^|,\s*)(\d{1,3})(?=,|$)", text_line)]
    return entries


@pytest.mark.parametrize("term", ["permanent revolution", "united front", "Anglo-Russian Committee"])
def test_index_finds_a_term_on_the_pages_that_use_it(term, pdf_path, pdf_pages, pdf_words):
    """The index's locators of a term against the pages whose text uses it (not the timeline
    figures' labels, the running heads or a chapter's title in a cross-reference)."""
    labels = page_labels(pdf_path)
    locators = set(index_entries(pdf_pages, pdf_words)[squash(term)])
    titles = [squash(title) for title in page_titles()]
    using = set()
    for number, (page, words) in enumerate(zip(pdf_pages, pdf_words)):
        text = squash(" ".join(w["text"] for w in words if "DejaVu" not in w["fontname"] and w["top"] > HEAD_ZONE))
        for title in titles:
            text = text.replace(title, "")
        if labels[number].isdigit() and squash(term) in text and not heads(page, "Index"):
            using.add(int(labels[number]))
    assert len(locators) > 5
    # nearly every locator points to a page with the term (a subentry such as "Anglo-Russian Committee:
    # Berlin declaration" may point to a page that names only the meeting)
    assert len(locators - using) <= len(locators) // 10, sorted(locators - using)
    assert len(locators) >= 0.6 * len(using), sorted(using - locators)  # and most pages that use it have one


def test_bibliography_is_author_date_in_its_own_chapter(pdf_pages, pdf_words):
    """Each entry opens with the names, surname first, and the year ("Angress, Werner T. 1963."), in
    alphabetical order, on the pages of "Sources and further reading" (not after the last chapter).
    Entries are told apart by their hanging indent."""
    entries: list[str] = []
    for page, words in zip(pdf_pages, pdf_words):
        if not heads(page, "Sources and further reading"):
            continue
        lines: dict[int, list[dict]] = {}
        for word in (w for w in words if w["top"] > HEAD_ZONE and "Pagella" in w["fontname"]):
            lines.setdefault(round(word["top"]), []).append(word)
        left = min(w["x0"] for line in lines.values() for w in line)
        for top in sorted(lines):
            line = sorted(lines[top], key=lambda w: w["x0"])
            text = " ".join(w["text"] for w in line)
            if line[0]["x0"] < left + 3 or not entries:
                entries.append(text)
            else:
                entries[-1] += " " + text
    openings = [m.groups() for m in (re.match(r"([^,]+?),\s*.*?\.\s*(\d{4}[a-z]?)(?:–\d{4})?\.", e) for e in entries) if m]
    with open(ROOT / "data" / "references.bib", encoding="utf-8") as bib:
        works = len(re.findall(r"^@\w+\{", bib.read(), flags=re.MULTILINE))
    assert len(openings) >= 0.9 * works, entries
    surnames = [unicodedata.normalize("NFKD", name).casefold() for name, _ in openings]
    assert surnames == sorted(surnames)


# A citation as the text prints it, author–date: "Broué 2005", "Cliff and Gluckstein 1986", "Trotsky 1930a".
AUTHOR_DATE = r"(?:van )?[A-Z][\w’'-]+(?: and [A-Z][\w’'-]+| et al\.)? (?:\d{4}[a-z]?|n\.d\.)"


def test_citations_in_the_text_are_author_date_in_round_brackets(pdf_pages):
    """ "(Broué 2005)", "(Broué 2005; Harman 1982)", "(Thalheimer 1931, appendix)", and in a sentence
    "Broué (2005)": no square brackets, no comma between name and year, no brackets in brackets."""
    text = re.sub(r"\s+", " ", " ".join(pdf_pages))
    cited = rf"{AUTHOR_DATE}(?:, [^();]*?)?"
    assert len(re.findall(rf"\({cited}(?:; {cited})*\)", text)) > 150
    assert len(re.findall(r"[A-Z][\w’'-]+ \((?:\d{4}[a-z]?|n\.d\.)\)", text)) > 50  # "Broué (2005)"
    name_comma_year = r"[A-Z][\w’'-]+(?: and [A-Z][\w’'-]+| et al\.)?, (?:\d{4}[a-z]?|n\.d\.)\b"
    assert re.findall(rf"\[{name_comma_year}|\[{AUTHOR_DATE}", text) == []  # not "[Broué, 2005]"
    assert re.findall(rf"\((?:[^()]*; )?{name_comma_year}", text) == []  # not "(Broué, 2005)"
    assert re.findall(rf"\(\([^()]*\)|\([^()]*\({AUTHOR_DATE}\)", text) == []  # not "(see (Broué 2005))"


def test_the_index_run_is_clean_and_prints_see_references(pdf_build, index_text):
    """xindy, run again on the print edition's entries, reports no error (a "see" reference to a heading
    that has no entry of its own is one), and the index prints "Hankou, see Wuhan" beside Wuhan's pages."""
    latex = pdf_build / "latex"
    run = subprocess.run(
        ["xindy", "-L", "english", "-C", "utf8", "-M", "sphinx.xdy", "-o", "/dev/null", f"{PDF_NAME}.idx"],
        cwd=latex,
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.findall(r"^(?:ERROR|WARNING).*", run.stdout + run.stderr, flags=re.MULTILINE) == []
    index = re.sub(r"\s+", " ", index_text)
    assert "Hankou, see Wuhan" in index and re.search(r"\bWuhan, \d", index)


def test_whos_who_lists_chapters_with_the_page_of_each_mention(pdf_path, pdf_pages):
    """ "Appears in: Germany 1923 and Lessons of October (chapter 1, p. 15), Glossary (p. 90)": each page
    is one that names the person, and the home page, which carries the book's title, is not listed."""
    labels = page_labels(pdf_path)
    with open(ROOT / "data" / "people.csv", encoding="utf-8") as table:
        people = list(csv.DictReader(table))
    whos_who = re.sub(r"\s+", " ", " ".join(page for page in pdf_pages if heads(page, "Who’s who")))
    book_title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    found, named = 0, []
    for person in people:
        entry = whos_who.split(f"{person['name']} ({person['born']}–{person['died']})", 1)[1]
        appears = re.search(r"Appears in: (.*?)(?: Events:|$)", entry.split(" Sources: ", 2)[1])[1]
        assert book_title not in appears, person["id"]
        surname = squash(person["sort_name"].split(",")[0])
        for page in re.findall(r"p\. (\d+)\)", appears):
            found += 1
            named.append(surname in squash(pdf_pages[labels.index(page)]))
    assert found > 100 and named.count(False) <= len(named) // 20, named.count(False)


MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"


def test_dates_are_british(pdf_pages):
    """ "18 March 1919", never "March 18, 1919", "March 18–23, 1919" or "March 18 […]" (a running head
    followed by its page number, "Lessons of October 15", is no date)."""
    text = re.sub(r"\s+", " ", " ".join(pdf_pages))
    assert len(re.findall(rf"\b\d{{1,2}}(?:–\d{{1,2}})? (?:{MONTH_NAMES}) \d{{4}}", text)) > 100
    american = rf"\b(?:{MONTH_NAMES}) \d{{1,2}}(?:st|[nr]d|th)?(?:–\d{{1,2}})?(?:,| \d{{4}}| \[)"
    assert re.findall(american, text) == []


def test_lessons_of_october_is_in_italics_wherever_the_book_names_it(pdf_words):
    """In the text, the margin notes, the headings, the links to its chapter, the bibliography's notes and
    the self-check's answers (not in the timeline figures, drawn by Plotly)."""
    fonts = [
        words[n]["fontname"]
        for words in pdf_words
        for n in range(len(words) - 2)
        if [w["text"] for w in words[n : n + 2]] == ["Lessons", "of"]
        and words[n + 2]["text"].startswith("October")
        and "DejaVu" not in words[n]["fontname"]
    ]
    assert len(fonts) > 10
    assert [font for font in fonts if "Italic" not in font] == []


def test_every_font_is_embedded_and_none_is_type3(pdf_path):
    listing = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    fonts = listing.splitlines()[2:]
    assert fonts
    assert [font for font in fonts if font.split()[-5] != "yes"] == []  # the "emb" column
    assert [font for font in fonts if "Type 3" in font] == []


def test_latex_found_a_glyph_for_every_character(pdf_build, pdf_text):
    log = (pdf_build / "latex" / f"{PDF_NAME}.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert [text for text in SPECIAL_TEXT if squash(text) not in pdf_text] == []


def test_a_character_without_a_glyph_fails_the_pdf_build(tiny_book):
    tiny_book.page("glyphs", "# Glyphs\n\nThe city is 北京 in Chinese characters.\n")
    result = tiny_book.build("pdf")
    assert result.returncode != 0
    assert "no glyph" in result.stderr and "U+5317" in result.stderr
    assert not (tiny_book.folder / "_build" / "pdf").exists()


MARGIN_PLACES = """# Notes

:::{margin} Before a paragraph
A note that waits for the paragraph below.
:::

A paragraph with a note beside its first line. It runs over several lines of the text column,
so that the note after it has room of its own in the margin and is not pushed down by this one.
A margin note takes three or four lines of small type, and the paragraph should be longer than that.

:::{margin} Between paragraphs
A note for the paragraph below.
:::

The paragraph that the note between paragraphs explains.

:::{margin} Before a list
A note before a list.
:::

- one item
- another item

:::{margin} Before a table
A note before a table.
:::

| year | event |
| --- | --- |
| 1926 | General Strike |

::::{admonition} A box
:::{margin} In a box
A note inside an admonition.
:::
Text inside the box.
::::

## A section

Some text.

:::{margin} Before a heading
A note at the end of a section.
:::

## Another section

Text under the second heading.

:::{margin} At the end
A note at the end of a chapter, before the next one.
:::
"""


def test_a_margin_note_anywhere_prints_in_the_margin_beside_its_text(tiny_book):
    tiny_book.page("notes", MARGIN_PLACES)
    tiny_book.page("next", "# The next chapter\n\n:::{admonition} Goals\nA box before any paragraph.\n:::\n")
    tiny_book.write(
        "_toc.yml",
        "format: jb-book\nroot: chapters/index\nparts:\n- caption: Numbered\n"
        "  numbered: true\n  chapters:\n  - file: chapters/notes\n  - file: chapters/next\n"
        "  - file: chapters/bibliography\n",
    )
    result = tiny_book.build("pdf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with pdfplumber.open(tiny_book.folder / "_build" / "pdf" / f"{SCREEN_PDF_NAME}.pdf") as pdf:
        words = [
            word | {"page": number}
            for number, page in enumerate(pdf.pages)
            for word in page.extract_words(extra_attrs=["fontname"])
        ]
    column_right = max(word["x1"] for word in words if "Pagella" in word["fontname"])  # the body type
    in_margin = [word for word in words if word["x0"] > column_right]
    in_column = [word for word in words if word["x0"] <= column_right]
    margin = squash(" ".join(word["text"] for word in in_margin))
    titles = re.findall(r":::\{margin\} (.+)", MARGIN_PLACES)
    assert [title for title in titles if squash(title) not in margin] == []
    # A note before a paragraph sits beside its first line, also when another paragraph comes before it.
    assert beside(place("Before a paragraph", in_margin), place("A paragraph with a note", in_column))
    assert beside(place("Between paragraphs", in_margin), place("The paragraph that the note", in_column))
    # A note with no paragraph after it sits beside the line before it, not beside the next
    # paragraph, which is under another heading or in the next chapter.
    assert above(place("Before a heading", in_margin), place("Text under the second heading", in_column))
    assert above(place("At the end", in_margin), place("A box before any paragraph", in_column))


def place(text: str, words: list[dict]) -> tuple[int, float]:
    """(page, top) of the word where ``text`` begins; words in small type may run together."""
    joined, starts = "", []
    for word in words:
        starts.append(len(joined))
        joined += squash(word["text"])
    found = joined.find(squash(text))
    assert found >= 0, f"{text!r} is not in the PDF"
    word = words[bisect.bisect_right(starts, found) - 1]
    return word["page"], word["top"]


def beside(note: tuple[int, float], line: tuple[int, float]) -> bool:
    return note[0] == line[0] and abs(note[1] - line[1]) < BODY_SIZE / 2


def above(upper: tuple[int, float], lower: tuple[int, float]) -> bool:
    """On an earlier page, or at least a line higher on the same page."""
    return upper[0] < lower[0] or (upper[0] == lower[0] and upper[1] < lower[1] - BODY_SIZE)


def test_discussion_guidance_is_not_in_the_students_pdf(pdf_text):
    """The student edition leaves it out (the teacher edition prints it open: tests/test_editions.py)."""
    title = "Guidance for group leaders"
    guidance = [body for argument, body in directive_blocks("admonition") if argument == title]
    assert len(guidance) > 20
    plain_lines = [line for body in guidance for line in body if line.strip() and "{" not in line]
    assert len(plain_lines) > 60
    assert [line for line in plain_lines if squash(line) in pdf_text] == []


def test_chronology_table_lists_every_event_with_its_header_on_each_page(pdf_pages, pdf_words):
    """Read the Event column (between its header and the Theatre header) page by page."""
    events, headed = [], []
    for text, words in zip(pdf_pages, pdf_words):
        if not heads(text, "Chronology"):
            continue
        header = {word["text"]: word for word in words if word["text"] in ("Date", "Event", "Theatre", "Sources")}
        headed.append(len(header) == 4)
        if not headed[-1]:
            continue
        left, right = header["Event"]["x0"], header["Theatre"]["x0"]
        column = [
            word for word in words if word["x0"] >= left - 1 and word["x1"] <= right and word["top"] > header["Event"]["bottom"]
        ]
        events += [word["text"] for word in sorted(column, key=lambda word: (round(word["top"]), word["x0"]))]
    with open(ROOT / "data" / "events.csv", encoding="utf-8") as table:
        titles = [row["title"] for row in csv.DictReader(table)]
    assert all(headed[headed.index(True) :])  # from the table's first page on, each page repeats the header
    assert [title for title in titles if squash(title) not in squash(" ".join(events))] == []


MONTHS = ("January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December")


def chronology_pages(pdf_pages: list[str], pdf_words: list[list[dict]]) -> list[tuple[int, str, list[dict]]]:
    """(page number, text, words) of the pages of the chronology's table, which repeat its header."""
    return [
        (number, text, words)
        for number, (text, words) in enumerate(zip(pdf_pages, pdf_words), start=1)
        if heads(text, "Chronology") and {"Date", "Event", "Theatre", "Sources"} <= {w["text"] for w in words}
    ]


def test_chronology_cites_sources_without_web_addresses_or_hyphenated_months(pdf_pages, pdf_words):
    pages = chronology_pages(pdf_pages, pdf_words)
    assert len(pages) > 4
    text = "\n".join(text for _, text, _ in pages)
    assert re.findall(r"\b[\w-]+\.(?:org|com|net|edu|eu|uk|de|fr)\b", text) == []  # "en.wikipedia.org"
    assert len(re.findall(AUTHOR_DATE, text)) > 50  # "Broué 2005": bibliography citations
    broken = [
        line for line in text.splitlines() if any(line.endswith(month[:cut] + "-") for month in MONTHS for cut in range(2, 8))
    ]
    assert broken == []


def test_chronology_uses_the_margins_width(pdf_pages, pdf_words, text_column):
    """Its pages carry no notes, so the table runs into the note margin."""
    for number, _, words in chronology_pages(pdf_pages, pdf_words):
        left, right = text_column[number % 2]
        assert max(w["x1"] for w in words) - min(w["x0"] for w in words) > (right - left) + 80, number


def test_no_line_sticks_out_of_its_column(pdf_build, large_pdf_build):
    """The LaTeX log of every edition has no overfull box (a line wider than its column) and no character
    without a glyph."""
    for name, build in ((PDF_NAME, pdf_build), (SCREEN_PDF_NAME, pdf_build), (LARGE_PDF_NAME, large_pdf_build)):
        log = (build / "latex" / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        assert log.count("Overfull \\hbox") == 0, name
        assert "Missing character" not in log, name


def test_web_only_things_are_left_out(pdf_text):
    for web_only in ("Interactive chart", "click to", "events of this figure as a table"):
        assert squash(web_only) not in pdf_text


# ---- the part PDFs and the large print ----------------------------------------------------------


def part_pdf(pdf_build: Path, number: int) -> Path:
    return pdf_build / "pdf" / f"{BOOK_NAME}-part-{number}-{PART_PAGES[number - 1]}.pdf"


def paragraph_numbers(words: list[list[dict]]) -> list[str]:
    """The paragraph numbers printed beside the text ("1 ¶ 4"), in the notes' sans, smaller than the text."""
    found = []
    for page in words:
        lines: dict[int, list[str]] = {}
        for word in page:
            if "Heros" in word["fontname"] and word["size"] < 7.5:
                lines.setdefault(round(word["top"]), []).append(word["text"])
        found += [
            f"{chapter} ¶ {number}"
            for line in lines.values()
            for chapter, number in re.findall(r"(\w+)\s*¶\s*(\d+)", " ".join(line))
        ]
    return found


@pytest.mark.parametrize("number", range(1, len(PART_PAGES) + 1))
def test_a_part_pdf_holds_its_chapters_pages_with_the_books_page_numbers(number, pdf_build, pdf_path, pdf_pages, pdf_words):
    """Each page of a part's PDF is the book's page of the same number, and the viewer's page number
    (the page label) is the folio printed on it; the blank pages that keep a page on its side of the
    sheet are unnumbered. Its numbered paragraphs are exactly its chapter's."""
    part, book_labels = part_pdf(pdf_build, number), page_labels(pdf_path)
    labels, texts = page_labels(part), pdf_page_texts(part)
    opening = next(page for page, text in enumerate(pdf_pages) if text.lstrip().startswith(f"Chapter {number}\n"))
    assert labels[0] == book_labels[opening]
    chapter_pages = list(itertools.takewhile(lambda text: not heads(text, "Glossary"), texts))
    headed = [any(line.startswith(f"{number}. ") for line in text.splitlines()) for text in chapter_pages[1:] if text.strip()]
    assert all(headed)  # the chapter's running head, on every page but the opening and the blank ones
    for label, text in zip(labels, texts):
        if not label:
            assert not text.strip()
            continue
        assert squash(text) == squash(pdf_pages[book_labels.index(label)]), label
        if text.strip():
            assert label in [line.strip() for line in text.splitlines()], label
    book_numbers = [n for n in paragraph_numbers(pdf_words) if n.startswith(f"{number} ¶")]
    assert f"{number} ¶ 1" in book_numbers and len(book_numbers) > 20
    assert sorted(paragraph_numbers(words_of(part))) == sorted(book_numbers)


def glossary_uses(tex: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """The glossary's terms by id, and the ids of the terms each chapter links to, read from the LaTeX."""
    names = {
        ident: squash(re.sub(r"\\studymark\{[^}]*\}", "", name).replace(r"\sphinxhyphen{}", "-"))
        for name, ident in re.findall(
            r"\\sphinxlineitem\{(.+?)\\phantomsection\\label\{\\detokenize\{[^}]*:(term-[^}]*)\}\}", tex
        )
    }
    chunks = re.split(r"\\label\{studydoc:([^}]*)\}", tex)
    uses = {
        docname: set(re.findall(r"\\hyperref\[\\detokenize\{[^}]*:(term-[^}]*)\}\]", chunk))
        for docname, chunk in zip(chunks[1::2], chunks[2::2])
    }
    return names, uses


def bold_lines(words: list[dict]) -> list[str]:
    """A page's lines set in Pagella bold (the glossary's terms), squashed, from the top."""
    lines: dict[int, list[str]] = {}
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if is_bold(word):
            lines.setdefault(round(word["top"]), []).append(word["text"])
    return [squash(" ".join(line)) for line in lines.values()]


def is_bold(word: dict) -> bool:
    return "Pagella" in word["fontname"] and "Bold" in word["fontname"]


def glossary_entries_by_page(pdf_pages: list[str], pdf_words: list[list[dict]], labels: list[str]) -> dict[int, set[str]]:
    """The glossary's pages, each with the terms whose entries print on it: those that open there and the
    one that runs on from the page before, where the page does not open with a term. (Front matter
    does not count: a page of the contents may open with its "Glossary" line.)"""
    entries, last = {}, None
    for number, (text, words) in enumerate(zip(pdf_pages, pdf_words)):
        if not heads(text, "Glossary") or not labels[number].isdigit():
            continue
        body = sorted((w for w in words if w["top"] > HEAD_ZONE), key=lambda w: (round(w["top"]), w["x0"]))
        terms = bold_lines(body)
        entries[number] = set(terms) | ({last} if last and body and not is_bold(body[0]) else set())
        last = terms[-1] if terms else last
    return entries


@pytest.mark.parametrize("number", range(1, len(PART_PAGES) + 1))
def test_a_part_pdf_holds_the_glossary_pages_of_the_terms_its_chapter_uses(number, pdf_build, pdf_path, pdf_pages, pdf_words):
    """The glossary pages in a part's PDF are those that hold (part of) the entry of a term its chapter
    links to: every such entry is there, whole, and no page whose entries only other parts use."""
    names, uses = glossary_uses((pdf_build / "latex" / f"{BOOK_NAME}.tex").read_text(encoding="utf-8"))
    used = {names[term] for term in uses[f"chapters/{PART_PAGES[number - 1]}"]}
    assert len(used) > 5
    book_labels = page_labels(pdf_path)
    glossary = glossary_entries_by_page(pdf_pages, pdf_words, book_labels)
    expected = {book_labels[page] for page, terms in glossary.items() if terms & used}
    part = part_pdf(pdf_build, number)
    printed = {label for label, text in zip(page_labels(part), pdf_page_texts(part)) if heads(text, "Glossary")}
    assert printed == expected


def test_some_part_pdf_leaves_out_glossary_pages_it_does_not_use(pdf_build, pdf_path):
    """The selection is real: a part whose chapter uses terms from only some of the glossary's pages
    carries only those (parts 2 and 4 happen to use a term on every page of it)."""
    labels = page_labels(pdf_path)
    glossary_pages = [n for n, text in enumerate(pdf_page_texts(pdf_path)) if heads(text, "Glossary") and labels[n].isdigit()]
    carried = [
        sum(heads(text, "Glossary") for text in pdf_page_texts(part_pdf(pdf_build, n))) for n in range(1, len(PART_PAGES) + 1)
    ]
    assert min(carried) < len(glossary_pages), (carried, len(glossary_pages))


def test_large_print_sets_the_text_in_14_pt(large_pdf_words):
    sizes = [round(w["size"], 1) for page in large_pdf_words for w in page if "Pagella" in w["fontname"]]
    assert abs(statistics.mode(sizes) - LARGE_BODY_SIZE) < 0.2


def notes_and_their_paragraphs() -> list[tuple[str, str, str]]:
    """(title, first words, last words) of each titled margin note that stands before a paragraph of
    running text in a part page: the first and last four words of the paragraph's runs of plain words
    (roles print otherwise)."""
    found = []
    for page in PART_PAGES:
        lines = (ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            title = re.match(r":::\{margin\} (.+)$", line)
            if not title:
                continue
            following = iter(lines[number + 1 :])
            for rest in following:  # to the end of the note
                if rest.strip() == ":::":
                    break
            paragraph: list[str] = []
            for rest in following:
                if rest.startswith(":::{index}"):
                    next(following)
                elif paragraph and not rest.strip():
                    break
                elif rest.strip():
                    paragraph.append(rest)
            if not paragraph or re.match(r"[:#>|\-*(]|\d+\.", paragraph[0]):
                continue  # a list, a heading, a quotation or another block: the note stands where it is
            runs = [run.split() for run in re.split(r"\{[^}]+\}`[^`]*`", " ".join(paragraph)) if len(run.split()) >= 4]
            if runs:
                found.append((title.group(1), " ".join(runs[0][:4]), " ".join(runs[-1][-4:])))
    return found


def test_large_print_sets_each_margin_note_after_its_paragraph_in_the_column(large_pdf_words):
    """Each note before a paragraph follows that paragraph's last line, in the sans, within the text column."""
    words = [
        word | {"page": number, "text": unicodedata.normalize("NFKC", word["text"])}  # ligatures ("oﬀicers") as letters
        for number, page in enumerate(large_pdf_words)
        for word in page
        if word["top"] > HEAD_ZONE
    ]
    text = [w for w in words if "Pagella" in w["fontname"]]
    titles = [w for w in words if "Heros" in w["fontname"] and "Bold" in w["fontname"]]
    left, right = text_columns(large_pdf_words, body_size=LARGE_BODY_SIZE)[1]
    notes = notes_and_their_paragraphs()
    assert len(notes) > 20
    for title, first_words, last_words in notes:
        start = place(first_words, text)
        end = place(last_words, [w for w in text if (w["page"], w["top"]) >= start])
        note = place(title, [w for w in titles if (w["page"], w["top"]) >= start])  # (a heading may say the same)
        assert end < note and note[0] <= end[0] + 2, title  # (a page of figures may come between)
        title_line = [w for w in titles if (w["page"], w["top"]) == note]
        assert all(left - 1 <= w["x0"] and w["x1"] <= right + 1 for w in title_line), title


# ---- the EPUB -----------------------------------------------------------------------------------


def test_epub_passes_epubcheck(epub_path):
    result = subprocess.run([*EPUBCHECK, str(epub_path)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "No errors or warnings detected" in result.stdout


def test_epub_has_timelines_as_svg_and_no_scripts(epub_path):
    with zipfile.ZipFile(epub_path) as epub:
        names = epub.namelist()
        pages = {name: epub.read(name).decode("utf-8") for name in names if name.endswith(".xhtml")}
    timelines = [Path(name).name for name in names if re.search(r"timeline-[0-9a-f]+\.svg$", name)]
    assert len(timelines) == len(figure_captions())
    assert all(any(f'src="../_images/{svg}"' in page for page in pages.values()) for svg in timelines)
    assert [name for name, page in pages.items() if "<script" in page] == []


def epub_pages(epub_path) -> dict[str, BeautifulSoup]:
    with zipfile.ZipFile(epub_path) as epub:
        return {
            name: BeautifulSoup(epub.read(name).decode("utf-8"), "html.parser")
            for name in epub.namelist()
            if name.endswith(".xhtml")
        }


def test_epub_terms_people_and_margin_notes_are_popup_notes(epub_path):
    pages = epub_pages(epub_path)
    chapter = pages["chapters/germany-1923.xhtml"]
    noterefs = chapter.find_all("a", attrs={"epub:type": "noteref"})
    assert {"term", "person", "margin"} <= {re.match(r"#(?:popup-)?([a-z]+)-", a["href"])[1] for a in noterefs}
    remaining = [
        a["href"]
        for name, page in pages.items()
        if name.startswith("chapters/")  # not the index
        for a in page.select("a[href*='glossary.xhtml#term-'], a[href*='people.xhtml#person-']")
        if not a.find_parent("aside")
    ]  # only the "whole entry" links inside the notes
    assert remaining == []
    for name, page in pages.items():
        for link in page.find_all("a", attrs={"epub:type": "noteref"}):
            note = page.find(id=link["href"][1:])
            assert note is not None and note.name == "aside" and note["epub:type"] == "footnote", (name, link)
    trotsky = chapter.find(id="popup-person-trotsky")
    assert "Leon Trotsky" in trotsky.strong.get_text() and trotsky.find("a")["href"] == "people.xhtml#person-trotsky"
    margin_note = chapter.select_one("aside.margin")
    assert margin_note["epub:type"] == "footnote"
    assert chapter.find("a", href=f"#{margin_note['id']}", attrs={"epub:type": "noteref"})


def test_epub_has_a_cover_and_the_editions_metadata(epub_path):
    with zipfile.ZipFile(epub_path) as epub:
        package = epub.read("content.opf").decode("utf-8")
        cover = re.search(r'<item id="[^"]+" href="([^"]+)" media-type="image/png" properties="cover-image"', package)
        assert cover and epub.read(cover[1]).startswith(b"\x89PNG")
    book = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = book["sphinx"]["config"]
    assert "<dc:language>en</dc:language>" in package
    assert f"<dc:creator>{book['author']}</dc:creator>" in package
    assert re.findall(r"<dc:subject>([^<]+)</dc:subject>", package) == config["studybook_epub_subjects"]
    assert (
        f"edition {config['version']}" in package and config["version"] in re.search(r"<dc:identifier[^>]*>([^<]+)<", package)[1]
    )
