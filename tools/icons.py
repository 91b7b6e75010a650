"""Render the book's app icons (studybook/web/icons/icon.svg) to the PNGs that phones ask for,
and the EPUB's cover (cover.svg) to the PNG that e-readers and shops show.

``python -m tools.icons`` draws each SVG in Chromium (Playwright) at each size and writes the PNGs
beside it; run it after editing an SVG and commit the PNGs (tests/test_offline.py checks that
they match the SVGs). Chromium, because it is the browser the book is tested in and it draws the
SVG exactly as readers' browsers do; no ImageMagick or SVG library is needed.

A maskable icon (Android crops it to a circle or a squircle) keeps the drawing inside the central
80 % and fills the rest with the icon's background colour.
"""

from __future__ import annotations

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.webspeed import CHROMIUM, CHROMIUM_ARGS

ICONS = Path(__file__).resolve().parent.parent / "studybook" / "web" / "icons"
BACKGROUND = "#7a1f1f"  # the SVGs' own background
# PNG file name -> (its SVG, width and height in pixels, maskable)
PNGS = {
    "icon-192.png": ("icon.svg", 192, 192, False),
    "icon-512.png": ("icon.svg", 512, 512, False),
    "icon-maskable-512.png": ("icon.svg", 512, 512, True),
    "cover.png": ("cover.svg", 1200, 1800, False),
}


def page_html(svg: bytes, maskable: bool) -> str:
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    if maskable:
        return (
            f'<body style="margin:0;background:{BACKGROUND}">'
            f'<img src="{source}" style="display:block;width:80vw;height:80vw;margin:10vw">'
        )
    return f'<body style="margin:0"><img src="{source}" style="display:block;width:100vw;height:100vh">'


def render(browser, svg: bytes, width: int, height: int, maskable: bool) -> bytes:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_content(page_html(svg, maskable))
    page.wait_for_function("document.images[0].complete")
    png = page.screenshot(omit_background=True)
    page.close()
    return png


def render_all(browser) -> dict[str, bytes]:
    return {
        name: render(browser, (ICONS / svg).read_bytes(), width, height, maskable)
        for name, (svg, width, height, maskable) in PNGS.items()
    }


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, png in render_all(browser).items():
            (ICONS / name).write_bytes(png)
            print(f"wrote {ICONS / name} ({len(png)} bytes)")
        browser.close()


if __name__ == "__main__":
    main()
