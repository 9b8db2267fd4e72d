"""Holding a lock file across processes (editor windows, the CLI) while staying cancellable.

One helper for the whole codebase, on top of the `filelock` package (fcntl on POSIX, msvcrt on
Windows; the OS drops the lock when its holder dies, so a killed helper never leaves a stale lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyhelper.cancellation import CancelToken

# How often a waiter looks at its cancel token; short enough that Cancel feels immediate.
POLL_SECONDS = 0.1


class LockWaitCancelled(Exception):
    """The caller cancelled while another process held the lock."""


@contextmanager
def hold_file_lock(path: Path, cancel: CancelToken | None = None) -> Iterator[None]:
    """Hold the lock at `path` (its folder is created), waiting for another holder as long as needed.

    While waiting, a set `cancel` token raises LockWaitCancelled, so a caller never keeps waiting on
    another window's work after the user gave up.
    """
    from filelock import FileLock, Timeout

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    while True:
        try:
            lock.acquire(timeout=POLL_SECONDS)
            break
        except Timeout:
            if cancel is not None and cancel.is_set():
                raise LockWaitCancelled(f"stopped waiting for {path}") from None
    try:
        yield
    finally:
        lock.release()
