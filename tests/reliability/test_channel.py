"""The helper's JSON-RPC channel under abuse, black box: the real `python -m pyhelper serve` over a pipe.

tests/helper/test_helper_transport.py already proves the error answers for one malformed message of each
kind (no header, not JSON, not UTF-8, not JSON-RPC, short and long Content-Length, a message over the
128 MiB limit). This file adds what needs volume or the process's memory: a long stream of random
bytes, a header line with no end, the oversized message's effect on memory (read from
/proc/PID/status), and a storm of 1,000 didChange notifications on an open pyproject.toml.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from pyhelper.lsp.transport import MAX_MESSAGE_BYTES
from reliability.reliability_support import MB, SETTLE_MB, Channel, memory, start_helper

PARSE_ERROR, INVALID_REQUEST = -32700, -32600
PARSE_ERROR, INVALID_REQUEST = -32700, -32600


@pytest.fixture
async def channel(tmp_path: Path) -> AsyncIterator[Channel]:
    helper = await start_helper(tmp_path)
    try:
        yield helper
    finally:
        await helper.stop()


async def test_a_megabyte_of_random_bytes_gets_errors_and_the_helper_keeps_serving(
    channel: Channel, tmp_path: Path
) -> None:
    await channel.start(tmp_path)
    garbage = random.Random(7).randbytes(MB)
    assert b"content-length" not in garbage.lower()
    for start in range(0, len(garbage), 64 * 1024):
        await channel.send(garbage[start : start + 64 * 1024])
    # The valid request's header ends the last garbage line; its blank line ends that header block.
    await channel.serving()
    errors = channel.errors()
    # Each run of lines ended by a blank one is a header block without a length: one error each.
    blocks, pending = 0, False
    for line in garbage.split(b"\n")[:-1]:
        blocks, pending = (
            (blocks + 1, False) if not line.strip() and pending else (blocks, bool(line.strip()))
        )
    assert len(errors) == blocks > 0
    assert {e["error"]["code"] for e in errors} == {PARSE_ERROR}
    assert all(e["id"] is None for e in errors)
    assert await channel.close() == 0


async def test_a_header_line_without_end_is_an_error_not_a_hang(channel: Channel, tmp_path: Path) -> None:
    await channel.start(tmp_path)
    before = memory(channel.process.pid)
    line = b"X" * (16 * MB)
    await channel.send(line + b"\r\n\r\n")
    error = await channel.until("the parse error", lambda messages: channel.errors())
    assert error[0]["error"]["code"] == PARSE_ERROR
    await channel.serving()
    after = memory(channel.process.pid)
    # Read in pieces of a MiB (transport.PipeReader), never whole: neither the peak nor what stays shows it.
    assert await channel.settled_rss("after the long line") - before["VmRSS"] < SETTLE_MB * MB
    print(f"16 MiB header line: peak +{(after['VmHWM'] - before['VmHWM']) / MB:.0f} MB")
    assert after["VmHWM"] - before["VmHWM"] < 8 * MB
    assert await channel.close() == 0


async def test_an_oversized_message_never_enters_memory(channel: Channel, tmp_path: Path) -> None:
    await channel.start(tmp_path)
    await channel.serving()
    before = memory(channel.process.pid)
    size = MAX_MESSAGE_BYTES + 1
    await channel.send(b"Content-Length: %d\r\n\r\n" % size)
    chunk = b" " * MB
    for _ in range(size // MB):
        await channel.send(chunk)
    await channel.send(b" " * (size % MB))
    errors = await channel.until("the size error", lambda messages: channel.errors())
    assert errors[0]["error"]["code"] == INVALID_REQUEST
    await channel.serving()
    after = memory(channel.process.pid)
    # Discarded in 1 MiB pieces: the peak grows by a few pieces at most, never by the message.
    assert after["VmHWM"] - max(before["VmHWM"], before["VmRSS"]) < 8 * MB, (
        before,
        after,
    )
    assert after["VmRSS"] - before["VmRSS"] < SETTLE_MB * MB, (before, after)
    assert await channel.close() == 0


def storm_version(version: int) -> str:
    """A pyproject.toml as typed: `version` comment lines, then a dependency list left open (a TOML
    error whose line tells which version the helper last read)."""
    typing = "".join(f"# line {n} typed at version {version}\n" for n in range(version))
    return (
        '[project]\nname = "storm"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
        f'{typing}dependencies = ["alpha",\n'
    )


STORM = 1000


async def test_a_storm_of_didchange_notifications(channel: Channel, tmp_path: Path) -> None:
    project = tmp_path / "storm"
    project.mkdir()
    pyproject = project / "pyproject.toml"
    pyproject.write_text(storm_version(0))
    uri = pyproject.as_uri()
    await channel.start(project)

    def diagnostics_at(line: int) -> Callable[[list[dict[str, Any]]], Any]:
        """The latest diagnostics for the file, once they put the TOML error at `line`."""

        def found(messages: list[dict[str, Any]]) -> Any:
            latest = next(
                (
                    m["params"]
                    for m in reversed(messages)
                    if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                ),
                None,
            )
            lines = [
                d["range"]["start"]["line"]
                for d in (latest or {}).get("diagnostics", [])
                if d["code"] == "toml-syntax"
            ]
            return latest if lines and min(lines) >= line else None

        return found

    await channel.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": uri,
                "languageId": "toml",
                "version": 0,
                "text": storm_version(0),
            }
        },
    )
    # The header is 4 lines, then one comment line per version; the unclosed list starts after them.
    await channel.until("diagnostics of the opened file", diagnostics_at(4))
    await channel.serving()
    baseline = await channel.settled_rss("before the storm")

    started = asyncio.get_running_loop().time()
    for version in range(1, STORM + 1):
        await channel.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": storm_version(version)}],
            },
        )
    await channel.serving()
    answered = asyncio.get_running_loop().time() - started

    last = await channel.until(f"diagnostics of version {STORM}", diagnostics_at(4 + STORM))
    # Published for the buffer as last changed (an unchanged result is not sent again).
    assert last["version"] == STORM, last
    assert not channel.errors()

    peak = memory(channel.process.pid)["VmHWM"]
    settled = await channel.settled_rss("after the storm")
    print(
        f"storm of {STORM}: answered {answered:.2f} s after the first change; RSS baseline "
        f"{baseline / MB:.1f} MB, peak {peak / MB:.1f} MB, settled {settled / MB:.1f} MB"
    )
    assert settled - baseline < SETTLE_MB * MB, (baseline, settled)
    assert await channel.close() == 0
