"""Export timeline images: ``python -m studybook.timelines.export``, run by ``images.py``.

It starts Chromium at once, then reads one line: the path of a file of images to export, or
nothing (there is nothing to export after all). Each line of that file is one image (JSON:
``path``, ``figure`` as Plotly JSON, ``format``, ``width``, ``height``, ``uid``, a short hash of
the figure). One headless Chromium (kaleido) draws them, one at a time: a second tab would load
plotly.js again, 1.5 s more on two cores. Each image is written under a temporary name and then
renamed, so a build that stops half-way never leaves half an image in the cache. One line per
image goes to stdout.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import time
from pathlib import Path

import kaleido

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
    async with kaleido.Kaleido(n=1) as browser:
        jobs_file = (await asyncio.to_thread(sys.stdin.readline)).strip()
        if jobs_file:
            for line in Path(jobs_file).read_text(encoding="utf-8").splitlines():
                await export_one(browser, json.loads(line))


if __name__ == "__main__":
    asyncio.run(export_all())
