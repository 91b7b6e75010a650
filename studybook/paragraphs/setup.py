"""Registers the parts of the reading-together feature, in order."""

from __future__ import annotations

from sphinx.application import Sphinx

from . import assets, citation, edition, numbers


def setup_paragraphs(app: Sphinx) -> None:
    numbers.setup_numbers(app)
    assets.setup_assets(app)
    edition.setup_edition(app)
    citation.setup_citation(app)
