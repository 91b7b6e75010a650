"""Page titles as their headings set them: "Germany 1923 and *Lessons of October*" keeps its italics
wherever the book names the page, as a work's title is in italics everywhere else. Sphinx gives a
``{doc}`` link without text of its own the title's plain text; ``ItalicPageTitles`` puts the heading's
markup back, and the Who's who's "Appears in" builds its links from ``title_nodes``."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform


def title_nodes(env: BuildEnvironment, docname: str) -> list[nodes.Node]:
    return [child.deepcopy() for child in env.titles[docname].children]


class ItalicPageTitles(SphinxPostTransform):
    default_priority = 20  # after Sphinx has resolved the links (ReferencesResolver, 10)

    def run(self, **kwargs) -> None:
        marked = {title.astext(): docname for docname, title in self.env.titles.items() if not _plain(title)}
        for name in list(self.document.findall(nodes.inline)):
            docname = marked.get(name.astext()) if "doc" in name["classes"] else None
            if docname is not None:
                name.children = []
                name.extend(title_nodes(self.env, docname))


def _plain(title: nodes.Element) -> bool:
    return all(isinstance(child, nodes.Text) for child in title.children)


def setup_titles(app: Sphinx) -> None:
    app.add_post_transform(ItalicPageTitles)
