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

import sys
from pathlib import Path
from typing import Any

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
from lspclient import Client

NAME = "startup"
LARGE = ROOT / "bench" / "fixtures" / "large"
HELPER = [sys.executable, "-s", "-m", "pyhelper", "serve"]
BARE = [
    sys.executable,
    "-s",
    "-c",
    "from pygls.lsp.server import LanguageServer; LanguageServer('bare', '0').start_io()",
]


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
