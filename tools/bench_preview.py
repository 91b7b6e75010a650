"""How long a prose edit takes to reach the open browser in `make serve` (`make bench` runs it).

``python -m tools.bench_preview`` copies the book, starts the preview, opens a page in Chromium,
then saves five edits to that page, each to the harness's own paragraph (``tools.preview.MARKER``), never
to a sentence of the book. Each is timed from the save to the reloaded page's DOMContentLoaded,
and the page must then show the new sentence.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tools.preview import MARKER, Preview
from tools.webspeed import CHROMIUM, CHROMIUM_ARGS

EDITS = 5
PAGE = "germany-1923"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        preview = Preview(Path(folder))
        print(f"first build of the preview: {time.perf_counter() - started:.1f} s")
        seconds = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"{preview.url}/chapters/{PAGE}.html")
                previous = MARKER
                for number in range(1, EDITS + 1):
                    sentence = f"{MARKER} (benchmark edit {number})"
                    saved = time.perf_counter()
                    # Timed to the reloaded page's DOMContentLoaded: expect() alone polls at up to 1 s
                    # intervals, which would add its own delay to the figure.
                    with page.expect_navigation(wait_until="domcontentloaded", timeout=300_000):
                        preview.edit(f"chapters/{PAGE}.md", previous, sentence)
                    shown = time.perf_counter() - saved
                    expect(page.get_by_text(f"(benchmark edit {number})")).to_be_visible(timeout=1)
                    seconds.append(shown)
                    previous = sentence
                    time.sleep(1)
                browser.close()
        finally:
            preview.stop()
    print(
        f"prose edit to browser, {EDITS} edits: median {statistics.median(seconds):.2f} s, "
        f"min {min(seconds):.2f} s, max {max(seconds):.2f} s"
    )


if __name__ == "__main__":
    main()
