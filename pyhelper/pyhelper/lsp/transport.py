"""Reading LSP messages off stdin so that no input, however broken, stops the helper.

pygls 2.1.1's own loop (`pygls.io_.run_async`), fed raw bytes over a real pipe, falls short:
- a body that is not JSON, or JSON that is not a JSON-RPC message, gets no error response (the user
  gets a `window/showMessage` pop-up instead);
- a request whose params do not fit its method, or a request without `params` for an unknown method,
  gets no response at all, so the client waits forever;
- after one wrong Content-Length every later message is lost: the header must be a line on its own,
  and the rest of the short body (JSON has no newline) glues onto the next header line;
- requests after `shutdown` are dropped silently, and `exit` ends the process with code 0 even
  without a `shutdown` first.
This loop answers each case with the error JSON-RPC/LSP names, finds the next `Content-Length`
wherever its line starts, and hands well-formed messages to pygls' protocol unchanged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import stat
import sys
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.io_ import StdinAsyncReader

from pyhelper.lsp import requestparams

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from pygls.io_ import AsyncReader
    from pygls.protocol import JsonRPCProtocol

log = logging.getLogger(__name__)

# Larger than any file a user edits (a 50 MB lockfile opened in the editor still fits), small enough
# that a bogus length cannot make the helper allocate gigabytes.
MAX_MESSAGE_BYTES = 128 * 1024 * 1024
_DISCARD_CHUNK = 1024 * 1024
_LINE_PIECE = 1024 * 1024
_CONTENT_LENGTH = re.compile(rb"content-length:[ \t]*(\d+)", re.IGNORECASE)

MsgId = int | str | None


class Rejected(Exception):
    """A message that gets an error response instead of being handled."""

    def __init__(self, msg_id: MsgId, error: JsonRpcException) -> None:
        super().__init__(error.message)
        self.msg_id = msg_id
        self.error = error


class Lifecycle:
    """What LSP allows when: nothing but `initialize` before it, nothing but `exit` after `shutdown`."""

    def __init__(self) -> None:
        self.initialized = False
        self.shut_down = False

    def admit(self, method: str) -> JsonRpcException | None:
        """None to handle a message for `method`; else the error to answer a request with."""
        if method == types.EXIT:
            return None
        if self.shut_down:
            return JsonRpcInvalidRequest(f"The helper is shutting down; {method!r} is not handled.")
        if not self.initialized and method != types.INITIALIZE:
            return JsonRpcServerNotInitialized(f"{method!r} arrived before 'initialize'.")
        self.initialized = True
        self.shut_down = method == types.SHUTDOWN
        return None


class PipeReader:
    """stdin read by the event loop itself: pygls' reader hands every header line and body to a thread,
    three hand-overs per message, about 1 ms of each request's time."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream

    async def readline(self) -> bytes:
        try:
            return await self._stream.readuntil(b"\n")
        except asyncio.IncompleteReadError as end:
            return end.partial
        except asyncio.LimitOverrunError as long:
            # A line of over a MiB (garbage) comes in pieces, so the buffer never holds more than two.
            # A header split between two pieces is not found, which only a garbled stream can cause.
            return await self._stream.readexactly(long.consumed)

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self._stream.readexactly(n)
        except asyncio.IncompleteReadError as end:
            return end.partial


async def stdin_reader(stdin: BinaryIO, pool: ThreadPoolExecutor) -> AsyncReader:
    """A `PipeReader` when stdin is a pipe, as the editor starts the helper (POSIX); else pygls' own.
    Only a pipe: the loop makes the descriptor non-blocking, which a terminal or a socket would share
    with stdout or with the shell after the helper."""
    try:
        pipe = sys.platform != "win32" and stat.S_ISFIFO(os.fstat(stdin.fileno()).st_mode)
    except (OSError, ValueError):  # no descriptor behind it (io.UnsupportedOperation is both)
        pipe = False
    if not pipe:
        return StdinAsyncReader(stdin, pool)
    stream = asyncio.StreamReader(limit=_LINE_PIECE)
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), stdin)
    return PipeReader(stream)


async def read_frame(reader: AsyncReader) -> bytes | Rejected | None:
    """The next message body; a rejection when a header block gives no usable length; None at end of input."""
    length: int | None = None
    header_lines = 0
    while True:
        line = await reader.readline()
        if not line:
            return None
        # Search, not match: after a short body the leftover bytes precede the next header on its line.
        match = _CONTENT_LENGTH.search(line)
        if match:
            length = int(match.group(1))
        elif not line.strip():
            if header_lines:
                break
            continue  # stray blank lines between messages are harmless
        header_lines += 1
    if length is None:
        return Rejected(None, JsonRpcParseError("Header block without a Content-Length header."))
    if length > MAX_MESSAGE_BYTES:
        remaining = length
        while remaining:
            chunk = await reader.readexactly(min(remaining, _DISCARD_CHUNK))
            if not chunk:
                return None
            remaining -= len(chunk)
        return Rejected(
            None,
            JsonRpcInvalidRequest(f"Message of {length} bytes exceeds the {MAX_MESSAGE_BYTES} byte limit."),
        )
    body = await reader.readexactly(length)
    return body if len(body) == length else None


def _message_id(data: Any) -> MsgId:
    if isinstance(data, dict):
        msg_id = data.get("id")
        if isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool):
            return msg_id
    return None


