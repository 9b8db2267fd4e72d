"""The helper's JSON-RPC channel fed raw bytes over a real pipe: bad input gets an error, never a hang."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from helper.helper_support import HELPER_COMMAND, within
from pyhelper import __version__
from pyhelper.lsp.transport import MAX_MESSAGE_BYTES

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": "init",
    "method": "initialize",
    "params": {"capabilities": {}},
}
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = (
    -32700,
    -32600,
    -32601,
    -32602,
)
SERVER_NOT_INITIALIZED = -32002


def frame(message: Any = None, *, body: bytes | None = None, length: int | None = None) -> bytes:
    content = json.dumps(message).encode() if body is None else body
    return b"Content-Length: %d\r\n\r\n%s" % (
        len(content) if length is None else length,
        content,
    )


def frames(data: bytes) -> list[Any]:
    """The messages of a whole output, in order."""
    found = []
    while data:
        header, _, rest = data.partition(b"\r\n\r\n")
        length = re.search(rb"Content-Length: (\d+)", header)
        assert length is not None, header
        found.append(json.loads(rest[: int(length.group(1))]))
        data = rest[int(length.group(1)) :]
    return found


class RawHelper:
    """The helper process with nothing between the test and its stdin/stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.stdin, self.stdout = process.stdin, process.stdout
        self.logs: list[dict[str, Any]] = []
        """The `window/logMessage` params received so far (receive() skips them)."""

    async def send(self, data: bytes) -> None:
        self.stdin.write(data)
        await self.stdin.drain()

    async def receive(self) -> dict[str, Any]:
        """The next message that is not a log line."""

        async def one() -> dict[str, Any]:
            length = None
            while (line := await self.stdout.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            assert length is not None, "the helper closed stdout"
            message: dict[str, Any] = json.loads(await self.stdout.readexactly(length))
            return message

        while True:
            message: dict[str, Any] = await within(one(), "a message from the helper")
            if message.get("method") != "window/logMessage":
                return message
            self.logs.append(message["params"])

    async def response(self, msg_id: Any) -> dict[str, Any]:
        """The response to `msg_id`, skipping notifications and other responses on the way."""
        while True:
            message = await self.receive()
            if "method" not in message and message.get("id") == msg_id:
                return message

    async def request(self, method: str, msg_id: Any, params: Any = None) -> dict[str, Any]:
        await self.send(frame({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}))
        return await self.response(msg_id)

    async def initialize(self) -> None:
        await self.send(frame(INITIALIZE))
        assert "capabilities" in (await self.response("init"))["result"]

    async def still_serving(self, msg_id: str) -> None:
        """The helper answers a well-formed request after whatever came before."""
        answer = await self.request("lockstep/projects", msg_id)
        assert answer["result"] == {"projects": []}, answer

    async def exit_code(self) -> int:
        code: int = await within(self.process.wait(), "the helper to exit")
        return code


@pytest.fixture
async def raw(tmp_path) -> AsyncIterator[RawHelper]:
    process = await asyncio.create_subprocess_exec(
        *HELPER_COMMAND,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
    )
    helper = RawHelper(process)
    try:
        yield helper
    finally:
        if process.returncode is None:
            process.kill()
        await process.communicate()


async def shut_down(raw: RawHelper) -> int:
    assert (await raw.request("shutdown", "bye"))["result"] is None
    await raw.send(frame({"jsonrpc": "2.0", "method": "exit"}))
    return await raw.exit_code()


async def test_startup_line_on_stderr(raw: RawHelper) -> None:
    assert raw.process.stderr is not None
    line = (await within(raw.process.stderr.readline(), "the start-up line")).decode()
    match = re.fullmatch(
        r"Lockstep helper (\S+) started \(Python (\d+\.\d+\.\d+\S*), pid (\d+)\)\n",
        line,
    )
    assert match, line
    assert match.group(1) == __version__
    assert int(match.group(3)) == raw.process.pid


MALFORMED = {
    "no header": (b"\x00\xff garbage that is no header\r\n\r\n", PARSE_ERROR),
    "not JSON": (frame(body=b"{not json"), PARSE_ERROR),
    "not UTF-8": (frame(body=b"\xff\xfe{}"), PARSE_ERROR),
    "an array": (frame([1, 2]), INVALID_REQUEST),
    "a string": (frame("a string"), INVALID_REQUEST),
    "no jsonrpc member": (frame({"id": 5, "method": "x"}), INVALID_REQUEST),
    "a float id": (
        frame({"jsonrpc": "2.0", "id": 1.5, "method": "x"}),
        INVALID_REQUEST,
    ),
    "no method, result or error": (frame({"jsonrpc": "2.0", "id": 7}), INVALID_REQUEST),
}


async def test_malformed_input_gets_an_error_and_the_helper_keeps_serving(
    raw: RawHelper,
) -> None:
    await raw.initialize()
    # One process for all cases: each must leave the helper serving the next.
    for case, (data, code) in MALFORMED.items():
        await raw.send(data)
        error = await raw.receive()
        assert error.get("error", {}).get("code") == code, (case, error)
        assert "id" in error, case
        await raw.still_serving(f"after {case}")
    assert await shut_down(raw) == 0


async def test_short_content_length_loses_only_that_message(raw: RawHelper) -> None:
    await raw.initialize()
    # The declared length stops mid-body; the rest glues onto the next header line.
    await raw.send(frame({"jsonrpc": "2.0", "id": "cut", "method": "lockstep/projects"}, length=20))
    await raw.send(frame({"jsonrpc": "2.0", "id": "next", "method": "lockstep/projects"}))
    assert (await raw.receive())["error"]["code"] == PARSE_ERROR
    assert (await raw.response("next"))["result"] == {"projects": []}
    assert await shut_down(raw) == 0


async def test_long_content_length_swallows_the_next_message_then_recovers(
    raw: RawHelper,
) -> None:
    await raw.initialize()
    victim = frame({"jsonrpc": "2.0", "id": "victim", "method": "lockstep/projects"})
    await raw.send(frame({"jsonrpc": "2.0", "id": "long", "method": "lockstep/projects"}, length=70) + victim)
    assert (await raw.receive())["error"]["code"] == PARSE_ERROR
    await raw.still_serving("after")
    assert await shut_down(raw) == 0


async def test_oversized_message_is_refused_without_reading_it_into_memory(
    raw: RawHelper,
) -> None:
    await raw.initialize()
    size = MAX_MESSAGE_BYTES + 1
    await raw.send(b"Content-Length: %d\r\n\r\n" % size)
    chunk = b" " * (1024 * 1024)
    for _ in range(size // len(chunk)):
        await raw.send(chunk)
    await raw.send(b" " * (size % len(chunk)))
    error = await raw.receive()
    assert error["error"]["code"] == INVALID_REQUEST
    assert str(MAX_MESSAGE_BYTES) in error["error"]["message"]
    await raw.still_serving("after")
    assert await shut_down(raw) == 0


async def test_unknown_methods(raw: RawHelper) -> None:
    await raw.initialize()
    with_params = await raw.request("lockstep/noSuchThing", 1, {"a": 1})
    assert with_params["error"]["code"] == METHOD_NOT_FOUND
    # JSON-RPC makes `params` optional; pygls alone fails on this one.
    await raw.send(frame({"jsonrpc": "2.0", "id": 2, "method": "lockstep/noSuchThing"}))
    assert (await raw.response(2))["error"]["code"] == METHOD_NOT_FOUND
    # Unknown notifications are ignored, as LSP asks.
    await raw.send(frame({"jsonrpc": "2.0", "method": "$/noSuchNotification", "params": {}}))
    await raw.still_serving("after")
    assert await shut_down(raw) == 0


async def test_params_that_do_not_fit_the_method(raw: RawHelper) -> None:
    await raw.initialize()
    answer = await raw.request("textDocument/hover", 3, {"nonsense": True})
    assert answer["error"]["code"] == INVALID_PARAMS
    await raw.still_serving("after")
    assert await shut_down(raw) == 0


async def test_requests_before_initialize_and_after_shutdown(raw: RawHelper) -> None:
    early = await raw.request("lockstep/projects", "early")
    assert early["error"]["code"] == SERVER_NOT_INITIALIZED
    await raw.initialize()
    assert (await raw.request("shutdown", "bye"))["result"] is None
    late = await raw.request("lockstep/projects", "late")
    assert late["error"]["code"] == INVALID_REQUEST
    await raw.send(frame({"jsonrpc": "2.0", "method": "exit"}))
    assert await raw.exit_code() == 0


async def test_exit_without_shutdown_exits_with_1(raw: RawHelper) -> None:
    await raw.initialize()
    await raw.send(frame({"jsonrpc": "2.0", "method": "exit"}))
    assert await raw.exit_code() == 1


async def test_end_of_input_stops_the_helper(raw: RawHelper) -> None:
    await raw.initialize()
    raw.stdin.close()
    assert await raw.exit_code() == 0


async def test_input_from_a_file_is_served_as_from_a_pipe(tmp_path) -> None:
    # The editor's pipe is read by the event loop; anything else (here a file, as `pyhelper serve <
    # messages`) by pygls' own reader: the same answers, in order, then the exit code shutdown earns.
    messages = tmp_path / "messages"
    shutdown = {"jsonrpc": "2.0", "id": "bye", "method": "shutdown", "params": None}
    messages.write_bytes(
        b"".join(frame(m) for m in (INITIALIZE, shutdown, {"jsonrpc": "2.0", "method": "exit"}))
    )
    with messages.open("rb") as stdin:
        process = await asyncio.create_subprocess_exec(
            *HELPER_COMMAND, stdin=stdin, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
        )
        out, _ = await within(process.communicate(), "the helper's answers to a file of messages")
    answered = [message["id"] for message in frames(out) if "id" in message]
    assert process.returncode == 0
    assert answered == ["init", "bye"]


async def test_log_records_reach_the_editor_as_log_messages_with_their_level(raw: RawHelper) -> None:
    await raw.initialize()
    await raw.send(b"Content-Type: text/plain\r\n\r\n")  # a header block without Content-Length
    await raw.still_serving("after")
    rejected = [log for log in raw.logs if "Content-Length" in log["message"]]
    assert rejected == [
        {"type": 2, "message": "Rejected a message: Header block without a Content-Length header."}
    ], raw.logs
    assert await shut_down(raw) == 0
    assert raw.process.stderr is not None
    stderr = (await raw.process.stderr.read()).decode()
    assert "Content-Length" not in stderr, "while connected, the log goes to the editor only"


async def test_cancelling_an_answered_request_logs_nothing(raw: RawHelper) -> None:
    await raw.initialize()
    await raw.still_serving("answered")
    await raw.send(frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": "answered"}}))
    await raw.still_serving("later")
    assert not [log for log in raw.logs if "Cancel" in log["message"]], raw.logs
    assert await shut_down(raw) == 0
    assert raw.process.stderr is not None
    assert "Cancel notification" not in (await raw.process.stderr.read()).decode()
