"""The originality check (tools/originality.py) that editors run against their copy of the chapter."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CHAPTER = (
    "In the autumn of that year the leaders of the party hesitated for weeks and then called off the rising at the last moment.\n"
)


def check(tmp_path, page: str) -> subprocess.CompletedProcess:
    (tmp_path / "chapter.txt").write_text(CHAPTER)
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "page.md").write_text(page)
    return subprocess.run(
        [sys.executable, "-m", "tools.originality", "--chapter", str(tmp_path / "chapter.txt"), str(tmp_path / "chapters")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_a_copied_run_of_words_fails_with_its_place(tmp_path):
    result = check(tmp_path, "# Page\n\nAs told, the leaders of the party hesitated for weeks and then called off the rising.\n")
    assert result.returncode == 1
    assert "page.md:3: 14 words copied from the source" in result.stdout


def test_own_words_and_a_short_quotation_pass(tmp_path):
    result = check(
        tmp_path, '# Page\n\nThe leadership wavered; one account says it "hesitated for weeks and then called off the rising".\n'
    )
    assert result.returncode == 0, result.stdout
    assert "unquoted runs of 10+ words shared with the source: 0" in result.stdout
