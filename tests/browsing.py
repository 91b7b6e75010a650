"""What the browser tests share: a page opened in a fresh context with what went wrong while it was
open (``visitor``, behind the ``visit`` fixture of conftest.py), and axe-core's verdict on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, expect

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Visit:
    """A page opened in a fresh browser context, with what went wrong while it was open."""

    page: Page
    book_url: str
    theme: str  # the data-theme a page of the book must show: "light" or "dark"
    path: str = ""  # the page of the book it shows now
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def go(self, path: str) -> Visit:
        """Open another page of the book in the same tab: the context's cache (and service worker, if
        allowed) stay, so a test that reads every page loads the theme's files once."""
        self.path = path
        self.page.goto(self.book_url + path, wait_until="load")
        expect(self.page.locator("html")).to_have_attribute("data-theme", self.theme)
        return self

    def problems(self) -> list[str]:
        return self.console_errors + self.foreign_requests + self.failed_requests


def visitor(browser: Browser, book_url: str):
    """open_page(path, width=1280, dark=False, touch=False, height=800, forced_colors=False, **context_options)
    -> Visit, each page in a context of its own (Playwright's new_context options pass through); every
    request is routed and recorded, and every context is closed at the end. Without a path the tab is
    blank; Visit.go opens a page (or the next one) in the same context."""
    contexts = []
    host = urlparse(book_url).netloc

    def open_page(
        path: str | None = None,
        width: int = 1280,
        dark: bool = False,
        touch: bool = False,
        height: int = 800,
        forced_colors: bool = False,
        **context_options,
    ) -> Visit:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            has_touch=touch,
            is_mobile=touch,
            color_scheme="dark" if dark else "light",
            forced_colors="active" if forced_colors else "none",
            **context_options,
        )
        contexts.append(context)
        page = context.new_page()
        record = Visit(page, book_url, "dark" if dark else "light")

        def route(route, request):
            if urlparse(request.url).netloc == host or request.url.startswith("data:"):
                route.continue_()
            else:
                record.foreign_requests.append(f"{record.path}: request to another host: {request.url}")
                route.abort()

        page.route("**/*", route)
        page.on(
            "console",
            lambda message: (
                message.type == "error" and record.console_errors.append(f"{record.path}: console error: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: record.console_errors.append(f"{record.path}: uncaught: {error}"))
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and record.failed_requests.append(f"{record.path}: HTTP {response.status} {response.url}")
            ),
        )
        return record.go(path) if path else record

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page: Page, exclude: tuple[str, ...] = ()) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now, leaving out ``exclude`` (selectors)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    # resultTypes: the rules that pass keep one example node each, not every node they checked
    # (the violations stay whole): axe runs about twice as fast on the long pages.
    result = page.evaluate(
        """([tags, exclude]) => axe.run(
          {exclude: exclude.map(s => [s])}, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [WCAG_21_A_AA, list(exclude)],
    )
    return [f"{v['id']} ({v['impact']}): {node['target']}" for v in result["violations"] for node in v["nodes"]]
