"""The private internals the book relies on (studybook/compat.py) are those it was written for."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version

import pytest

from studybook import compat, parallel


@pytest.mark.parametrize("package", sorted(compat.WRITTEN_FOR))
def test_pinned_version_is_the_one_compat_was_written_for(package):
    installed, written_for = version(package), compat.WRITTEN_FOR[package]
    assert installed == written_for, (
        f"{package} is {installed}, but studybook/compat.py was written for {written_for}: read what that file "
        f"says about {package}, check each use against the new version, then update WRITTEN_FOR"
    )


@pytest.mark.parametrize(("package", "owner", "name"), list(compat.private_names()), ids=lambda value: str(value)[:40])
def test_every_private_internal_still_exists(package, owner, name):
    assert hasattr(owner, name), f"{package} no longer has {name} on {owner}: see studybook/compat.py"


def test_the_theme_still_ships_its_icon_fonts():
    assert list((compat.THEME_STATIC / "vendor" / "fontawesome" / "webfonts").glob("*.woff2")), (
        "pydata-sphinx-theme moved its Font Awesome webfonts: see studybook/compat.py"
    )


def test_parallel_reading_deals_the_costliest_pages_in_turn_one_share_per_process():
    pages = ["index", "glossary", "people", "germany", "china"]  # cheapest first, as parallel.py sorts them
    shares = parallel.one_share_per_process(pages, 2)
    assert len(shares) == 2, "one share per process: Sphinx's own chunks leave a third for whichever core frees first"
    assert sorted(page for share in shares for page in share) == sorted(pages)
    assert {share[-1] for share in shares} == {"germany", "china"}, "each process reads one costly page, last"


def test_one_writing_process_gets_two_shares_that_keep_the_pages_in_order():
    pages = ["bibliography", "britain", "china", "glossary", "index"]
    shares = parallel.shares_in_order(pages, 1)  # Sphinx writes with one process fewer than it reads
    assert len(shares) == 2, "the main process resolves the second share while the first is written"
    assert [page for share in shares for page in share] == pages, "the search index lists pages as they are resolved"


GROUPING_CONFTEST = """
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.xdist_group(item.module.__name__))  # as tests/conftest.py does
"""


def test_pytest_xdist_keeps_a_grouped_modules_tests_on_one_worker(tmp_path):
    """tests/conftest.py keeps each module with a costly shared fixture on one worker (ONE_WORKER_MODULES);
    pytest-xdist 3.8 silently stopped grouping under pytest 9.2 (pytest-xdist#1386), and each worker
    built the handouts again."""
    (tmp_path / "conftest.py").write_text(GROUPING_CONFTEST, encoding="utf-8")
    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n\n@pytest.mark.parametrize('n', range(8))\ndef test_one(n):\n    pass\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    workers = re.findall(r"\[(gw\d+)\] .*PASSED", result.stdout)
    assert len(workers) == 8, result.stdout[-2000:]
    assert len(set(workers)) == 1, f"one group ran on {sorted(set(workers))}: see the pytest pin in requirements-dev.in"
