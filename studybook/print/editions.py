"""The printed book's editions: one LaTeX text, several PDFs.

Sphinx writes the book once, as ``<name>.tex``; each edition is a two-line LaTeX file,
``<name>-<edition>.tex``, that names the edition and the class options, then reads the book.
``studybook.sty`` reads ``\\studyedition`` and sets the page design for it. LaTeX runs once per
edition (the build command runs them side by side), each with its own auxiliary files, so
page references and the index are right in each.

- ``print``: for a copy shop's double-sided run. Two-sided pages with mirrored margins, margin
  notes always in the outer margin, parts and chapters opening on right-hand pages, links in black.
- ``screen``: for reading on a screen. One-sided pages, notes on the right, coloured links.
- ``large``: large print, for readers with low vision: 14 pt type on 18 pt lines, one-sided,
  each margin note set after its paragraph in the text column (and so as large as the text
  around it, with no narrow margin to read), coloured links as on screen.
"""

from __future__ import annotations

from pathlib import Path

# edition: class options added to the book's, in the order the build runs them
EDITIONS = {
    "print": "openright",
    "screen": "oneside,openany",
    "large": "oneside,openany",
}
# large print only when asked for (--pdf-edition large): on two cores a third LaTeX run beside the
# other two took the LaTeX step from 21-24 s to 39-40 s (December 2026, a busy machine)
DEFAULT_EDITIONS = ("print", "screen")


def edition_file(tex: Path, edition: str) -> Path:
    return tex.with_name(f"{tex.stem}-{edition}.tex")


def write_edition(tex: Path, edition: str) -> Path:
    """Write the LaTeX file of one edition next to the book's ``tex``; returns its path."""
    path = edition_file(tex, edition)
    path.write_text(
        f"%% The {edition} edition of {tex.name} (written by studybook/print/editions.py).\n"
        f"\\def\\studyedition{{{edition}}}\n"
        f"\\PassOptionsToClass{{{EDITIONS[edition]}}}{{jupyterBook}}\n"
        f"\\input{{{tex.name}}}\n",
        encoding="utf-8",
    )
    return path
