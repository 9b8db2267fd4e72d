"""A python-build-standalone mirror on 127.0.0.1 with a request log and scriptable faults.

Files are served under `/<anything>` from a dict of URL paths; faults apply to the first N requests of
a path: `stall` (send part of the body, then nothing until the server stops), `cut` (send part, then
close the connection), `gate` (hold the body until an event is set), `endless` (no Content-Length and
zeros until the client hangs up), `oversize` (a Content-Length of 2 GiB, then nothing). Shared by tests
and bench.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal


@dataclass
class Fault:
    kind: Literal["stall", "cut", "gate", "endless", "oversize"]
    after: int = 0
    """Bytes of the body sent before the fault."""
    times: int = 1
    """How many requests (the first ones) it applies to."""
    gate: threading.Event = field(default_factory=threading.Event)


class Mirror:
    def __init__(self) -> None:
        self.files: dict[str, Path | bytes] = {}
        self.faults: dict[str, Fault] = {}
        self.log: list[str] = []
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                mirror._serve(self)

            def do_HEAD(self) -> None:
                mirror._serve(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def requests_for(self, path: str) -> int:
        with self._changed:
            return self.log.count(path)

    def wait_for(self, path: str, count: int = 1, timeout: float = 30.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.log.count(path) >= count, timeout):
                raise AssertionError(f"{path} was requested {self.log.count(path)} times, not {count}")

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        """GET serves the file; HEAD only its headers, logged as `HEAD <path>`."""
        head = handler.command == "HEAD"
        path = f"HEAD {handler.path}" if head else handler.path
        with self._changed:
            self.log.append(path)
            number = self.log.count(path)
            self._changed.notify_all()
        body = self.files.get(handler.path)
        if body is None:
            handler.send_error(404)
            return
        data = body
        fault = self.faults.get(path)
        if not head and fault is not None and fault.kind in ("endless", "oversize") and number <= fault.times:
            self._hostile(handler, fault)
            return
        size = len(data) if isinstance(data, bytes) else data.stat().st_size
        handler.send_response(200)
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        if head:
            return
        if fault is not None and number <= fault.times:
            self._faulty(handler, data, fault)
        elif isinstance(data, bytes):
            handler.wfile.write(data)
        else:
            with data.open("rb") as f:
                handler.connection.sendfile(f)

    def _hostile(self, handler: BaseHTTPRequestHandler, fault: Fault) -> None:
        handler.send_response(200)
        if fault.kind == "oversize":
            handler.send_header("Content-Length", str(2 * 2**30))
        handler.end_headers()
        handler.close_connection = True
        if fault.kind == "oversize":
            self._stopping.wait()
            return
        zeros = bytes(1 << 20)
        try:
            while not self._stopping.is_set():
                handler.wfile.write(zeros)
        except OSError:  # the client hung up, as it should
            pass

    def _faulty(self, handler: BaseHTTPRequestHandler, data: Path | bytes, fault: Fault) -> None:
        content = data if isinstance(data, bytes) else data.read_bytes()
        if fault.kind == "gate":
            fault.gate.wait(30)
            handler.wfile.write(content)
            return
        handler.wfile.write(content[: fault.after])
        handler.wfile.flush()
        if fault.kind == "stall":
            self._stopping.wait()
        handler.close_connection = True

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self._stopping.set()
        for fault in self.faults.values():
            fault.gate.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running_mirror() -> Iterator[Mirror]:
    mirror = Mirror()
    mirror.start()
    try:
        yield mirror
    finally:
        mirror.stop()
