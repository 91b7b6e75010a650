"""A live preview (``python -m studybook.commands.serve``) of a copy of the book, for the benchmark and the tests."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from studybook.commands.serve import FAILED, SERVING
from tools.bench import Book

PR_SET_PDEATHSIG = 1  # prctl(2)


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
        self.process = subprocess.Popen(
            [sys.executable, "-m", "studybook.commands.serve", "--port", str(self.port)],
            cwd=self.book,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=end_with_parent,
        )
        try:
            self.wait_for_builds(1, timeout=900)
        except BaseException:
            self.stop()  # nobody else holds the server yet
            raise

    def builds(self) -> int:
        return self.log.read_text(errors="replace").count(SERVING)

    def wait_for_builds(self, count: int, timeout: float = 300, failing: bool = False) -> str:
        """Until ``count`` builds have finished and the server answers; returns what the last one printed.
        The build must succeed, unless ``failing``."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log.read_text(errors="replace")
            last_build = log.split(SERVING)[count - 1] if log.count(SERVING) >= count - 1 else ""
            assert failing or FAILED not in last_build, "the preview's build failed:\n" + last_build[-3000:]
            if log.count(SERVING) >= count and self.answers():
                return last_build
            assert self.process.poll() is None, log[-3000:]
            assert time.monotonic() < deadline, f"no rebuild within {timeout} s:\n" + log[-3000:]
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            urllib.request.urlopen(self.url, timeout=10).close()
        except OSError:
            return False
        return True

    def edit(self, relative: str, old: str, new: str) -> int:
        """Replace text in a source file; returns the number of builds before the edit."""
        before = self.builds()
        path = self.book / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return before

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)  # the server and the build it may be running
        self.process.wait(timeout=60)
