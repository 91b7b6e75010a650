"""Keep every page's navigation current in incremental builds (``make serve``).

Each page carries the whole book's navigation: page titles and part captions in the sidebar,
chapter numbers, previous and next links. Sphinx writes again only the pages it read again, so
after a page title or ``_toc.yml`` changes, the other pages would keep the old navigation. Here
the navigation of each build is remembered in the environment, and when it differs from the
last build's, every page is written again.
"""

from __future__ import annotations

import json

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..state import book_data


def navigation(env: BuildEnvironment) -> str:
    """What the navigation shows: the table of contents (captions, numbering) and every page title."""
    titles = {docname: title.astext() for docname, title in env.titles.items()}
    return json.dumps([env.config.external_site_map.as_json(), titles], sort_keys=True, default=str)


def rewrite_all_when_navigation_changed(app: Sphinx, env: BuildEnvironment) -> list[str]:
    current = navigation(env)
    changed = book_data(env).navigation not in (None, current)  # None: the first build
    book_data(env).navigation = current
    return sorted(env.all_docs) if changed else []


def setup_navigation(app: Sphinx) -> None:
    app.connect("env-get-updated", rewrite_all_when_navigation_changed)
