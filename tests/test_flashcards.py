"""Flashcards (issue 17, point 4): an Anki package and a CSV with one card per glossary term and two
per person, tagged by part. Needs genanki (not yet in requirements.txt: skipped without it)."""

from __future__ import annotations

import csv
import sqlite3
import zipfile

import pandas as pd
import pytest

from conftest import ROOT, build

pytest.importorskip("genanki")


def test_the_deck_has_a_card_per_term_and_two_per_person_tagged_by_part(tmp_path, pages):
    result = build(ROOT, "flashcards", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    folder = tmp_path / "_build" / "flashcards"
    terms = len(pages["chapters/glossary.html"].select("dl.glossary > dt"))
    people = len(pd.read_csv(ROOT / "data" / "people.csv"))
    with open(folder / "flashcards.csv", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    assert [row["kind"] for row in rows].count("term") == terms
    assert [row["kind"] for row in rows].count("person") == people
    assert "britain-1926" in next(row["tags"] for row in rows if row["front"] == "Stanley Baldwin")
    with zipfile.ZipFile(folder / "flashcards.apkg") as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as collection:
        assert collection.execute("select count(*) from cards").fetchone()[0] == terms + 2 * people
        assert collection.execute("select count(*) from notes").fetchone()[0] == terms + people
        tags = {tag for (row,) in collection.execute("select tags from notes") for tag in row.split()}
    assert {"germany-1923", "britain-1926", "china-1925-27"} <= tags
