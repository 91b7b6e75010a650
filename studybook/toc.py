"""The build reads the pages that ``_toc.yml`` names, and no other file of the book's folder.

Jupyter Book's ``only_build_toc_files`` does this through sphinx-external-toc, which finds the
files to leave out by globbing the whole folder once per source suffix (three), ``node_modules``
and ``_build`` included: 0.24 s of every build, a tenth of a live-preview edit. Sphinx's own walk
(``get_matching_files``) does not enter the folders ``exclude_patterns`` leaves out, and takes a few
milliseconds. So ``_config.yml`` turns the option off and this module does its work.

A page in the pages folder that ``_toc.yml`` leaves out is reported (``checks/mistakes.py``).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.matching import get_matching_files, patmatch


def leave_out_files_not_in_the_toc(app: Sphinx, config: Config) -> None:
    site_map = config.external_site_map  # _toc.yml, as sphinx-external-toc read it
    suffixes = tuple(config.source_suffix)
    left_out = [
        source
        for source in get_matching_files(app.srcdir, exclude_patterns=config.exclude_patterns)
        if source.endswith(suffixes)
        and source not in site_map
        and (docname := str(PurePosixPath(source).with_suffix(""))) not in site_map
        and not any(patmatch(docname, pattern) for pattern in site_map.globs())
    ]
    config.exclude_patterns = [*config.exclude_patterns, *left_out]  # a new list: the default is shared


def setup_toc(app: Sphinx) -> None:
    app.connect("config-inited", leave_out_files_not_in_the_toc, priority=901)  # after sphinx-external-toc reads _toc.yml
