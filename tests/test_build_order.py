"""Every target works after any other in one checkout, and gives what it gives from clean.

Sphinx pickles each document as it was read for one builder: the web book's figures point at SVG
previews, the printed book's at vector PDFs. Builders that shared one environment made
`make book` then `make pdf` ask ImageMagick to turn SVGs into PDFs (issue 12).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile

from bs4 import BeautifulSoup

from conftest import PDF_NAME, pdf_page_texts

TIMELINE_PAGE = """# Timeline

:::{timeline}
:name: fig-tiny
Two events, 1923 and 1926.
:::
"""


def raster_images(pdf) -> list[str]:
    """`pdfimages -list` rows: every raster image in the PDF (a vector figure has none)."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return listing.splitlines()[2:]


def test_targets_work_in_the_orders_a_person_runs_them(tiny_book):
    tiny_book.page("timeline", TIMELINE_PAGE)
    build_dir = tiny_book.folder / "_build"
    pdf = build_dir / "pdf" / f"{PDF_NAME}.pdf"
    html_page = build_dir / "html" / "chapters" / "timeline.html"
    results: dict[str, object] = {}

    def run(kind: str, step: str) -> None:
        result = tiny_book.build(kind)
        assert result.returncode == 0, f"{step}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        assert "convert" not in result.stderr, step
        if kind == "pdf":
            assert raster_images(pdf) == [], f"{step}: the PDF's figure was rasterised"
            results[step] = pdf_page_texts(pdf)
        elif kind == "html":
            preview = BeautifulSoup(html_page.read_text(), "html.parser").select_one("figure.timeline img")
            assert preview["src"].endswith(".svg"), step
            assert (html_page.parent / preview["src"]).is_file(), step
            results[step] = html_page.read_bytes()
        else:
            with zipfile.ZipFile(next((build_dir / "epub").glob("*.epub"))) as epub:
                assert any(name.endswith(".svg") for name in epub.namelist()), step

    run("pdf", "pdf from clean")
    run("html", "book after pdf")
    run("pdf", "pdf after book")
    run("epub", "epub after pdf")
    run("html", "book after epub")
    # The web book offers the PDF and EPUB found beside it, so it is compared with a web build from
    # clean that finds the same files.
    shutil.rmtree(build_dir / "html")
    shutil.rmtree(build_dir / ".doctrees" / "html")
    run("html", "book from clean")
    assert results["pdf after book"] == results["pdf from clean"]
    assert results["book after epub"] == results["book from clean"]
