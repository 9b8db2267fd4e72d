"""A raw JSON-RPC client for the real helper process, for the reliability tests (imported by this unique
name: test areas share one import path).

It reads everything the helper writes in a task of its own from the start: the helper writes to a pipe,
and a test that only sent would stall it once the pipe is full. It also reads the helper's memory from
/proc and finds the children it started.
"""

from __future__ import annotations

import asyncio
import json
import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from helper.helper_support import HELPER_COMMAND, within

MB = 1024 * 1024
SETTLE_MB = 20
"""How far above its baseline the helper's RSS may stay once a burst is over: about what CPython keeps
in its own free lists and arenas after churning through thousands of objects, far below a leak that
keeps what the burst sent (5 MB of document text in the storm, 128 MiB for the oversized message)."""


@contextmanager
def peak_memory() -> Iterator[Callable[[], int]]:
    """The most bytes Python held at once inside the block (allocations are counted, not timed)."""
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def frame(message: Any) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            # After `(comm)`, which may hold spaces: state, then the parent's pid.
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def memory(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak since start) of a process, in bytes."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


class Channel:
    """The helper's stdin and stdout; everything the helper writes is collected as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.stdin, self.stdout = process.stdin, process.stdout
        self.received: list[dict[str, Any]] = []
        self._arrived = asyncio.Condition()
        self._reader = asyncio.ensure_future(self._read())
        self._ids = 0

    async def _read(self) -> None:
        while True:
            length = None
            while (line := await self.stdout.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length is None:
                return
            message = json.loads(await self.stdout.readexactly(length))
            async with self._arrived:
                self.received.append(message)
                self._arrived.notify_all()

    async def send(self, data: bytes) -> None:
        self.stdin.write(data)
        await self.stdin.drain()

    async def until(self, what: str, found: Callable[[list[dict[str, Any]]], Any]) -> Any:
        """Wait until `found(messages so far)` is truthy; returns its value."""

        async def wait() -> Any:
            async with self._arrived:
                while not (result := found(self.received)):
                    if self._reader.done():
                        pytest.fail(f"the helper closed its output before {what}")
                    await self._arrived.wait()
                return result

        return await within(wait(), what)

    async def send_request(self, method: str, params: Any = None) -> str:
        """Send a request without waiting for its answer; returns its id."""
        self._ids += 1
        msg_id = f"r{self._ids}"
        await self.send(frame({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}))
        return msg_id

    async def request(self, method: str, params: Any = None) -> dict[str, Any]:
        msg_id = await self.send_request(method, params)
        response: dict[str, Any] = await self.until(
            f"the answer to {method}",
            lambda messages: next(
                (m for m in messages if m.get("id") == msg_id and "method" not in m),
                None,
            ),
        )
        return response

    async def notify(self, method: str, params: Any) -> None:
        await self.send(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    async def start(self, folder: Path, initialization_options: Any = None) -> None:
        """initialize (on one workspace folder) and initialized, as an editor without file watching."""
        answer = await self.request(
            "initialize",
            {
                "capabilities": {},
                "workspaceFolders": [{"uri": folder.as_uri(), "name": folder.name}],
                "initializationOptions": initialization_options,
            },
        )
        assert "capabilities" in answer["result"], answer
        await self.notify("initialized", {})

    async def serving(self) -> None:
        """The helper answers a well-formed request after whatever came before."""
        answer = await self.request("lockstep/projects")
        assert "projects" in answer.get("result", {}), answer

    def errors(self) -> list[dict[str, Any]]:
        return [m for m in self.received if "error" in m]

    async def settled_rss(self, what: str) -> int:
        """VmRSS once it stops moving: five readings 50 ms apart within 256 KB of each other."""

        async def poll() -> int:
            readings: list[int] = []
            while len(readings) < 5 or max(readings[-5:]) - min(readings[-5:]) > 256 * 1024:
                readings.append(memory(self.process.pid)["VmRSS"])
                await asyncio.sleep(0.05)
            return readings[-1]

        rss: int = await within(poll(), f"the helper's memory to settle {what}")
        return rss

    async def close(self) -> int:
        await self.request("shutdown")
        await self.notify("exit", None)
        code: int = await within(self.process.wait(), "the helper to exit")
        await self._reader
        return code

    async def stop(self) -> None:
        """Kill the helper if it still runs (a test that failed half-way); for fixtures' teardown."""
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
        self._reader.cancel()


async def start_helper(cwd: Path, env: Mapping[str, str] | None = None) -> Channel:
    """`python -m pyhelper serve` as the editor starts it, its stderr (the log) discarded."""
    process = await asyncio.create_subprocess_exec(
        *HELPER_COMMAND,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        cwd=cwd,
        env=None if env is None else dict(env),
    )
    return Channel(process)


# Rewrites a file in place as a tool writing without a temporary file does (truncate, then the content
# in pieces), stopping where the test says: the line `SOURCE TARGET A B` truncates TARGET and writes
# SOURCE's content into it up to byte A, says `at A` and waits for `go`, and so on; after the last
# piece it says `done`. Another process, as the package manager is.
_PAUSED_WRITER = """
import sys
for command in sys.stdin:
    source, target, *stops = command.split()
    content = open(source, "rb").read()
    with open(target, "r+b", buffering=0) as file:
        file.truncate(0)
        written = 0
        for stop in [*map(int, stops), len(content)]:
            file.write(content[written:stop])
            written = stop
            if stop < len(content):
                print("at", stop, flush=True)
                assert sys.stdin.readline() == "go\\n"
    print("done", flush=True)
"""


class PausedWriter:
    """A writer process paused at chosen bytes of a file by a pipe handshake, never by time."""

    def __init__(self) -> None:
        import subprocess
        import sys

        self.process = subprocess.Popen(
            [sys.executable, "-c", _PAUSED_WRITER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def _say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def _hear(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def start(self, source: Path, target: Path, stops: list[int]) -> None:
        """Truncate `target` and write `source` into it up to `stops[0]`; returns once paused there."""
        self._say(" ".join([str(source), str(target), *map(str, stops)]))
        assert self._hear() == f"at {stops[0]}"

    def resume(self, next_stop: int | None) -> None:
        """Write on to `next_stop` (paused there on return), or to the end (`None`)."""
        self._say("go")
        assert self._hear() == (f"at {next_stop}" if next_stop is not None else "done")

    def close(self) -> None:
        """End the writer (one still paused gives up its write)."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
