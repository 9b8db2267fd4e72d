"""The helper's log, shown in the editor's "Lockstep" output channel.

Before the connection is up (and after it is gone) records are plain lines on stderr, which the editor
appends to the channel. While the editor is connected they go as `window/logMessage`: each record keeps
its level (the channel shows `[error]`, `[warning]`, `[info]`) and stays one entry however many lines
it has, as a tool's error or a traceback does.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from lsprotocol import types

from pyhelper import __version__

LEVEL_VARIABLE = "LOCKSTEP_LOG_LEVEL"

SendLog = Callable[[types.LogMessageParams], None]


class _Formatter(logging.Formatter):
    """Information reads as plain sentences; anything else says its level and where it came from."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == logging.INFO and not record.exc_info:
            return record.getMessage()
        return super().format(record)


class _EditorFormatter(logging.Formatter):
    """The level travels as the message type: only the sentence, named by its source when it is not ours."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if not record.name.startswith("pyhelper"):
            message = f"{record.name}: {message}"
        if record.exc_info:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        return message


def message_type(level: int) -> types.MessageType:
    if level >= logging.ERROR:
        return types.MessageType.Error
    if level >= logging.WARNING:
        return types.MessageType.Warning
    if level >= logging.INFO:
        return types.MessageType.Info
    return types.MessageType.Debug


class EditorHandler(logging.Handler):
    """Sends each record to the editor as one `window/logMessage`, from whichever thread logs it."""

    def __init__(self, send: SendLog, loop: asyncio.AbstractEventLoop, fallback: logging.Handler) -> None:
        super().__init__()
        self.setFormatter(_EditorFormatter())
        self._send = send
        self._loop = loop
        self._fallback = fallback
        self._sending = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        # Sending can log (pygls at debug level): that record goes to stderr instead of looping.
        if getattr(self._sending, "active", False) or self._loop.is_closed():
            self._fallback.handle(record)
            return
        params = types.LogMessageParams(type=message_type(record.levelno), message=self.format(record))
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._deliver(params, record)
        else:
            self._loop.call_soon_threadsafe(self._deliver, params, record)

    def _deliver(self, params: types.LogMessageParams, record: logging.LogRecord) -> None:
        self._sending.active = True
        try:
            self._send(params)
        except Exception:  # a log line must never break the helper; stderr still shows it
            self._fallback.handle(record)
        finally:
            self._sending.active = False


class _KnownNoise(logging.Filter):
    """pygls warns when the editor cancels a request it has already answered: a normal race, not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Cancel notification for unknown message id")


_stderr_handler: logging.Handler | None = None


def configure(stream: TextIO | None = None) -> None:
    global _stderr_handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    _stderr_handler = handler
    level = logging.getLevelName(os.environ.get(LEVEL_VARIABLE, "INFO").upper())
    root.setLevel(level if isinstance(level, int) else logging.INFO)
    # pygls logs every message it sends at INFO: useful only when debugging the protocol itself.
    if root.level > logging.DEBUG:
        logging.getLogger("pygls").setLevel(logging.WARNING)
    logging.getLogger("pygls.protocol.json_rpc").addFilter(_KnownNoise())
    # httpx logs every request at INFO; a failed download is logged by pyhelper, with its URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)


@contextmanager
def to_editor(send: SendLog) -> Iterator[None]:
    """While the block runs (on the server's event loop), log records go to the editor via `send`."""
    root = logging.getLogger()
    fallback = _stderr_handler or logging.StreamHandler(sys.stderr)
    editor = EditorHandler(send, asyncio.get_running_loop(), fallback)
    if _stderr_handler is not None:
        root.removeHandler(_stderr_handler)
    root.addHandler(editor)
    try:
        yield
    finally:
        root.removeHandler(editor)
        if _stderr_handler is not None:
            root.addHandler(_stderr_handler)


def startup_line() -> str:
    """The line the editor and the end-to-end tests look for: `Lockstep helper 0.1.0 started (...)`."""
    python = sys.version.split()[0]
    return f"Lockstep helper {__version__} started (Python {python}, pid {os.getpid()})"
