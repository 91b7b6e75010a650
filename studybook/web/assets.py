"""Web assets: what each page loads, and only what it uses (README.md, Performance, has the measurements).

Every page gets ``studybook.css`` and ``accessibility.js``; content pages get ``previews.js`` (term, person and
source previews, see previews.py); pages with a timeline get ``timeline.js``, which fetches
plotly.js when a reader reaches for the interactive chart. plotly.js is the "basic" bundle
from npm (bar and scatter traces, all the timelines draw: 396 KB gzipped instead of the
1.47 MB of the full bundle that plotly.py ships), copied from ``node_modules/``.

The theme's defaults that the book does not need are trimmed: the templates in
``templates/`` give a lighter head (no Font Awesome script, no search scripts outside the
search page); ``trim_page_assets`` drops thebe (the book runs no code; its config snippet,
injected twice, was a console error on every page), drops the scripts and styles for code,
notebook cells, toggles and sphinx-design from pages that have none, removes duplicate
inline snippets and defers the rest; ``finish_output`` copies our files and removes from
the output the source maps, the unused Font Awesome script and the themes' template macros
(copied as static files).
"""

from __future__ import annotations

import re
import shutil
from fnmatch import fnmatch
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from ..compat import JavaScript
from ..timelines.directive import timeline_chart

ASSETS = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
PLOTLY_JS = Path("node_modules") / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
STATIC = "studybook"  # our folder in the output's _static/
REWRITTEN = "rewritten-static-files.txt"  # in the doctree folder: theme files the build changed after copying

# Scripts and styles of the stock extensions that no page of this book uses.
UNUSED_ASSETS = {"sphinx-thebe.js", "sphinx-thebe.css"}
# Those that only some pages use: file name pattern -> the markup in a page's body that uses it.
CODE = re.compile(r"<pre")  # copy buttons on code blocks
TOGGLES = re.compile(r'class="[^"]*\b(toggle|dropdown)\b')  # togglebutton's '.toggle, .admonition.dropdown'
USED_WHEN = {
    "clipboard.min.js": CODE,
    "copybutton.js": CODE,
    "copybutton.css": CODE,
    "pygments.css": re.compile(r'class="[^"]*\bhighlight'),  # highlighted code
    "mystnb.*.css": re.compile(r'class="[^"]*\bcell\b'),  # notebook cells and outputs
    "togglebutton.js": TOGGLES,
    "togglebutton.css": TOGGLES,
    "sphinx-design.min.css": re.compile(r'class="[^"]*\bsd-'),
    "design-tabs.js": re.compile(r'class="[^"]*\bsd-tab-set\b'),  # sphinx-design tabs
}
# Scripts that must run before inline snippets that use them (DOCUMENTATION_OPTIONS.pagename = ...).
EAGER_SCRIPTS = ("documentation_options.js",)
SOURCE_MAP_COMMENT = re.compile(rb"\n?(//# sourceMappingURL=\S+|/\*# sourceMappingURL=[^*]+\*/)\s*$")


def plotly_js(app: Sphinx) -> Path:
    return Path(app.srcdir) / PLOTLY_JS


def check_node_modules(app: Sphinx) -> None:
    if app.builder.format == "html" and not plotly_js(app).is_file():
        raise ExtensionError(f"{PLOTLY_JS} is missing: run `npm ci` in the book's folder (make book does)")


