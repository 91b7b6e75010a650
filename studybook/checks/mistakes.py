"""Clear messages for the editors' common mistakes: each names the file, the line and what to do.

Stock Sphinx says ``term not in glossary: 'general stike'``; here the same mistake reads
``unknown glossary term 'general stike' (did you mean 'general strike'?): ...``. The checks:

- unclosed or mis-nested fenced blocks (``fences``);
- unknown ``{term}``, ``{doc}``, ``{ref}`` and ``{numref}`` targets (``warn-missing-reference``,
  which replaces the stock warnings), each at the line of the role, not of its paragraph;
- unknown ``{cite}`` keys (replaces ``bibtex.key_not_found``, which cannot suggest a key);
- a label defined twice (before Sphinx's own check, which gives the other page's full path and no remedy);
- images without alt text (Sphinx does not check);
- pages in the pages folder that ``_toc.yml`` leaves out (``only_build_toc_files`` drops them
  silently), and ``_toc.yml`` entries with no file (replaces ``etoc.ref``, which points at the
  root page instead of ``_toc.yml``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxRole

from . import fences
from .catalogue import StudybookWarning, did_you_mean, warn

TOC_FILE = "_toc.yml"
# Stock warnings that the checks below replace with clearer ones. (The std domain warns about a
# {ref} itself, whatever other listeners of warn-missing-reference answer, hence "ref.ref".)
REPLACED_WARNINGS = ["bibtex.key_not_found", "etoc.ref", "ref.ref"]


def warn_missing_reference(app: Sphinx, domain: Domain | None, node: addnodes.pending_xref) -> bool | None:
    """Say what to write instead of an unknown term, page or label; True silences the stock warning."""
    if domain is None or domain.name != "std":
        return None
    env, target, kind = app.env, node["reftarget"], node["reftype"]
    if kind == "term":
        terms = [name for name, _, objtype, *_ in domain.get_objects() if objtype == "term"]
        if not terms:  # the glossary did not load: one message, not one per term
            if not getattr(env, "studybook_terms_skipped", False):
                env.studybook_terms_skipped = True
                warn(
                    StudybookWarning.TERM,
                    f"unknown glossary term '{target}': the book's glossary defines no term, "
                    "so no {term} link was checked: fix the glossary page (an error above may say why)",
                    node,
                )
            return True
        glossary = _glossary_page(domain)
        warn(
            StudybookWarning.TERM,
            f"unknown glossary term '{target}'{did_you_mean(target, terms)}: "
            f"check the spelling, or define the term in {glossary}",
            node,
        )
    elif kind == "doc":
        pages = _pages_folder(env)
        names = [doc.removeprefix(pages) for doc in env.found_docs]  # {doc} is relative to the page
        warn(
            StudybookWarning.DOC,
            f"unknown page '{target}'{did_you_mean(target, names)}: write a file name from {pages} without '.md'",
            node,
        )
    elif kind == "ref" and target in domain.anonlabels:
        warn(
            StudybookWarning.REF,
            f"label '{target}' marks no heading or figure, so there is no title to show: "
            f"move the label above a heading, or give the link a text: {{ref}}`your text <{target}>`",
            node,
        )
    elif kind in ("ref", "numref") and target not in domain.anonlabels:
        labels = set(domain.labels) | set(domain.anonlabels)
        warn(
            StudybookWarning.REF,
            f"unknown label '{target}'{did_you_mean(target, labels)}: a page's label is "
            "its file name, a timeline's is its :name:; check the spelling or add the label",
            node,
        )
    else:
        return None
    return True


def _glossary_page(domain: Domain) -> str:
    """The page that defines the most terms (a page may define one or two of its own)."""
    pages = Counter(docname for _, _, objtype, docname, *_ in domain.get_objects() if objtype == "term")
    return domain.env.doc2path(pages.most_common(1)[0][0], False) if pages else "the glossary page"


def _pages_folder(env: BuildEnvironment) -> str:
    return f"{env.config.studybook_pages_dir}/"


def check_citations(app: Sphinx, env: BuildEnvironment) -> None:
    """Every cited key must be a citation of some {bibliography} (the book's lists them :all:)."""
    cite = env.get_domain("cite")
    known = {citation.key for citation in cite.citations}
    in_bib_file = env.studybook_bib_keys
    if in_bib_file is None:  # the bibliography has an error, reported once when it was loaded
        return
    for ref in cite.citation_refs:
        for key in (target.key for target in ref.targets):
            if key in known:
                continue
            if key in in_bib_file:
                message = f"source '{key}' is in data/references.bib but no {{bibliography}} lists it: add it there"
            else:
                message = (
                    f"unknown source '{key}'{did_you_mean(key, in_bib_file | known)}: check the spelling "
                    "against the keys of data/references.bib, or add the work there if it is new"
                )
            node = env.get_doctree(ref.docname).ids[ref.citation_ref_id]  # only on a mistake: it knows the line
            warn(StudybookWarning.CITE, message, node)


ROLE = re.compile(r"^:(?P<name>[\w:.-]+):`(?P<content>[^\n`]*)")  # how MyST stores a role's source


def role_location(role: SphinxRole) -> tuple[str, int]:
    """(docname, line) of a role, for a warning about it (read from the page only on a mistake)."""
    source = Path(role.env.doc2path(role.env.docname)).read_text(encoding="utf-8").splitlines()
    return role.env.docname, role_line(source, role.lineno, role.rawtext)


def role_line(source_lines: list[str], paragraph_line: int, rawtext: str) -> int:
    """The line of a role in its paragraph: MyST gives every role the line where its paragraph starts."""
    role = ROLE.match(rawtext)
    if not role:
        return paragraph_line
    written = f"{{{role['name']}}}`{role['content']}"  # as the page has it, up to the end of its first line
    for number in range(max(paragraph_line - 1, 1), len(source_lines) + 1):  # MyST's line may count from 0
        if written in source_lines[number - 1]:
            return number
    return paragraph_line


class ExactLines(SphinxTransform):
    """Give each role's node the line of the role, so that a warning about it points there."""

    default_priority = 200

    def apply(self, **kwargs) -> None:
        source_lines = None
        for node in self.document.findall(addnodes.pending_xref):
            if not ROLE.match(node.rawsource or ""):
                continue
            source, line = get_source_line(node)
            if source_lines is None:
                source_lines = Path(self.env.doc2path(self.env.docname)).read_text(encoding="utf-8").splitlines()
            node.source, node.line = source, role_line(source_lines, line or 1, node.rawsource)


class DuplicateLabels(SphinxTransform):
    """Report a label that another page already defines, and keep only the first one.

    Runs just before Sphinx's ``SphinxDomains`` (priority 850) registers the labels.
    """

    default_priority = 840

    def apply(self, **kwargs) -> None:
        labels = self.env.get_domain("std").labels
        for name, explicit in list(self.document.nametypes.items()):
            owner = labels.get(name, (self.env.docname,))[0]
            if not explicit or owner == self.env.docname:
                continue
            node = self.document.ids[self.document.nameids[name]]
            warn(
                StudybookWarning.LABEL,
                f"label '{name}' is already defined in {self.env.doc2path(owner, False)}: "
                "labels must be unique in the book; rename this one",
                node,
            )
            del self.document.nametypes[name]


def check_alt_text(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        if not image.get("alt", "").strip():
            located = image
            while not located.line and located.parent is not None:  # MyST gives the paragraph the line
                located = located.parent
            warn(
                StudybookWarning.ALT,
                f"image '{image['uri']}' has no alt text: say what it shows, as ![what it shows](path) or with :alt: in a figure",
                (app.env.docname, located.line),
            )


def check_table_of_contents(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Pages that _toc.yml leaves out are never built; entries without a file break the navigation."""
    srcdir = Path(env.srcdir)
    pages = _pages_folder(env)
    for path in sorted((srcdir / pages).glob("*.md")):
        docname = path.relative_to(srcdir).with_suffix("").as_posix()
        if docname not in env.found_docs:
            warn(
                StudybookWarning.TOC,
                f"this page is not in {TOC_FILE}, so the book leaves it out: add "
                f"'- file: {docname}' to {TOC_FILE}, or delete the page",
                f"{docname}.md:1",
            )
    toc_lines = (srcdir / TOC_FILE).read_text(encoding="utf-8").splitlines()
    for entry in env.config.external_site_map:
        docname = entry.removesuffix(".md")
        if docname not in env.found_docs:
            line = next(
                (
                    number
                    for number, text in enumerate(toc_lines, 1)
                    if re.search(rf"\b(file|root):\s*['\"]?{re.escape(entry)}\b", text)
                ),
                1,
            )
            warn(
                StudybookWarning.TOC,
                f"there is no page {docname}.md{did_you_mean(docname, env.found_docs, pages)}: "
                "correct the name, or create the page",
                f"{TOC_FILE}:{line}",
            )


def replace_stock_warnings(app: Sphinx, config: Config) -> None:
    config.suppress_warnings = [*config.suppress_warnings, *REPLACED_WARNINGS]


def setup_mistakes(app: Sphinx) -> None:
    fences.setup_fences(app)
    app.connect("config-inited", replace_stock_warnings)
    app.connect("env-before-read-docs", check_table_of_contents)
    app.add_transform(ExactLines)
    app.add_transform(DuplicateLabels)
    app.connect("doctree-read", check_alt_text)
    app.connect("env-updated", check_citations, priority=900)  # after sphinxcontrib-bibtex collects citations
    app.connect("warn-missing-reference", warn_missing_reference, priority=400)  # before the std domain's own
