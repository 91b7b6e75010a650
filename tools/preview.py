"""A live preview (``python -m studybook.commands.serve``) of a copy of the book, for the benchmark and the tests."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from studybook.commands.serve import STATUS_FILE
from tools.bench import Book

PR_SET_PDEATHSIG = 1  # prctl(2)
# The harness's own paragraph, added at the end of these pages of its copy: the tests edit it, so
# that they do not depend on a sentence an editor may rewrite.
MARKER = "This paragraph belongs to the preview harness."  # no quote marks: the book makes them curly
MARKED_PAGES = ("chapters/germany-1923.md", "chapters/britain-1926.md")


def end_with_parent() -> None:
    """Runs in the server's process before it starts: it ends when the tests end, even if they are killed."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """Copies the book into ``folder``, serves it and tells when a rebuild has finished."""

    def __init__(self, folder: Path):
        self.book = Book.copy(folder / "book").folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.html = self.book / "_build" / "preview" / "html"
        self.log = folder / "serve.log"  # outside the book, where writing it triggers no rebuild
        for page in MARKED_PAGES:
            path = self.book / page
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{MARKER}\n", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "studybook.commands.serve", "--port", str(self.port)],
            cwd=self.book,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=end_with_parent,
        )
        try:
            self.wait_for_build(after=None, timeout=900)
        except BaseException:
            self.stop()  # nobody else holds the server yet
            raise

    def status(self) -> dict | None:
        """What the server wrote after its last build for the page's banner: its id (``build``), whether it
        ``failed`` and its ``problems``; None before the first build ends."""
        try:
            return json.loads((self.html / STATUS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # not written yet, or being written
            return None

    def build_id(self) -> int | None:
        status = self.status()
        return status["build"] if status else None

    def wait_for_build(self, after: int | None, timeout: float = 300, failing: bool = False) -> dict:
        """Until a build other than ``after`` (an id from ``edit``) has finished and the server answers;
        returns its status. The build must succeed, unless ``failing``."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.status()
            if status and status["build"] != after and self.answers():
                assert failing or not status["failed"], "the preview's build failed:\n" + self.output()[-3000:]
                return status
            assert self.process.poll() is None, self.output()[-3000:]
            assert time.monotonic() < deadline, f"no build within {timeout} s:\n" + self.output()[-3000:]
            time.sleep(0.05)

    def output(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text(errors="replace")

    def answers(self) -> bool:
        try:
            urllib.request.urlopen(self.url, timeout=10).close()
        except OSError:
            return False
        return True

    def edit(self, relative: str, old: str, new: str) -> int | None:
        """Replace text in a source file; returns the id of the last build before the edit."""
        before = self.build_id()
        path = self.book / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return before

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)  # the server and the build it may be running
        self.process.wait(timeout=60)
