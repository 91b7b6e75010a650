"""Registers the parts of the reading-together feature, in order."""

from __future__ import annotations

from sphinx.application import Sphinx

from . import assets, citation, concordance, edition, numbers, role


def setup_paragraphs(app: Sphinx) -> None:
    numbers.setup_numbers(app)
    concordance.setup_concordance(app)
    assets.setup_assets(app)
    edition.setup_edition(app)
    citation.setup_citation(app)
    app.add_role("para", role.ParaRole())
    app.add_node(role.para_reference)
    app.add_post_transform(role.ResolveParagraphReferences)