def parse_message(body: bytes) -> dict[str, Any]:
    """The JSON-RPC 2.0 message in `body`, or `Rejected` with the error to answer."""
    try:
        data = json.loads(body)
    except ValueError as error:  # also undecodable bytes
        raise Rejected(None, JsonRpcParseError(f"Parse error: {error}")) from None
    except RecursionError:
        # Valid JSON nested deeper than the parser's stack (`[[[…]]]` 200,000 deep): answered with the
        # id when one stands at the top level, so the client's request does not wait forever.
        raise Rejected(recover_id(body), JsonRpcInvalidRequest(_TOO_DEEP)) from None
    msg_id = _message_id(data)
    if not isinstance(data, dict) or data.get("jsonrpc") != "2.0":
        raise Rejected(msg_id, JsonRpcInvalidRequest("Not a JSON-RPC 2.0 message."))
    if "method" in data:
        if not isinstance(data["method"], str) or ("id" in data and msg_id is None):
            raise Rejected(
                msg_id, JsonRpcInvalidRequest("A request needs a string method and an integer or string id.")
            )
        # JSON-RPC makes params optional; pygls' fallback message types require the field.
        data.setdefault("params", None)
    elif "id" not in data or ("result" not in data and "error" not in data):
        raise Rejected(msg_id, JsonRpcInvalidRequest("Neither a request, a notification nor a response."))
    return data


_TOO_DEEP = "The message nests arrays or objects too deeply to be read."
_TOKEN = re.compile(r'["{}\[\],:]')
# Bounds the work of recover_id on a huge message (about a second); past it the id is given up on.
_MAX_TOKENS = 2_000_000
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def recover_id(body: bytes) -> MsgId:
    """The top-level `"id"` of a JSON object that json cannot parse for its nesting, found by a scan
    without recursion (strings are skipped whole, nesting is only counted); None if there is none."""
    text = body.decode("utf-8", "replace")
    depth, previous, position = 0, "", 0
    for _ in range(_MAX_TOKENS):
        match = _TOKEN.search(text, position)
        if match is None:
            return None
        char, position = match.group(), match.end()
        if char == '"':
            try:
                key, position = _scanstring(text, position)
            except ValueError:
                return None
            colon = _TOKEN.search(text, position)
            if depth == 1 and previous in "{," and key == "id" and colon is not None and colon.group() == ":":
                try:
                    value, _ = json.JSONDecoder().raw_decode(text, colon.end() + _spaces(text, colon.end()))
                except (ValueError, RecursionError):
                    return None
                return _message_id({"id": value})
            char = "string"
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        previous = char
    return None


def _spaces(text: str, start: int) -> int:
    return len(text[start : start + 64]) - len(text[start : start + 64].lstrip())


def send_error(protocol: JsonRPCProtocol, msg_id: MsgId, error: JsonRpcException) -> None:
    # Built by hand: lsprotocol's converter leaves out `"id": null`, which JSON-RPC requires when the
    # id could not be read, and without which clients do not recognise the response.
    response = {"jsonrpc": "2.0", "id": msg_id, "error": {"code": error.code, "message": error.message}}
    protocol._send_data(response)


def _dispatch(
    protocol: JsonRPCProtocol, lifecycle: Lifecycle, frame: bytes | Rejected, declared: Mapping[str, type]
) -> None:
    if isinstance(frame, Rejected):
        raise frame
    data = parse_message(frame)
    is_request = "method" in data and "id" in data
    if "method" in data and (refusal := lifecycle.admit(data["method"])) is not None:
        if is_request:
            raise Rejected(data["id"], refusal)
        log.warning("Dropped notification %r: %s", data["method"], refusal.message)
        return
    try:
        if (params_type := declared.get(data.get("method", ""))) is not None:
            try:
                data["params"] = requestparams.check(params_type, data["params"])
            except requestparams.InvalidParams as error:
                raise JsonRpcInvalidParams(f"Invalid params for {data['method']}: {error}.") from None
        message = protocol.structure_message(data)
    except JsonRpcException as error:
        if is_request:
            raise Rejected(data["id"], error) from None
        log.warning("Dropped malformed %r notification: %s", data.get("method"), error.message)
        return
    except RecursionError:  # nesting json could read but pygls' structuring cannot
        if is_request:
            raise Rejected(data["id"], JsonRpcInvalidRequest(_TOO_DEEP)) from None
        log.warning("Dropped %r notification: %s", data.get("method"), _TOO_DEEP)
        return
    protocol.handle_message(message)


async def serve(
    reader: AsyncReader,
    protocol: JsonRPCProtocol,
    stop: threading.Event,
    declared: Mapping[str, type] | None = None,
) -> None:
    """Read and handle messages until end of input, `stop`, or `exit` (which raises SystemExit).

    `declared`: the params type of each custom request (`protocol.REQUEST_PARAMS`), checked before the
    request is handled (`pyhelper.lsp.requestparams`); a misfit is answered with -32602 naming the field.
    """
    lifecycle = Lifecycle()
    declared = declared or {}
    while not stop.is_set():
        frame = await read_frame(reader)
        if frame is None:
            return
        try:
            _dispatch(protocol, lifecycle, frame, declared)
        except Rejected as rejected:
            log.warning("Rejected a message: %s", rejected.error.message)
            send_error(protocol, rejected.msg_id, rejected.error)
        except Exception:
            log.exception("Failed to handle a message")
