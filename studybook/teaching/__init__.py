"""The teaching kit, built from the same chapters and data as the book (issue 17).

``editions``: the student edition (the default) leaves out the guidance for group leaders, the
teacher edition keeps it. The other modules each add one piece of the kit.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_teaching(app: Sphinx) -> None:
    from . import editions, flashcards, selfcheck

    editions.setup_editions(app)
    selfcheck.setup_self_checks(app)
    flashcards.setup_flashcards(app)
