"""Every warning the book's extension gives, in one table (the model is myst-nb's ``MystNBWarnings``).

Each warning is printed as ``file:line: WARNING: message [studybook.<subtype>]``. CONTRIBUTING.md
copies this table for editors; ``tests/test_contributing.py`` keeps the two in step.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from enum import StrEnum

from sphinx.util import logging

WARNING_TYPE = "studybook"
LOGGER = logging.getLogger("studybook")


class StudybookWarning(StrEnum):
    """The subtypes of the ``studybook`` warning type, each with what it means."""

    def __new__(cls, subtype: str, meaning: str) -> StudybookWarning:
        member = str.__new__(cls, subtype)
        member._value_ = subtype
        member.meaning = meaning
        return member

    DATA = "data", "a row of data/*.csv breaks its schema, or names an unknown page or source"
    PERSON = "person", "{person} names an id that data/people.csv does not have"
    EVENT = "event", "{event} names an id that data/events.csv does not have, or a page marks some of its events but not all"
    TERM = "term", "{term} names a term that the glossary does not define"
    CITE = "cite", "{cite} names a key that data/references.bib does not have"
    DOC = "doc", "{doc} names a page that does not exist"
    REF = "ref", "{ref} or {numref} names a label that no page or figure defines"
    LABEL = "label", "a label is defined twice"
    ALT = "alt", "an image has no alt text"
    TOC = "toc", "a page is missing from _toc.yml, or _toc.yml names a missing page"
    FENCE = "fence", "a fenced block (::: or three backticks) runs into a heading, another block or the end of the page"
    TIMELINE = "timeline", "a {timeline} or {timeline-table} has no caption, or its options select no event"
    PARA = "para", "{para} names a page:label that no numbered paragraph carries"

    @property
    def id(self) -> str:
        """What the build prints in brackets and what ``suppress_warnings`` takes."""
        return f"{WARNING_TYPE}.{self.value}"


def warn(subtype: StudybookWarning, message: str, location) -> None:
    """Report an editor's mistake: every warning of the extension goes through here.

    ``location`` is a node, a (docname, line) pair or a "file:line" string.
    """
    LOGGER.warning(message, type=WARNING_TYPE, subtype=subtype, location=location)


def did_you_mean(word: str, choices: Iterable[str], folder: str = "") -> str:
    """A hint with the closest choice; names are compared without their common folder."""
    names = [choice.removeprefix(folder) for choice in choices]
    close = difflib.get_close_matches(word.removeprefix(folder), names, n=1, cutoff=0.6)
    return f" (did you mean '{folder}{close[0]}'?)" if close else ""
