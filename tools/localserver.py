"""Serve a built book on 127.0.0.1, gzipped as a web host would, for browser tests and Lighthouse.

Starlette's static files and gzip middleware under uvicorn (both already pinned for
sphinx-autobuild), in a background thread, on a free port::

    with serve(Path("_build/html")) as url:
        ...  # url is "http://127.0.0.1:<port>/"
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles


@contextmanager
def serve(folder: Path, start_timeout: float = 10.0) -> Iterator[str]:
    app = Starlette(
        routes=[Mount("/", StaticFiles(directory=folder, html=True))], middleware=[Middleware(GZipMiddleware, minimum_size=500)]
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the local server for {folder} did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=start_timeout)
