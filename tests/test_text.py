"""The study text as readers meet it: structure of the part pages, glossary, people, sources."""

from __future__ import annotations

import copy
import re

import pandas as pd

from conftest import ROOT
from studybook.tables.load import bib_keys

PART_PAGES = ["germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions"]
NOT_STUDY_TEXT = ("key-points", "discussion-questions", "further-reading", "check-yourself")


def article(soup):
    return soup.select_one("article.bd-article")


def study_words(soup) -> int:
    """Words of running text: sections other than the closing apparatus, without notes and figures."""
    body = copy.copy(article(soup))  # the parsed pages are shared by all tests: cut a copy
    for selector in ["aside", "figure", "details", "div.admonition", "table", "span.bibtex-citation", "a.event-backlink"]:
        for element in body.select(selector):
            element.decompose()
    for section in body.select("section"):
        if section.get("id") in NOT_STUDY_TEXT:
            section.decompose()
    return len(re.findall(r"[A-Za-zÀ-ž]+(?:['’][a-z]+)?", body.get_text(" ")))


def test_part_pages_have_goals_notes_views_points_questions_and_reading(pages):
    for page in PART_PAGES:
        soup = pages[f"chapters/{page}.html"]
        body = article(soup)
        assert body.select_one("div.admonition.goals li"), f"{page}: learning goals"
        assert 3 <= len(body.select("div.admonition.goals li")) <= 5, f"{page}: 3–5 learning goals"
        assert len(body.select("aside.margin")) >= 8, f"{page}: at least 8 margin notes"
        for section in ("other-views", "key-points", "discussion-questions", "further-reading"):
            assert body.find("section", id=section), f"{page}: section {section}"
        questions = body.select("section#discussion-questions > ol > li")
        assert len(questions) >= 5, f"{page}: at least 5 discussion questions"
        # the guidance under each question is in the teacher edition: tests/test_editions.py


def test_part_pages_have_1500_to_3000_words_of_study_text(pages):
    counts = {page: study_words(pages[f"chapters/{page}.html"]) for page in PART_PAGES}
    assert all(1500 <= words <= 3000 for words in counts.values()), counts


def test_glossary_defines_each_term_once_and_every_term_is_used(pages):
    glossary = pages["chapters/glossary.html"]
    terms = [dt.get_text(" ", strip=True).rstrip("#¶").strip() for dt in glossary.select("dl.glossary > dt")]
    assert len(terms) >= 35
    assert len({t.lower() for t in terms}) == len(terms), "a term is defined twice"
    assert {"permanent revolution", "stages theory"} <= {t.lower() for t in terms}
    anchors = {dt["id"] for dt in glossary.select("dl.glossary > dt")}
    used = {
        link["href"].split("#")[1]
        for name, soup in pages.items()
        if name != "chapters/glossary.html"
        for link in soup.select("a.reference.internal[href*='glossary.html#']")
    }
    assert not anchors - used, f"terms never used outside the glossary: {sorted(anchors - used)}"


def test_glossary_definitions_are_40_to_150_words(pages):
    for definition in pages["chapters/glossary.html"].select("dl.glossary > dd"):
        definition = copy.copy(definition)
        for citation in definition.select("span.bibtex-citation"):
            citation.decompose()
        words = len(re.findall(r"\w+(?:['’-]\w+)*", definition.get_text(" ")))
        assert 40 <= words <= 150, (definition.find_previous_sibling("dt").get_text(), words)


def test_every_person_appears_in_the_text_and_links_to_the_whos_who(pages):
    people = pd.read_csv(ROOT / "data" / "people.csv", dtype=str)
    assert len(people) >= 30
    whos_who = pages["chapters/people.html"]
    for person in people.itertuples():
        entry = whos_who.find(id=f"person-{person.id}")
        assert entry, person.id
        appears = entry.find_next_sibling("dd").select_one("p.appears-in")
        assert appears and appears.a, f"{person.id} is never mentioned in the text"
    linked = {
        link["href"].split("#")[1]
        for soup in pages.values()
        for link in soup.select("a.reference.internal[href*='people.html#person-']")
    }
    assert linked == {f"person-{i}" for i in people.id}


def test_whos_who_cites_each_persons_sources(pages):
    """Each entry ends with its sources: every bibliography key of people.csv as a citation that links to the
    Bibliography, every web address as a link."""
    people = pd.read_csv(ROOT / "data" / "people.csv", dtype=str)
    whos_who = pages["chapters/people.html"]
    for person in people.itertuples():
        sources = whos_who.find(id=f"person-{person.id}").find_next_sibling("dd").select_one("p.sources")
        assert sources, f"{person.id}: no sources line"
        named = [s.strip() for s in person.sources.split(";") if s.strip()]
        keys = [s for s in named if not s.startswith("http")]
        citations = sources.select("span.bibtex-citation a[href*='bibliography.html#']")
        assert len(citations) == len(keys), (person.id, keys, sources.get_text())
        addresses = {a["href"] for a in sources.select("a.reference.external")}
        assert addresses == {s for s in named if s.startswith("http")}, person.id


def test_sources_are_many_and_cited(pages):
    keys = bib_keys(ROOT / "data" / "references.bib")
    assert len(keys) >= 20
    citations = sum(len(soup.select("span.bibtex-citation")) for soup in pages.values())
    assert citations >= 60


def test_index_lists_people_places_and_terms(pages):
    index = pages["genindex.html"].get_text(" ")
    for entry in ("Trotsky, Leon", "Chiang Kai-shek", "permanent revolution", "Anglo-Russian Committee"):
        assert entry in index, entry
