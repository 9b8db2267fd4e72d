"""Helper start-up: `pyhelper serve` answering `initialize` vs a bare pygls server, side by side.

A tiny LSP client spawns each server over stdio, sends `initialize` at once and times spawn -> response;
the two alternate, medians over the runs (target: the helper within 1.2x of the bare server, which
imports pygls + lsprotocol and does nothing else: that import is the floor). Both run with the same
Python and the same installed libraries. Also the helper's resident memory in a session on the large
benchmark project (bench/fixtures/large: after `initialized`, with its pyproject.toml open and the
project list answered; target < 100 MB), and the bare server's right after `initialize`.

    .dev/venv/bin/python bench/startup.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from harness import (
    ROOT,
    Benchmark,
    Row,
    Size,
    Target,
    interleave,
    median_ms,
    rss_mb,
    samples_ms,
    standalone,
)

NAME = "startup"
LARGE = ROOT / "bench" / "fixtures" / "large"
HELPER = [sys.executable, "-s", "-m", "pyhelper", "serve"]
BARE = [
    sys.executable,
    "-s",
    "-c",
    "from pygls.lsp.server import LanguageServer; LanguageServer('bare', '0').start_io()",
]


class Client:
    """Just enough of an LSP client: numbered requests, and reading until the matching response."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._next_id = 0

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stdin: IO[bytes] | None = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        stdin.flush()

    def _receive(self) -> dict[str, Any]:
        stdout: IO[bytes] | None = self.process.stdout
        assert stdout is not None
        length = None
        while (line := stdout.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length is None:
            raise RuntimeError(f"the server closed its output (exit code {self.process.wait()})")
        message: dict[str, Any] = json.loads(stdout.read(length))
        return message

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        self._send({"id": self._next_id, "method": method, "params": params})
        while True:
            message = self._receive()
            if "method" in message and "id" in message:  # the server asks (e.g. to register watchers)
                self._send({"id": message["id"], "result": None})
            elif message.get("id") == self._next_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.communicate(timeout=30)


def initialize(client: Client, root: Path | None) -> Any:
    return client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri() if root else None,
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}},
        },
    )


def timed_round_trips(repeats: int, warmup: int) -> dict[str, list[float]]:
    """Spawn-to-`initialize`-response seconds; shutting down is not timed (a client reads the answer)."""
    clients: list[Client] = []

    def spawn(command: list[str]) -> None:
        client = Client(command)
        initialize(client, None)
        clients.append(client)

    def close_previous() -> None:
        while clients:
            clients.pop().close()

    times = interleave(
        {"helper": lambda: spawn(HELPER), "bare": lambda: spawn(BARE)},
        repeats,
        warmup=warmup,
        reset=close_previous,
    )
    close_previous()
    return times


def session_rss() -> tuple[float, float, str]:
    """Helper RSS on the large project once it has scanned it and checked its pyproject; bare RSS."""
    helper = Client(HELPER)
    answer = initialize(helper, LARGE)
    helper.notify("initialized", {})
    pyproject = LARGE / "pyproject.toml"
    helper.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": pyproject.as_uri(),
                "languageId": "toml",
                "version": 1,
                "text": pyproject.read_text(encoding="utf-8"),
            }
        },
    )
    helper.request("lockstep/projects", {})
    helper_mb = rss_mb(helper.process.pid)
    helper.close()
    bare = Client(BARE)
    initialize(bare, None)
    bare_mb = rss_mb(bare.process.pid)
    bare.close()
    return helper_mb, bare_mb, answer["serverInfo"]["version"]


def run(size: Size) -> Benchmark:
    repeats = size.pick(full=21, quick=3)
    times = timed_round_trips(repeats, size.warmup)
    helper_mb, bare_mb, version = session_rss()
    return Benchmark(
        name=NAME,
        description="`pyhelper serve` answering `initialize` vs a bare pygls server",
        parameters={
            "repeats": repeats,
            "python": sys.executable,
            "helper_version": version,
        },
        rows=[
            Row(
                "answer `initialize` (spawn → response)",
                "pyhelper serve",
                median_ms(times["helper"]),
                reference="bare pygls server",
                reference_value=median_ms(times["bare"]),
                target=Target(1.2),
            ),
            Row(
                "helper RSS, session on the large project",
                "pyhelper serve",
                helper_mb,
                unit="MB",
                reference="bare pygls server",
                reference_value=bare_mb,
                target=Target(100, on="value", strict=True),
            ),
        ],
        details={"samples_ms": samples_ms(times)},
    )


if __name__ == "__main__":
    standalone(run)
