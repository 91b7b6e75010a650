"""Handouts (issue 17, point 2): `make handouts` prints one sheet per part, at most two sides on the
book's paper, with the part's discussion questions, the glossary terms it uses and its events; the
teacher edition's sheets add the guidance for group leaders, which the students' never show.

What each sheet must hold is read from the web book, as readers see it: the questions and guidance
under "Discussion questions", the terms the page links to the glossary; the events from events.csv."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import PART_PAGES, ROOT
from studybook.commands.build import edition_dir
from studybook.tables.load import load_tables, toc_pages

pytestmark = pytest.mark.pdf
EDITIONS = ("student", "teacher")


def normalised(text: str) -> str:
    """Ligatures as letters (pdftotext gives "ﬀ"), and any run of spaces and line breaks as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="session")
def handouts(tmp_path_factory) -> dict[str, Path]:
    """Both editions' handouts, each printed once from clean, side by side (each in a folder of its
    own): edition -> folder of <part>.pdf."""
    output = tmp_path_factory.mktemp("handouts")
    runs = {
        edition: subprocess.Popen(
            [sys.executable, "-m", "studybook.commands.handouts", "--output", str(output / edition), "--edition", edition],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for edition in EDITIONS
    }
    for edition, run in runs.items():
        printed, _ = run.communicate()
        assert run.returncode == 0, f"{edition}:\n{printed[-3000:]}"
    return {edition: edition_dir(output / edition, edition) / "handouts" for edition in EDITIONS}


@pytest.fixture(scope="session")
def web_pages(html_build, teacher_html_build) -> dict[str, dict[str, BeautifulSoup]]:
    """edition -> page name (germany-1923, glossary, ...) -> the built web page."""
    return {
        edition: {
            name: BeautifulSoup((folder / "chapters" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
            for name in (*PART_PAGES, "glossary")
        }
        for edition, folder in (("student", html_build), ("teacher", teacher_html_build))
    }


def pdf_text(pdf: Path) -> str:
    return normalised(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)


def pdf_info(pdf: Path) -> dict[str, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in info.splitlines())}


def questions(page: BeautifulSoup) -> list[str]:
    return [normalised(item.p.get_text()) for item in page.select("section#discussion-questions > ol > li")]


def guidance(page: BeautifulSoup) -> list[str]:
    """Each guidance block's text, without its title."""
    return [
        normalised(" ".join(paragraph.get_text() for paragraph in block.select("p:not(.admonition-title)")))
        for block in page.select("section#discussion-questions .guidance")
    ]


def glossary_terms(page: BeautifulSoup, glossary: BeautifulSoup) -> set[str]:
    """The glossary entries the page links to, by their names in the glossary."""
    for mark in glossary.select("dl.glossary dt a.headerlink"):
        mark.decompose()
    names = {dt["id"]: normalised(dt.get_text()) for dt in glossary.select("dl.glossary dt[id]")}
    anchors = {link["href"].partition("#")[2] for link in page.select('a[href^="glossary.html#"]')}
    return {names[anchor] for anchor in anchors if anchor in names}


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("part", PART_PAGES)
def test_each_part_is_one_sheet_on_the_books_paper(handouts, edition, part):
    info = pdf_info(handouts[edition] / f"{part}.pdf")
    assert 1 <= int(info["Pages"]) <= 2
    paper = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]["latex_elements"]["papersize"]
    assert info["Page size"].endswith({"a4paper": "(A4)", "letterpaper": "(letter)"}[paper])


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("part", PART_PAGES)
def test_each_sheet_has_the_parts_questions_terms_and_events(handouts, web_pages, edition, part):
    text = pdf_text(handouts[edition] / f"{part}.pdf")
    page = web_pages[edition][part]
    asked = questions(page)
    assert len(asked) >= 3
    assert [question for question in asked if question not in text] == []
    terms = glossary_terms(page, web_pages[edition]["glossary"])
    assert len(terms) >= 5
    assert sorted(term for term in terms if term not in text) == []
    tables = load_tables(ROOT, toc_pages(ROOT), ["data/references.bib"])
    events = tables.events[tables.events["page"] == part]
    assert not events.empty
    assert [label for label in events["label"] if normalised(label) not in text] == []


@pytest.mark.parametrize("part", PART_PAGES)
def test_only_the_teachers_sheets_have_the_guidance(handouts, web_pages, part):
    notes = guidance(web_pages["teacher"][part])
    assert len(notes) == len(questions(web_pages["teacher"][part]))
    teacher, student = (pdf_text(handouts[edition] / f"{part}.pdf") for edition in ("teacher", "student"))
    assert [note for note in notes if note not in teacher] == []
    assert [note for note in notes if note in student] == []
    assert "Guidance for group leaders" in teacher
    assert "Guidance for group leaders" not in student
