"""Export timeline images: the export process (``python -m studybook.timelines.export``) and the
build's handle on it (``ImageExporter``).

The process starts Chromium at once, then reads one line: the path of a file of images to export,
or nothing (there is nothing to export after all). Each line of that file is one image (JSON:
``path``, ``figure`` as Plotly JSON, ``format``, ``width``, ``height``, ``uid``, a short hash of
the figure). One headless Chromium (kaleido) draws them, one at a time: a second tab would load
plotly.js again, 1.5 s more on two cores. Each image is written under a temporary name and then
renamed, so a build that stops half-way never leaves half an image in the cache. One line per
image goes to stdout.

This module imports nothing heavy at the top (kaleido only in the process, Plotly not at all), so
that the build command can start the process before Sphinx (``export_started_early``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ExtensionError
from sphinx.util import logging as sphinx_logging

if TYPE_CHECKING:
    import kaleido

LOGGER = sphinx_logging.getLogger(__name__)
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
CACHE = "timeline-images"  # under _build/, beside each builder's output folder
# By the builder's output format, which for Sphinx's LaTeX builder is also its name.
FORMAT_FOR_BUILDER = {"latex": "pdf"}  # every other builder gets SVG
# kaleido and its browser driver log every step at INFO, which drowns the build's own output.
for noisy in ("kaleido", "choreographer"):
    logging.getLogger(noisy).setLevel(logging.WARNING)
PLOTLY_UID = re.compile(rb'id="defs-([0-9a-f]{6})"')  # plotly.js names a chart's clip paths after it
# Plotly leaves placeholder <path/> elements without a "d"; SVG requires it (EPUB checkers refuse them).
EMPTY_PATH = re.compile(rb"<path(?![^>]*\sd=)[^>]*/>")


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


async def export_one(browser: kaleido.Kaleido, job: dict) -> None:
    started = time.perf_counter()
    options = {"format": job["format"], "width": job["width"], "height": job["height"]}
    data = await browser.calc_fig(json.loads(job["figure"]), opts=options)
    if job["format"] == "svg":
        data = stable_ids(EMPTY_PATH.sub(b"", data), job["uid"])
    path = Path(job["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    print(f"timeline images: exported 1 in {time.perf_counter() - started:.1f} s ({path.name})", flush=True)


async def export_all() -> None:
    import kaleido  # only this process needs it (the build's side imports this module too)

    async with kaleido.Kaleido(n=1) as browser:
        jobs_file = (await asyncio.to_thread(sys.stdin.readline)).strip()
        if jobs_file:
            for line in Path(jobs_file).read_text(encoding="utf-8").splitlines():
                await export_one(browser, json.loads(line))


# --- the build's side -----------------------------------------------------------------------------


class ImageExporter:
    """The export process of one build: started, told what to export, waited for."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            cwd=PACKAGE_ROOT,  # where `studybook` imports from, whichever folder the book is in
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.jobs_file: Path | None = None

    def send(self, jobs: dict[str, dict]) -> None:
        """The images to export, in a file (the figures would overfill a pipe); none lets the process end."""
        assert self.process.stdin is not None  # stdin=PIPE
        if jobs:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".jsonl", delete=False) as lines:
                lines.writelines(json.dumps({"path": path, **job}) + "\n" for path, job in sorted(jobs.items()))
            self.jobs_file = Path(lines.name)
        self.process.stdin.write(f"{self.jobs_file or ''}\n")
        self.process.stdin.flush()

    def wait(self) -> None:
        """Until every image sent is written; an export that failed stops the build."""
        if self.process.returncode is None:
            errors = self._end()
            if self.process.returncode:
                raise ExtensionError(f"the timeline images could not be exported:\n{errors}")

    def stop(self) -> None:
        """When the build ended early: the images are not needed, and the build's own error says why."""
        if self.process.returncode is None:
            self.process.kill()
            self._end()

    def _end(self) -> str:
        """Collect the ended process: its lines go to the build's log; returns what it said went wrong."""
        output, errors = self.process.communicate()
        if self.jobs_file:
            self.jobs_file.unlink(missing_ok=True)
        for line in output.splitlines():  # one per image (the benchmark adds them up)
            LOGGER.info(line)
        return errors.strip()


# An export the build command started before Sphinx, for the build to take (``take_or_start``).
_STARTED_EARLY: list[ImageExporter] = []


def first_export_due(build_dir: Path, fmt: str, sources: Iterable[Path]) -> bool:
    """No image of this format in the cache yet, and a page to read with a timeline: the export will
    have work, and its Chromium (2–3 s to start) is best started now."""
    if any((build_dir / CACHE).glob(f"*.{fmt}")):
        return False
    return any(b"{timeline}" in source.read_bytes() for source in sources if source.is_file())


@contextlib.contextmanager
def export_started_early(book: Path, build_dir: Path, builder: str) -> Iterator[ImageExporter | None]:
    """On a first build of a book with timelines, start the export before Sphinx does.

    Sphinx's own start-up (importing Sphinx, Jupyter Book and the extensions, about 2 s) keeps one
    core busy; Chromium starts on the other then, not while the pages are read (a cold web build
    on two cores: 10.0 s → 9.5 s). The build takes the process where it would have started one
    (``take_or_start``); if Sphinx stops before that, the process is stopped here. Gives the process,
    or None when none was started."""
    fmt = FORMAT_FOR_BUILDER.get(builder, "svg")
    exporter = ImageExporter() if first_export_due(build_dir, fmt, _toc_sources(book)) else None
    if exporter:
        _STARTED_EARLY.append(exporter)
    try:
        yield exporter
    finally:
        if exporter in _STARTED_EARLY:
            _STARTED_EARLY.remove(exporter)
            exporter.stop()


def take_or_start() -> ImageExporter:
    """The export that the build command started early, or a new one."""
    return _STARTED_EARLY.pop() if _STARTED_EARLY else ImageExporter()


def _toc_sources(book: Path) -> list[Path]:
    """The pages of _toc.yml, as files; none when it cannot be read (Sphinx will say why)."""
    from ..tables.load import toc_pages  # not at the top: the build command imports this module before Sphinx

    try:
        return [book / f"{page.removesuffix('.md')}.md" for page in toc_pages(book)]
    except Exception:  # a broken _toc.yml is Sphinx's to report; the export can start later
        return []


if __name__ == "__main__":
    asyncio.run(export_all())
