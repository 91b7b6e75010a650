"""What a build reported: the warning and error lines that Sphinx writes to its warning stream.

The build and the live preview run Sphinx with the stream wrapped in :class:`ProblemLog`, which
passes everything through and keeps the problems. A failed build then ends with a count that tells
errors from warnings (Sphinx counts both as "warnings") and repeats the first problem as its very
last line, so that the cause is where the editor looks, not hundreds of lines above.
"""

from __future__ import annotations

import re
from typing import TextIO

LEVELS = ("WARNING", "ERROR", "SEVERE", "CRITICAL")
PROBLEM = re.compile(rf"^(?P<place>.*?): ?(?P<level>{'|'.join(LEVELS)}): (?P<message>.*)$")
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class ProblemLog:
    """A stand-in for Sphinx's warning stream that writes through and keeps each problem's line."""

    def __init__(self, stream: TextIO, book: str = ""):
        self.stream = stream
        self.book = book.rstrip("/") + "/" if book else ""  # shown paths are relative to the book
        self.problems: list[str] = []
        self._partial = ""

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            plain = COLOUR.sub("", line).replace(self.book, "") if self.book else COLOUR.sub("", line)
            if PROBLEM.match(plain):
                self.problems.append(plain)
        return self.stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)

    def summary(self) -> list[str]:
        """The lines that end a failed build: the count, then the first problem again."""
        if not self.problems:
            return ["The build failed: see the message above."]
        errors = sum(1 for line in self.problems if PROBLEM.match(line)["level"] != "WARNING")
        warnings = len(self.problems) - errors
        counted = " and ".join(
            f"{count} {kind}{'s' if count != 1 else ''}" for count, kind in ((errors, "error"), (warnings, "warning")) if count
        )
        return [f"The build stopped on {counted}; each must be fixed. The first:", self.problems[0]]

    def entries(self) -> list[dict[str, str]]:
        """Each problem as place ("file:line"), level and message, for the preview's banner."""
        return [PROBLEM.match(line).groupdict() for line in self.problems]
