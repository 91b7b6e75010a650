"""Student and teacher editions from one source.

The guidance for group leaders is written once, under each discussion question, as an
admonition with the class ``guidance`` (``:class: dropdown guidance``), which Jupyter Book 2
reads as it is. The ``studybook_edition`` setting chooses what a build keeps: the teacher
edition keeps the guidance; the student edition, the default, removes it as each page is read,
so it reaches neither the HTML nor the search index, the PDF or the EPUB. Nor does the page's
Markdown source: the student edition copies no ``_sources/`` and its pages offer no source
download (the theme's "Download source file" button). The setting is part
of the environment, and the build command keeps one environment per edition, so an edition
never reuses the other's pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform

EDITIONS = ("student", "teacher")
GUIDANCE_CLASS = "guidance"


def is_guidance(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and GUIDANCE_CLASS in node.get("classes", [])


def edition(config: Config) -> str:
    return config.studybook_edition


class RemoveGuidanceForStudents(SphinxTransform):
    """Drops every guidance block from the student edition, before Sphinx indexes the page."""

    default_priority = 100

    def apply(self, **kwargs) -> None:
        if edition(self.config) == "teacher":
            return
        for node in list(self.document.findall(is_guidance)):
            node.parent.remove(node)


def check_edition(app: Sphinx, config: Config) -> None:
    if edition(config) not in EDITIONS:
        raise ConfigError(f"studybook_edition must be one of {', '.join(EDITIONS)}, not {edition(config)!r}")
    if edition(config) == "student":
        config.html_copy_source = False  # the Markdown sources hold the guidance


def drop_source_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The theme's download menu links to ``_sources/``, which the student edition does not copy."""
    if edition(app.config) == "teacher":
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"] = [b for b in button["buttons"] if b.get("label") != "download-source-button"]


def remove_old_sources(app: Sphinx, exception: Exception | None) -> None:
    """A folder built before the student edition existed still holds the sources: remove them."""
    if edition(app.config) == "student" and app.builder.format == "html":
        shutil.rmtree(Path(app.outdir) / "_sources", ignore_errors=True)


def setup_editions(app: Sphinx) -> None:
    app.add_config_value("studybook_edition", "student", "env", types=[str])
    app.connect("config-inited", check_edition)
    app.add_transform(RemoveGuidanceForStudents)
    app.connect("html-page-context", drop_source_download, priority=600)  # after the theme's buttons (501)
    app.connect("build-finished", remove_old_sources)
