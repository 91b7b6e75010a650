"""The ``para`` role: ``{para}`germany-1923:chemnitz``` prints "1 ¶ 23" and links to the paragraph.

The label is an ordinary MyST label on the line before the paragraph, ``(chemnitz)=``; the
numbering transform records, in the book's Domain, which numbered paragraph carries which label,
so that a page can point to a paragraph on any other page. Once every page is read, each
reference becomes a link (``\\hyperref`` in print); one to a label that no numbered paragraph
carries is a ``studybook.para`` warning at its file and line, with the closest label.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import make_refnode

from ..checks.catalogue import StudybookWarning
from ..checks.mistakes import did_you_mean, warn
from ..domain import book_domain
from ..tables.extension import page_docname
from .numbers import anchor, paragraph_label


class para_reference(nodes.Inline, nodes.Element):  # noqa: N801
    """A ``{para}`` reference, waiting for every page to be read."""


class ParaRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        page, _, label = self.text.strip().rpartition(":")
        node = para_reference(self.rawtext, page=page, label=label)
        self.set_source_info(node)
        return [node], []


class ResolveParagraphReferences(SphinxPostTransform):
    default_priority = 10  # before the writers' own post-transforms, like Sphinx's reference resolution

    def run(self, **kwargs) -> None:
        domain = book_domain(self.env)
        for reference in list(self.document.findall(para_reference)):
            docname = page_docname(self.env, reference["page"])
            number = domain.paragraph_number(docname, reference["label"])
            if number is None:
                choices = [f"{page.rpartition('/')[2]}:{label}" for page, label in domain.paragraph_labels()]
                target = f"{reference['page']}:{reference['label']}"
                warn(
                    StudybookWarning.PARA,
                    f"no numbered paragraph has the label '{target}'"
                    f"{did_you_mean(target, choices)}: put ({reference['label']})= on the line before the "
                    f"paragraph in {reference['page']}.md",
                    reference,
                )
                reference.replace_self(nodes.Text(target))
                continue
            text = nodes.inline("", paragraph_label(self.env, docname, number), classes=["para-ref"])
            link = make_refnode(self.app.builder, self.env.docname, docname, anchor(number), text)
            reference.replace_self(link)
