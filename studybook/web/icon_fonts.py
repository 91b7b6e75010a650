"""The theme's Font Awesome webfonts cut down to the icons the book shows (HTML only).

pydata-sphinx-theme ships the whole Font Awesome 6 set (solid 156 KB and brands 118 KB as
WOFF2), and a page downloads a whole font as soon as it shows one icon from it: half of a
text page's weight. When a build ends, each font is subset with fontTools to the icons in
use: those of the ``fa-*`` classes in the written pages and the theme's scripts, plus every
icon that the stylesheets draw themselves (admonition and sidebar icons). The fonts are cut
from the theme's own copies, so an incremental build that adds an icon gets it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pydata_sphinx_theme
from fontTools import subset
from sphinx.application import Sphinx
from sphinx.util import logging

from ..compat import THEME_STATIC
from .assets import note_rewritten

LOGGER = logging.getLogger(__name__)
WEBFONTS = Path("vendor") / "fontawesome" / "webfonts"
ICON_RULE = re.compile(r'((?:\.fa-[\w-]+:{1,2}before,?)+)\{content:"\\([0-9a-f]+)"\}')  # .fa-x:before{content:"\f002"}
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
ESCAPED_CHARACTER = re.compile(r'"\\([0-9a-f]{4})"')
PRIVATE_USE = range(0xE000, 0xF900)  # where Font Awesome puts its icons


def used_icons(static: Path, pages: list[Path]) -> set[int]:
    css = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in static.rglob("*.css"))
    icon_of_class = {}
    for selectors, code in ICON_RULE.findall(css):
        for name in re.findall(r"\.(fa-[\w-]+):", selectors):
            icon_of_class[name] = int(code, 16)
    drawn_by_css = ICON_RULE.sub("", css)
    codepoints = {int(code, 16) for code in ESCAPED_CHARACTER.findall(drawn_by_css)}
    codepoints |= {ord(character) for character in set(drawn_by_css)}
    scripts = [path for folder in ("scripts", "studybook") for path in (static / folder).glob("*.js")]
    classes = set()
    for path in pages + scripts:
        classes |= set(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    codepoints |= {icon_of_class[name] for name in classes if name in icon_of_class}
    return {code for code in codepoints if code in PRIVATE_USE}


def subset_icon_fonts(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html" or app.builder.name == "epub":  # the EPUB theme has no icons
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    pages = [path for path in outdir.rglob("*.html") if static not in path.parents]
    icons = used_icons(static, pages)
    # Sphinx copies the whole fonts again at every build; the cut fonts are kept for the next one
    # (in the doctree folder), so a live-preview rebuild skips fontTools (about 0.2 s).
    key = repr((pydata_sphinx_theme.__version__, sorted(icons))).encode()
    cache = Path(app.doctreedir) / "icon-fonts" / hashlib.sha256(key).hexdigest()[:16]
    cache.mkdir(parents=True, exist_ok=True)
    for source in sorted((THEME_STATIC / WEBFONTS).glob("*")):
        if source.suffix not in {".woff2", ".ttf"}:
            continue
        cut = cache / source.name
        if not cut.exists():
            options = subset.Options(flavor="woff2" if source.suffix == ".woff2" else None, ignore_missing_unicodes=True)
            font = subset.load_font(str(source), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=icons)
            subsetter.subset(font)
            subset.save_font(font, str(cut), options)
        shutil.copyfile(cut, static / WEBFONTS / source.name)
        note_rewritten(app, static / WEBFONTS / source.name)
    LOGGER.info(f"icon fonts: subset to the {len(icons)} icons in use")


def setup_fonts(app: Sphinx) -> None:
    app.connect("build-finished", subset_icon_fonts)
