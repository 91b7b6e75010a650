"""Sphinx settings for the live preview (``make serve``), read again at every rebuild.

Jupyter Book 1 keeps its settings in _config.yml and _toc.yml and builds without a conf.py, but
sphinx-autobuild runs plain sphinx-build. This file gives sphinx-build the settings that
``jupyter-book build`` uses, computed by Jupyter Book's own code, so the preview matches the book
and an edit to _config.yml or _toc.yml shows at the next rebuild.
"""

from pathlib import Path

from studybook.commands.build import JUPYTER_BOOK_OPTIONS
from studybook.compat import jupyter_book_settings

# Sphinx runs this file from its own folder; the book is the folder that holds the studybook package.
BOOK = Path(__file__).resolve().parents[3]

settings, _ = jupyter_book_settings(
    user_yaml=BOOK / "_config.yml",
    sourcedir=BOOK,
    cli_config=dict(JUPYTER_BOOK_OPTIONS),  # Jupyter Book pops keys from it
)
globals().update(settings)

# Sphinx and sphinxcontrib-bibtex read these paths relative to this file's folder, Jupyter Book
# relative to the book.
for name in ("bibtex_bibfiles", "html_static_path", "templates_path"):
    if name in settings:
        globals()[name] = [str(BOOK / path) for path in settings[name]]

# The preview's own page script and style: a banner with the last build's problems (see ../serve.py).
html_static_path = [*globals().get("html_static_path", []), str(Path(__file__).parent / "static")]
html_js_files = [*settings.get("html_js_files", []), ("preview-status.js", {"defer": "defer"})]
html_css_files = [*settings.get("html_css_files", []), "preview-status.css"]
# The live preview is never kept offline: its pages change at every save (studybook/web/offline.py).
studybook_offline = False
