"""What the built web pages load: only what the book uses (see studybook/web/: assets.py, icon_fonts.py, link_previews.py)."""

from __future__ import annotations

import json

from fontTools.ttLib import TTFont

from studybook.web.icon_fonts import WEBFONTS


def loaded(soup) -> list[str]:
    return [tag.get("src") or tag.get("href") for tag in soup.select("script[src], link[rel=stylesheet], link[rel=preload]")]


def test_no_page_loads_the_font_awesome_script_thebe_or_source_maps(pages, html_build):
    assert not list(html_build.rglob("*webpack-macros.html"))
    for name, soup in pages.items():
        assets = " ".join(loaded(soup))
        assert "fontawesome.js" not in assets and "thebe" not in assets, name
        assert not [script for script in soup.find_all("script") if "THEBE" in (script.string or "")], name
    assert not list(html_build.rglob("*.map"))
    assert not list((html_build / "_static").rglob("fontawesome.js"))
    for bundle in (html_build / "_static").rglob("*.[jc]s*"):
        assert b"sourceMappingURL" not in bundle.read_bytes(), bundle


def test_search_scripts_only_on_the_search_page(pages):
    for name, soup in pages.items():
        if not soup.find("main"):
            continue
        has_search = any("searchindex.js" in asset for asset in loaded(soup))
        assert has_search == (name == "search.html"), name


def test_inline_snippets_appear_once_and_external_scripts_are_deferred(pages):
    for name, soup in pages.items():
        if not soup.find("main") or name == "search.html":
            continue
        snippets = [script.string for script in soup.head.select("script:not([src])") if script.string]
        assert len(snippets) == len(set(snippets)), name
        eager = [
            script["src"]
            for script in soup.head.select("script[src]")
            if not script.has_attr("defer") and "documentation_options" not in script["src"]
        ]
        assert not eager, (name, eager)


def test_code_toggle_and_design_assets_only_on_pages_that_use_them(pages):
    needs = {  # asset -> what in the article uses it
        "togglebutton.js": ".toggle, .admonition.dropdown",
        "copybutton.js": "pre",
        "pygments.css": "div.highlight",
        "sphinx-design.min.css": "[class*='sd-']",
        "mystnb.": "div.cell",
    }
    for name, soup in pages.items():
        if not soup.find("main"):
            continue
        assets, article = " ".join(loaded(soup)), soup.find("article") or soup.find("main")  # search has no article
        for asset, selector in needs.items():
            assert (asset in assets) == bool(article.select(selector)), (name, asset)


def test_timeline_pages_use_the_basic_plotly_bundle(html_build, pages):
    timeline_pages = [name for name, soup in pages.items() if soup.select("button.timeline-activate")]
    assert timeline_pages
    for name in timeline_pages:
        assert any(asset.split("?")[0].endswith("studybook/timeline.js") for asset in loaded(pages[name])), name
    script = (html_build / "_static/studybook/timeline.js").read_text()
    assert '"plotly-basic.min.js"' in script
    assert (html_build / "_static/studybook/plotly-basic.min.js").stat().st_size < 1_300_000
    assert not (html_build / "_static/studybook/plotly.min.js").exists()


def test_icon_fonts_keep_only_the_icons_in_use(html_build):
    solid = html_build / "_static" / WEBFONTS / "fa-solid-900.woff2"
    assert solid.stat().st_size < 10_000
    icons = set(TTFont(solid).getBestCmap())
    magnifying_glass, bars, arrow_up = 0xF002, 0xF0C9, 0xF062  # search, menu, back to top
    assert {magnifying_glass, bars, arrow_up} <= icons
    assert 0xF1B9 not in icons  # fa-car: not in the book
    brands = set(TTFont(html_build / "_static" / WEBFONTS / "fa-brands-400.woff2").getBestCmap())
    assert 0xF09B in brands  # the repository button's GitHub icon


def test_preview_texts_hold_every_term_person_and_source(html_build, pages):
    text = (html_build / "_static/studybook/preview-texts.js").read_text(encoding="utf-8")
    texts = json.loads(text[text.index("{") : text.rindex("}") + 1])
    glossary, people = pages["chapters/glossary.html"], pages["chapters/people.html"]
    bibliography = pages["chapters/bibliography.html"]
    expected = (
        [f"chapters/glossary.html#{dt['id']}" for dt in glossary.select("dl.glossary > dt[id]")]
        + [f"chapters/people.html#{dt['id']}" for dt in people.select("dl.people > dt[id]")]
        + [f"chapters/bibliography.html#{c['id']}" for c in bibliography.select("div.citation[id]")]
    )
    assert len(expected) > 50 and set(expected) <= set(texts)
    trotsky = texts["chapters/people.html#person-trotsky"]
    assert trotsky["html"].startswith("<p><strong>Leon Trotsky (1879–1940)</strong></p><p>")
    assert "<a" not in trotsky["html"] and "id=" not in trotsky["html"] and "Appears in" not in trotsky["html"]
    # what screen readers hear on focus: one sentence, not the whole entry
    descriptions = [entry["description"] for entry in texts.values()]
    assert all(0 < len(description) <= 400 for description in descriptions), max(descriptions, key=len)
    definition = " ".join(glossary.select_one("dt#term-hyperinflation + dd p").get_text().split())
    assert texts["chapters/glossary.html#term-hyperinflation"]["description"] == definition.split(". ")[0] + "."
