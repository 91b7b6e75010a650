"""Student and teacher editions (issue 17): the guidance for group leaders is in the teacher
edition only, and the student edition carries none of it in any output."""

from __future__ import annotations

import re
import zipfile

from bs4 import BeautifulSoup

from conftest import PDF_NAME, ROOT, pdf_page_texts

GUIDANCE_TITLE = "Guidance for group leaders"
# Made-up words that only the tiny book's guidance uses, so that the search index can be searched for them.
GUIDANCE_WORD = "quokkaplatypus"
PART_PAGES = ["germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions"]
QUESTION_PAGE = f"""# Part

## Discussion questions

1. Was the strike a revolution?

   :::{{admonition}} {GUIDANCE_TITLE}
   :class: dropdown guidance
   Ask the group about the {GUIDANCE_WORD} before anything else.
   :::
"""


def guidance_lines() -> list[str]:
    """Every line of guidance in the book's chapters (the admonitions under discussion questions)."""
    lines, inside = [], False
    for page in sorted((ROOT / "chapters").glob("*.md")):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.strip() == f":::{{admonition}} {GUIDANCE_TITLE}":
                inside = True
            elif inside and line.strip() == ":::":
                inside = False
            elif inside and not line.strip().startswith(":") and "{" not in line:
                lines.append(line.strip())
    return lines


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def epub_text(epub) -> str:
    with zipfile.ZipFile(epub) as archive:
        return " ".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith((".xhtml", ".html", ".ncx", ".opf"))
        )


def test_only_the_teacher_edition_has_the_guidance_in_html_search_pdf_and_epub(tiny_book):
    tiny_book.page("part", QUESTION_PAGE)
    found = {}
    for edition in ("student", "teacher"):
        for kind in ("html", "epub", "pdf"):
            result = tiny_book.build(kind, edition=edition)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        root = tiny_book.folder / "_build" / ("teacher" if edition == "teacher" else "")
        html = root / "html"
        found[edition] = {
            "page": GUIDANCE_WORD in (html / "chapters" / "part.html").read_text(),
            "search index": GUIDANCE_WORD[:12] in (html / "searchindex.js").read_text(),
            "sources": any(GUIDANCE_WORD in path.read_text() for path in html.rglob("*.md")),
            "pdf": GUIDANCE_WORD in " ".join(pdf_page_texts(root / "pdf" / f"{PDF_NAME}.pdf")),
            "epub": GUIDANCE_WORD in epub_text(next((root / "epub").glob("*.epub"))),
        }
        assert "strike a revolution" in (html / "chapters" / "part.html").read_text()  # the question stays
    assert not any(found["student"].values()), found["student"]
    assert all(found["teacher"][output] for output in ("page", "search index", "pdf", "epub")), found["teacher"]


def test_the_students_web_book_has_no_guidance(html_build, pages):
    lines = guidance_lines()
    assert len(lines) > 60
    text = {name: words(soup.get_text(" ")) for name, soup in pages.items()}
    assert [name for name, page in text.items() if GUIDANCE_TITLE in page] == []
    assert [line for line in lines if any(line in page for page in text.values())] == []
    assert not (html_build / "_sources").exists()
    assert not [soup for soup in pages.values() if soup.select(".admonition.guidance")]


def test_the_teachers_web_book_has_guidance_under_every_discussion_question(teacher_html_build):
    for page in PART_PAGES:
        soup = BeautifulSoup((teacher_html_build / "chapters" / f"{page}.html").read_text(), "html.parser")
        questions = soup.select("section#discussion-questions > ol > li")
        assert len(questions) >= 5, page
        for number, question in enumerate(questions, 1):
            guidance = question.select_one(".admonition.guidance")
            assert guidance and GUIDANCE_TITLE in guidance.get_text(), f"{page}: question {number} has no guidance"
    assert (teacher_html_build / "_sources" / "chapters" / "britain-1926.md").exists()
