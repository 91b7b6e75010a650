"""Two clean builds of the same sources give byte-identical web books and PDFs with identical text.

The book reads its pages in parallel (one process per core); the second web build reads them in
one process, so the comparison also shows that a parallel build gives what a serial one gives.
"""

from __future__ import annotations

from pathlib import Path

from conftest import PDF_NAME, ROOT, build, pdf_page_texts


def contents(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_serial_and_a_parallel_clean_build_give_identical_files(html_build, tmp_path):
    result = build(ROOT, "html", tmp_path, "--jobs", "1")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    first, second = contents(html_build), contents(tmp_path / "_build" / "html")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_two_clean_pdf_builds_give_identical_text(pdf_path, tmp_path):
    result = build(ROOT, "pdf", tmp_path, "--pdf-edition", "print")  # the layout compared
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    first, second = pdf_page_texts(pdf_path), pdf_page_texts(tmp_path / "_build" / "pdf" / f"{PDF_NAME}.pdf")
    assert len(first) == len(second)
    assert [number for number, (one, other) in enumerate(zip(first, second), 1) if one != other] == []
