"""The book's data tables (``data/*.csv`` and ``data/references.bib``).

``load`` reads and validates them without Sphinx (the build and ``studybook.commands.check`` both
call it); ``extension`` loads them once per build into the Sphinx environment.
"""
