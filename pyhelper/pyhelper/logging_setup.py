"""The helper's log: plain lines on stderr, which the editor shows in the "Lockstep" output channel."""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from pyhelper import __version__

LEVEL_VARIABLE = "LOCKSTEP_LOG_LEVEL"


class _Formatter(logging.Formatter):
    """Information reads as plain sentences; anything else says its level and where it came from."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == logging.INFO and not record.exc_info:
            return record.getMessage()
        return super().format(record)


def configure(stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = logging.getLevelName(os.environ.get(LEVEL_VARIABLE, "INFO").upper())
    root.setLevel(level if isinstance(level, int) else logging.INFO)
    # pygls logs every message it sends at INFO: useful only when debugging the protocol itself.
    if root.level > logging.DEBUG:
        logging.getLogger("pygls").setLevel(logging.WARNING)


def startup_line() -> str:
    """The line the editor and the end-to-end tests look for: `Lockstep helper 0.1.0 started (...)`."""
    python = sys.version.split()[0]
    return f"Lockstep helper {__version__} started (Python {python}, pid {os.getpid()})"
