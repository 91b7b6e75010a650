"""The web book: page assets, link previews, accessibility fixes, icon fonts and navigation."""
