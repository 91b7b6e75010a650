"""Self-checks at the end of each part page (issue 17, point 3): drawn from the data, answers that
link to their explanation, usable with the keyboard on a phone, and an answer key at the back of
the PDF."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from browsing import axe_violations
from conftest import PDF_NAME, ROOT, pdf_page_texts

PART_PAGES = ["germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions"]


def answer(item) -> int:
    return int(next(c for c in item["class"] if c.startswith("answer-")).removeprefix("answer-"))


def test_each_part_page_ends_with_three_exercises_whose_answers_link_to_their_explanation(pages):
    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str).set_index("label")
    for page in PART_PAGES:
        soup = pages[f"chapters/{page}.html"]
        section = soup.select_one("article section#check-yourself")
        assert section, page
        exercises = section.select(".self-check-exercise")
        assert [e["class"][1] for e in exercises] == ["order", "terms", "people"], page
        keys = section.select("details.self-check-answers .self-check-answer")
        assert len(keys) == 3, page
        order = [item.get_text(" ", strip=True) for item in exercises[0].select(".self-check-prompts > li")]
        assert 5 <= len(order) <= 6, page
        positions = [answer(item) for item in exercises[0].select(".self-check-prompts > li")]
        assert sorted(positions) == list(range(1, len(order) + 1)), page
        in_order = [label for _, label in sorted(zip(positions, order))]
        starts = [events.loc[[label], "start"].iloc[0] for label in in_order]
        assert starts == sorted(starts), (page, in_order)
        for exercise, key in zip(exercises, keys):
            prompts = exercise.select(".self-check-prompts > li")
            items = key.select(".self-check-key > li")
            assert len(prompts) == len(items) >= 3, page
            options = [o.get_text(strip=True) for o in exercise.select(".self-check-options > li")]
            for prompt, item in zip(prompts, items):
                text = item.get_text(" ", strip=True)
                if options:
                    assert text.startswith(f"{chr(64 + answer(prompt))}. {options[answer(prompt) - 1]}"), text
                link = item.select_one("a[href]")
                assert link, (page, text)
                target_page, anchor = link["href"].split("#")
                target = pages[f"chapters/{target_page}"] if target_page else soup
                assert target.find(id=anchor), (page, link["href"])


def test_self_check_works_with_the_keyboard_at_375_px_with_no_axe_violations(visit):  # noqa: F811
    page = visit("chapters/britain-1926.html", width=375).page
    exercise = page.locator(".self-check-exercise").first
    prompts = exercise.locator(".self-check-prompts > li")
    selects = exercise.locator("select")
    assert selects.count() == prompts.count() >= 5
    answers = [
        int(next(c for c in prompts.nth(i).get_attribute("class").split() if c.startswith("answer-"))[7:])
        for i in range(prompts.count())
    ]
    for i, right in enumerate(answers):
        selects.nth(i).focus()
        choice = right % len(answers) + 1 if i == 0 else right  # the first answer wrong, the others right
        for _ in range(choice):  # from "choose…" down to the choice
            page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    for _ in range(prompts.count() - 1):  # past the remaining selects, to the button
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check my answers"
    page.keyboard.press("Enter")
    status = exercise.locator("[role=status]")
    assert status.inner_text() == f"{len(answers) - 1} of {len(answers)} right."
    first = prompts.nth(0).locator(".self-check-feedback")
    assert first.inner_text().startswith("Not quite. The answer: ")
    assert "#tells-" in first.locator("a").get_attribute("href")
    assert prompts.nth(1).locator(".self-check-feedback").inner_text().startswith("Right: ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def pdf_text(pdf_build) -> list[str]:
    return pdf_page_texts(pdf_build / "pdf" / f"{PDF_NAME}.pdf")


def test_the_pdf_prints_the_exercises_and_the_answers_at_the_back(pdf_text):
    with_exercises = [n for n, text in enumerate(pdf_text) if "Check yourself" in text]
    answers = [n for n, text in enumerate(pdf_text) if "Answers to the self-checks" in text]
    assert len(with_exercises) >= len(PART_PAGES)
    assert answers and answers[-1] > max(with_exercises)
    back = " ".join(pdf_text[answers[-1] :])
    assert back.count("Exercise 1") >= len(PART_PAGES)
    assert "Read the paragraph" not in back and re.search(r"1st, [^()]+ \(p\. \d+\)", back)
