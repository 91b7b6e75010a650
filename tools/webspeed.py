"""Lighthouse scores and bytes transferred for pages of the built web book (median of runs).

``python -m tools.webspeed [_build/html] [--runs 3]`` serves the book gzipped on 127.0.0.1
(localserver.py) and, for each page, runs Lighthouse (npm, mobile: simulated 4G and a 4x
slower CPU) against Debian's Chromium, then measures in Chromium (Playwright) what a first
visit transfers, and on figure pages what it transfers once every chart is activated.
Targets: performance >= 90; a text page <= 300 KB, a figure page <= 800 KB with its charts live.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.localserver import serve

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {  # what each page stands for -> its path in the build
    "home page": "chapters/index.html",
    "text page": "chapters/reading-the-chapter.html",
    "figure page": "chapters/germany-1923.html",
    "largest figure page": "chapters/chronology.html",
}


def lighthouse(url: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
        result = json.loads(report.read_text())
    audits = result["audits"]
    return {
        "score": round(result["categories"]["performance"]["score"] * 100),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lighthouse_kb": audits["total-byte-weight"]["numericValue"] / 1000,
        # Lighthouse's CPU benchmark of this machine during the run: the 4x slowdown is calibrated
        # for about 1000-2000; a busy 2-core machine scores lower and the simulated phone gets slower.
        "benchmark_index": result["environment"]["benchmarkIndex"],
    }


def transferred(browser, url: str) -> tuple[float, float | None]:
    """KB on the wire for a first visit, and (figure pages) once every chart is activated."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    total = [0]
    cdp.on("Network.loadingFinished", lambda event: total.__setitem__(0, total[0] + event["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    first_view = total[0] / 1000
    buttons = page.locator("button.timeline-activate")
    if not buttons.count():
        context.close()
        return first_view, None
    for button in buttons.all():
        button.click()
        button.wait_for(state="detached")  # the chart has replaced it
    page.wait_for_load_state("networkidle")
    activated = total[0] / 1000
    context.close()
    return first_view, activated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html", type=Path, nargs="?", default=ROOT / "_build" / "html", help="the built web book")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        parser.error(f"{LIGHTHOUSE} is missing: run `npm ci` (make webspeed does)")
    rows = []
    with serve(args.html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, path in PAGES.items():
            runs = [lighthouse(base + path) for _ in range(args.runs)]
            sizes = [transferred(browser, base + path) for _ in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            activated = [size[1] for size in sizes if size[1] is not None]
            rows.append(
                (
                    label,
                    path,
                    median,
                    [run["score"] for run in runs],
                    statistics.median(size[0] for size in sizes),
                    statistics.median(activated) if activated else None,
                )
            )
        browser.close()
    print(
        f"{'page':<20} {'path':<36} {'score':>5} {'(runs)':<12} {'LCP ms':>7} {'TBT ms':>7} "
        f"{'LH KB':>6} {'first KB':>8} {'charts KB':>9} {'CPU index':>9}"
    )
    for label, path, median, scores, first_view, activated in rows:
        charts = f"{activated:9.0f}" if activated is not None else f"{'-':>9}"
        print(
            f"{label:<20} {path:<36} {median['score']:5.0f} {scores!s:<12} {median['lcp_ms']:7.0f} "
            f"{median['tbt_ms']:7.0f} {median['lighthouse_kb']:6.0f} {first_view:8.0f} {charts} "
            f"{median['benchmark_index']:9.0f}"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
