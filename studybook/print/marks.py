"""The marks the printed book carries for the part PDFs: ``latex.py`` and the self-checks write them,
LaTeX records the page each lands on, and ``parts.py`` reads them back to cut the parts out.

Kept apart from ``parts.py`` so that writing a book never imports pypdf, which only cutting needs.
"""

from __future__ import annotations

# kinds of mark: a part's opening and its answers (key: the docname), a glossary term's use and the
# first and last line of its entry (key: the term's id)
PART, ANSWERS, USE, ENTRY, ENTRY_END = "part", "answers", "use", "entry", "entry-end"


def mark(kind: str, key: str) -> str:
    return rf"\studymark{{{kind}:{key}}}"