def add_book_css(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.add_css_file(f"{STATIC}/studybook.css")


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    if app.builder.format != "html":
        return
    # Dialog names and focus, the search page's field and result count, margin notes beside their
    # paragraphs (accessibility.js): about 1 KB gzipped, on every page.
    app.add_js_file(f"{STATIC}/accessibility.js", loading_method="defer")
    if doctree is not None:
        # Terms, people and sources are linked from nearly every page; the script is under 1 KB
        # and loads the preview texts only when a reader first points at or focuses a link.
        app.add_js_file(f"{STATIC}/previews.js", loading_method="defer")
        if next(doctree.findall(timeline_chart), None) is not None:
            app.add_js_file(f"{STATIC}/timeline.js", loading_method="defer")
    trim_page_assets(context, context.get("body", ""), is_search=pagename == "search")


def trim_page_assets(context: dict, page_body: str, is_search: bool) -> None:
    """Edit this page's script and style lists in place (Sphinx restores them after the page)."""
    unused = UNUSED_ASSETS | {name for name, markup in USED_WHEN.items() if not markup.search(page_body)}

    def used(asset) -> bool:
        name = Path(str(asset.filename or "").split("?")[0]).name
        return not any(fnmatch(name, pattern) for pattern in unused)

    def used_snippet(body: str) -> bool:  # the inline settings of thebe and, if unused, togglebutton
        return "THEBE" not in body and ("toggle" not in body or "togglebutton.js" not in unused)

    context["css_files"][:] = [css for css in context["css_files"] if used(css)]
    scripts, seen_snippets = [], set()
    for script in context["script_files"]:
        body = script.attributes.get("body", "")
        if not used(script) or not used_snippet(body) or (body and body in seen_snippets):
            continue
        seen_snippets.add(body)
        if script.filename and not is_search and not script.filename.endswith(EAGER_SCRIPTS):
            attributes = {k: v for k, v in script.attributes.items() if k != "async"}
            script = JavaScript(script.filename, priority=script.priority, **{**attributes, "defer": "defer"})
        scripts.append(script)
    context["script_files"][:] = scripts


def copy_book_assets(app: Sphinx) -> None:
    """Our scripts and styles, in place before any page is written: Sphinx then stamps each link with
    the file's checksum (``?v=…``) in a clean build as in a rebuild, and the two give the same pages.
    Not in the EPUB, which runs no script and has its own styles (epub.py)."""
    if app.builder.format != "html" or app.builder.name == "epub":
        return
    target = Path(app.outdir) / "_static" / STATIC
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js(app), target / "plotly-basic.min.js")
    for asset in ASSETS.iterdir():
        shutil.copyfile(asset, target / asset.name)


def finish_output(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for unused in [*static.glob("scripts/fontawesome.js*"), *static.glob("*webpack-macros.html")]:
        unused.unlink()
    for source_map in static.rglob("*.map"):
        source_map.unlink()
        bundle = source_map.with_suffix("")
        if bundle.is_file():
            bundle.write_bytes(SOURCE_MAP_COMMENT.sub(b"\n", bundle.read_bytes()))
            note_rewritten(app, bundle)


def note_rewritten(app: Sphinx, path: Path) -> None:
    """Remember a theme file that the build changed after Sphinx copied it (see ``forget_rewritten``)."""
    manifest = Path(app.doctreedir) / REWRITTEN
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with manifest.open("a", encoding="utf-8") as listed:
        listed.write(path.relative_to(app.outdir).as_posix() + "\n")


def forget_rewritten(app: Sphinx) -> None:
    """Sphinx says "Copying the source path ... will overwrite data" for every theme file that differs
    from its copy in the output, which the last build's changes (source maps dropped, icon fonts cut)
    made true of a dozen files: remove them first, so that a normal build prints no false alarm."""
    manifest = Path(app.doctreedir) / REWRITTEN
    if manifest.exists():
        for relative in set(manifest.read_text(encoding="utf-8").splitlines()):
            (Path(app.outdir) / relative).unlink(missing_ok=True)
        manifest.unlink()


def add_templates(app: Sphinx, config) -> None:
    # First, so that our overrides win over the themes' component folders. Each folder once: in one
    # process (the tests), the themes append theirs again at every build to a list Jupyter Book shares.
    config.templates_path = list(dict.fromkeys([str(TEMPLATES), *config.templates_path]))


def drop_templates_for_epub(app: Sphinx) -> None:
    """Our templates extend sphinx-book-theme's; the EPUB builder uses Sphinx's own epub theme."""
    if app.builder.name == "epub":
        app.config.templates_path.remove(str(TEMPLATES))
        app.builder.init_templates()


def setup_html(app: Sphinx) -> None:
    app.connect("config-inited", add_templates)
    app.connect("builder-inited", drop_templates_for_epub)
    app.connect("builder-inited", check_node_modules)
    app.connect("builder-inited", copy_book_assets)
    app.connect("builder-inited", add_book_css)
    app.connect("builder-inited", forget_rewritten)
    app.connect("html-page-context", add_page_assets, priority=900)  # after other extensions add theirs
    app.connect("build-finished", finish_output)
