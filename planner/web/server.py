"""The app served by uvicorn on a thread, for the browser test and the benchmark: a real
server on a free port of this machine, stopped when the ``with`` block ends."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import uvicorn

from planner.web.app import Site, create_app

START_TIMEOUT_S = 30.0


@contextlib.contextmanager
def serving(site: Site, host: str = "127.0.0.1") -> Iterator[str]:
    """``site`` served on ``host`` at a free port; the base URL (``http://host:port``)."""
    config = uvicorn.Config(create_app(site), host=host, port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="planner-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT_S)
