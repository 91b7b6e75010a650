"""The whole book to download, in the article header of every web page: the PDF and the EPUB of
this edition, with their sizes (HTML only).

The web build does not print the book. It takes the files that ``make pdf`` and ``make epub`` left
beside it (``_build/pdf/<name>-screen.pdf`` and ``<name>-print.pdf``, the screen and print
editions of studybook/print/editions.py, and ``_build/epub/<name>.epub``), copies them into the web
book's ``downloads/`` folder and links them with their sizes, which are therefore always known; a
file that is not there is not offered (a link to nothing would be worse than none; the theme's
"print this page" stays). The forge workflow (``.github/workflows/book.yml``) builds the PDF and
the EPUB before the web book, so the published site offers both. They are not part of the
offline copy (offline.py) until a reader downloads them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

from ..state import book_data

FOLDER = "downloads"


def downloads(app: Sphinx) -> list[tuple[str, str, Path]]:
    """(label, file name, where the print build leaves it) for the two PDFs and the EPUB."""
    build = Path(app.outdir).parent
    name = Path(app.config.latex_documents[0][1]).stem
    screen, paper = f"{name}-screen.pdf", f"{name}-print.pdf"
    epub = f"{app.config.epub_basename}.epub"
    return [
        ("PDF", screen, build / "pdf" / screen),
        ("PDF for printing", paper, build / "pdf" / paper),
        ("EPUB", epub, build / "epub" / epub),
    ]


def readable_size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} KB"


def sizes(app: Sphinx) -> dict[str, int | None]:
    return {name: path.stat().st_size if path.is_file() else None for _, name, path in downloads(app)}


def rewrite_pages_when_sizes_change(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Every page shows the sizes: a new PDF or EPUB rewrites them all in an incremental build."""
    if app.builder.format != "html" or app.builder.name == "epub":
        return []
    current = sizes(app)
    if book_data(env).download_sizes == current:
        return []
    book_data(env).download_sizes = current
    return sorted(env.found_docs)


def add_download_buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or app.builder.name == "epub" or "header_buttons" not in context:
        return
    file_sizes = sizes(app)
    buttons = []
    for label, name, _ in downloads(app):
        file_size = file_sizes[name]
        if file_size is None:
            continue
        size = readable_size(file_size)
        buttons.append(
            {
                "type": "link",
                "url": context["pathto"](f"{FOLDER}/{name}", 1),
                "text": f"Book ({label}, {size})",
                "tooltip": f"The whole book as {label}, {size}",
                "icon": "fas fa-book",
                "label": f"download-book-{label.lower().replace(' ', '-')}-button",
            }
        )
    if not buttons:
        return
    group = next((button for button in context["header_buttons"] if button.get("label") == "download-buttons"), None)
    if group is None:
        context["header_buttons"].append(
            {"type": "group", "tooltip": "Downloads", "icon": "fas fa-download", "buttons": buttons, "label": "download-buttons"}
        )
    else:  # the theme's menu of this page's source and print: the whole book comes first
        group["tooltip"] = "Downloads"
        group["buttons"] = buttons + group["buttons"]


def copy_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html" or app.builder.name == "epub":
        return
    target = Path(app.outdir) / FOLDER
    for _, name, path in downloads(app):
        if path.is_file():
            target.mkdir(exist_ok=True)
            shutil.copyfile(path, target / name)


def setup_downloads(app: Sphinx) -> None:
    app.connect("env-get-outdated", rewrite_pages_when_sizes_change)
    app.connect("html-page-context", add_download_buttons, priority=502)  # after the theme's buttons (501)
    app.connect("build-finished", copy_downloads)
