"""The whole book, built strictly from clean: pages, links, offline, reproducible sources, search."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urlparse

import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, SOURCES_BEFORE_BUILD, source_digest

LOAD_ATTRIBUTES = {"script": "src", "img": "src", "link": "href", "iframe": "src", "source": "src", "video": "src"}


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_every_toc_entry_has_a_page(html_build):
    for entry in toc_files():
        assert (html_build / f"{entry}.html").is_file(), entry


def test_index_page_is_linked_from_the_navigation(pages):
    for name, soup in pages.items():
        if name.startswith("chapters/"):
            assert soup.select_one(".studybook-index-link a[href$='genindex.html']"), name


def test_internal_links_and_anchors_resolve(html_build, pages):
    ids = {name: {tag["id"] for tag in soup.find_all(id=True)} for name, soup in pages.items()}
    broken = []
    for name, soup in pages.items():
        for link in soup.find_all("a", href=True):
            url = urlparse(link["href"])
            if url.scheme or link["href"].startswith("mailto:"):
                continue
            target = (html_build / name).parent / unquote(url.path) if url.path else html_build / name
            target_name = str(target.resolve().relative_to(html_build.resolve())) if url.path else name
            if not target.exists():
                broken.append(f"{name}: {link['href']}")
            elif url.fragment and target_name in ids and url.fragment not in ids[target_name]:
                broken.append(f"{name}: {link['href']} (no #{url.fragment})")
    assert not broken, "\n".join(broken[:20])


def test_no_page_loads_anything_from_another_host(pages, html_build):
    remote = []
    for name, soup in pages.items():
        for tag, attribute in LOAD_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                value = element.get(attribute, "")
                if tag == "link" and "stylesheet" not in element.get("rel", []) and "preload" not in element.get("rel", []):
                    continue
                if re.match(r"(https?:)?//", value):
                    remote.append(f"{name}: <{tag} {attribute}={value}>")
    for path in list(html_build.rglob("*.js")) + list(html_build.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"""(?:url\(|import\s*\(?|src\s*=\s*)["']?(https?://[^"')\s]+)""", text):
            remote.append(f"{path.relative_to(html_build)}: {url}")
    assert not remote, "\n".join(remote[:20])


def test_a_build_leaves_the_sources_untouched(html_build):
    assert SOURCES_BEFORE_BUILD and source_digest() == SOURCES_BEFORE_BUILD


def test_search_index_finds_key_terms(html_build):
    text = (html_build / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for word in ("perman", "stage", "kuomintang", "anglo", "trotski", "shanghai", "saxoni"):
        assert word in index["terms"], word


def test_a_failing_build_stays_failing_on_rebuild(tiny_book):
    tiny_book.page("broken", "# Broken\n\nA link to {doc}`nowhere`.\n")
    first = tiny_book.build()
    assert first.returncode != 0
    again = tiny_book.build()
    assert again.returncode != 0, "an unchanged rebuild after a failure must fail too"
    assert "nowhere" in again.stdout + again.stderr


def test_rebuilds_keep_the_whos_who_and_previews_current(tiny_book):
    """Incremental builds (as in `make serve`) write the Who's who again only when a mention changes,
    and keep the previews of pages they do not write."""

    def people_page() -> tuple[str, str]:
        html = tiny_book.folder / "_build" / "html"
        appears = BeautifulSoup((html / "chapters" / "people.html").read_text(), "html.parser").select_one(
            "dt#person-trotsky + dd p.appears-in"
        )
        return (appears.get_text() if appears else "", (html / "_static" / "studybook" / "preview-texts.js").read_text())

    tiny_book.page("people", "# Who's who\n\n:::{people}\n:::\n")
    tiny_book.page("story", "# The story\n\nNo names yet.\n")
    assert tiny_book.build().returncode == 0
    appears, previews = people_page()
    assert "The story" not in appears and "chapters/people.html#person-trotsky" in previews

    tiny_book.page("story", "# The story\n\nEnter {person}`trotsky`.\n")
    assert tiny_book.build().returncode == 0
    appears, previews_after_mention = people_page()
    assert "The story" in appears and previews_after_mention == previews

    people_html = tiny_book.folder / "_build" / "html" / "chapters" / "people.html"
    written = people_html.stat().st_mtime_ns
    tiny_book.page("story", "# The story\n\nEnter {person}`trotsky`, and a sentence more.\n")
    assert tiny_book.build().returncode == 0
    assert people_page() == (appears, previews)
    assert people_html.stat().st_mtime_ns == written, "no mention changed: the Who's who need not be written"
