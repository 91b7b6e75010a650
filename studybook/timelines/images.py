"""Static timeline images (SVG for the web preview, PDF for print), exported by kaleido.

All figures of a build share one headless Chromium (kaleido's sync server, started on
the first cache miss and stopped when the build ends). Each image is cached under
``<build>/timeline-images/`` by a hash of the figure, so an unchanged figure is never
exported again.
"""

from __future__ import annotations

import hashlib
import json
import logging as std_logging
import re
import time
from pathlib import Path

import kaleido
import plotly
import plotly.graph_objects as go
from sphinx.application import Sphinx
from sphinx.util import logging

from ..state import build_run

LOGGER = logging.getLogger(__name__)
# kaleido and its browser driver log every step at INFO, which drowns the build's own output.
for noisy in ("kaleido", "choreographer"):
    std_logging.getLogger(noisy).setLevel(std_logging.WARNING)
PLOTLY_UID = re.compile(rb'id="defs-([0-9a-f]{6})"')  # plotly.js names a chart's clip paths after it
# px. The web preview fills the page column; the print figure fills the 12.4 cm text column,
# where the figure's 14 px labels come out at about 8.8 pt.
EXPORT_WIDTH = {"svg": 700, "pdf": 560}
# Chromium embeds TrueType fonts as such but turns OpenType/CFF ones (the TeX Gyre fonts) into Type 3.
PRINT_FONT = "DejaVu Sans Condensed, DejaVu Sans, sans-serif"
FORMAT_FOR_BUILDER = {"latex": "pdf"}  # every other builder gets SVG
CACHE_VERSION = 2  # bump when the export itself changes, so cached images are made again
# Plotly leaves placeholder <path/> elements without a "d"; SVG requires it (EPUB checkers refuse them).
EMPTY_PATH = re.compile(rb"<path(?![^>]*\sd=)[^>]*/>")


class ImageExporter:
    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self.running = False

    def image_for(self, figure: go.Figure, fmt: str) -> Path:
        if fmt == "pdf":
            figure = go.Figure(figure).update_layout(font_family=PRINT_FONT)
        spec = figure.to_plotly_json()
        key = json.dumps([spec, fmt, EXPORT_WIDTH[fmt], plotly.__version__, CACHE_VERSION], sort_keys=True, default=str)
        digest = hashlib.sha256(key.encode()).hexdigest()
        path = self.cache_dir / f"timeline-{digest[:16]}.{fmt}"
        if not path.exists():
            started = time.perf_counter()
            if not self.running:
                kaleido.start_sync_server(silence_warnings=True)
                self.running = True
            opts = {"format": fmt, "width": EXPORT_WIDTH[fmt], "height": figure.layout.height}
            data = kaleido.calc_fig_sync(figure, opts=opts)
            if fmt == "svg":
                data = stable_ids(EMPTY_PATH.sub(b"", data), digest[:6])
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            # One line per image: the processes that read pages in parallel each export some (the benchmark adds them up).
            LOGGER.info(f"timeline images: exported 1 in {time.perf_counter() - started:.1f} s ({path.name})")
        return path

    def close(self, app: Sphinx, exception: Exception | None) -> None:
        if self.running:
            kaleido.stop_sync_server(silence_warnings=True)
            self.running = False


def stable_ids(svg: bytes, uid: str) -> bytes:
    """plotly.js names each chart's clip paths, patterns and traces after random strings; use the
    figure's hash and numbers instead, so that two builds of the same book give the same file."""
    found = PLOTLY_UID.search(svg)
    if not found:
        return svg
    svg = svg.replace(found.group(1), uid.encode())
    numbers: dict[bytes, int] = {}

    def number(pattern: re.Match) -> bytes:
        return pattern.group(1) + str(numbers.setdefault(pattern.group(2), len(numbers))).encode()

    return re.sub(rb"(p%s-(?:legend-)?|\btrace)([0-9a-f]{6})\b" % uid.encode(), number, svg)


def exporter(app: Sphinx) -> ImageExporter:
    run = build_run(app)
    if run.exporter is None:
        run.exporter = ImageExporter(Path(app.outdir).parent / "timeline-images")  # _build/: shared by every builder
        app.connect("build-finished", run.exporter.close)
    return run.exporter


def image_format(app: Sphinx) -> str:
    return FORMAT_FOR_BUILDER.get(app.builder.format, "svg")
