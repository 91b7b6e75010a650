"""CONTRIBUTING.md stays true: its examples build, and its tables match the code."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT
from studybook.checks.catalogue import StudybookWarning
from test_mistakes import warning_lines

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
DATA_FILES = {"events": "data/events.csv", "people": "data/people.csv"}
PLACEHOLDER_IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'


def examples(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", GUIDE, re.MULTILINE | re.DOTALL)


def test_the_guide_has_examples_of_every_kind():
    assert len(examples("md")) >= 10
    assert examples("csv") and examples("bibtex") and examples("yaml")


def test_every_example_builds_without_a_warning(tiny_book):
    for page in ("glossary", "people", "bibliography"):
        tiny_book.page(page, (ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8"))
    for number, example in enumerate(examples("md"), 1):
        label = re.match(r"\((.+)\)=\n", example)
        name = label.group(1) if label else f"example-{number}"
        tiny_book.page(name, example if label else f"({name})=\n# Example {number}\n\n{example}")
        for image in re.findall(r"\{figure\} /(\S+)", example):
            tiny_book.write(image, PLACEHOLDER_IMAGE)
    for example in examples("csv"):
        header, *rows = example.splitlines(keepends=True)
        table = next(path for path in DATA_FILES.values() if (ROOT / path).read_text(encoding="utf-8").startswith(header))
        with open(tiny_book.folder / table, "a", encoding="utf-8") as data:
            data.writelines(rows)
    with open(tiny_book.folder / "data/references.bib", "a", encoding="utf-8") as bib:
        bib.write("\n" + "\n".join(examples("bibtex")))
    result = tiny_book.build()
    output = result.stdout + result.stderr
    assert result.returncode == 0, "\n".join(warning_lines(output, tiny_book.folder)) or output[-3000:]


def test_yaml_examples_parse():
    for example in examples("yaml"):
        assert yaml.safe_load(example)


def test_warning_types_table_matches_the_code():
    rows = dict(re.findall(r"^\| `(studybook\.\w+)` \| (.+) \|$", GUIDE, re.MULTILINE))
    assert rows == {warning.id: warning.meaning for warning in StudybookWarning}


def test_the_guide_points_only_to_files_of_the_repository():
    assert "../" not in GUIDE
    named = set(re.findall(r"`((?:chapters|data|studybook|tools|tests)/[\w./-]+|[\w-]+\.(?:yml|md|txt|toml|py))`", GUIDE))
    named |= {script for example in examples("bash") for script in re.findall(r"[\w/.-]+\.py\b", example)}
    assert len(named) > 10
    assert sorted(path for path in named if not (ROOT / path).exists()) == []
