"""Renaming a folder into or out of place where Windows may refuse it for a while.

Windows will not rename a folder while a file in it is open: a python.exe of the venv that a
terminal or the Python extension runs, an antivirus scan of the files just written, the search
indexer. Scanners let go within moments, so a refused rename is retried for about two seconds, in
growing pauses. A program that keeps it open is then named in the message when it can be found (a
process whose executable lies inside the folder), so the user knows what to close. Elsewhere a failed
rename is not retried: POSIX renames a folder whatever is open in it, so the error means what it says.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.5, 0.75)
"""Seconds between attempts: two in all, long enough for a scanner, short enough for a person."""
_MAX_NAMED = 3
_MAX_PROCESSES = 65536
"""Enough for any machine; a bound on what is read while composing a message."""


@dataclass(frozen=True)
class Holder:
    pid: int
    program: str
    """The executable's full path."""

    def __str__(self) -> str:
        return f"{os.path.basename(self.program)} (process {self.pid})"


class FolderInUse(OSError):
    """A rename that kept being refused; `str()` is the sentence for the user."""

    def __init__(self, folder: Path, holders: list[Holder]) -> None:
        super().__init__(folder)
        self.folder = folder
        self.holders = holders

    def __str__(self) -> str:
        if self.holders:
            named = ", ".join(str(holder) for holder in self.holders[:_MAX_NAMED])
            more = f" and {len(self.holders) - _MAX_NAMED} more" if len(self.holders) > _MAX_NAMED else ""
            return (
                f"{self.folder.name} cannot be moved while a program runs from it: {named}{more}. "
                "Close it (a terminal, the Python extension's language server) and try again."
            )
        return (
            f"{self.folder.name} cannot be moved: Windows reports a file in it in use (a terminal, the "
            "Python extension or an antivirus scan may hold one). Close what uses it and try again."
        )


def running_from(folder: Path) -> list[Holder]:
    """The processes whose executable lies inside `folder` (none when this system cannot tell)."""
    inside = os.path.normcase(os.path.abspath(folder)) + os.sep
    found = [Holder(pid, exe) for pid, exe in _programs() if os.path.normcase(exe).startswith(inside)]
    return sorted(found, key=lambda holder: holder.pid)


@dataclass(frozen=True)
class Renamer:
    """How folders are renamed on `platform` (a `sys.platform` value); the callables are seams that
    let tests refuse renames and count pauses without waiting."""

    platform: str = sys.platform
    rename: Callable[[Path, Path], None] = os.rename
    pause: Callable[[float], None] = time.sleep
    holders: Callable[[Path], list[Holder]] = running_from

    def move(self, source: Path, target: Path) -> None:
        """Rename `source` to `target`; on Windows, retried while refused, then `FolderInUse`."""
        if self.platform != "win32":
            self.rename(source, target)
            return
        for pause in _PAUSES:
            try:
                self.rename(source, target)
                return
            except PermissionError:
                self.pause(pause)
        try:
            self.rename(source, target)
        except PermissionError:
            raise FolderInUse(source, self.holders(source)) from None


def _programs() -> Iterator[tuple[int, str]]:
    """(pid, executable) of the processes this user may inspect."""
    if sys.platform == "win32":
        yield from _windows_programs()
    elif sys.platform.startswith("linux"):
        yield from _proc_programs()


def _proc_programs() -> Iterator[tuple[int, str]]:
    try:
        entries = os.listdir("/proc")
    except OSError:
        return
    for entry in [name for name in entries if name.isdigit()][:_MAX_PROCESSES]:
        try:
            yield int(entry), os.readlink(f"/proc/{entry}/exe")
        except OSError:
            continue  # gone meanwhile, or another user's


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _PROCESS_QUERY_LIMITED_INFORMATION = 0x1000

    def _windows_programs() -> Iterator[tuple[int, str]]:
        psapi = ctypes.WinDLL("psapi")
        kernel32 = ctypes.WinDLL("kernel32")
        kernel32.OpenProcess.restype = wintypes.HANDLE
        kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        kernel32.QueryFullProcessImageNameW.argtypes = (
            wintypes.HANDLE,
            wintypes.DWORD,
            wintypes.LPWSTR,
            ctypes.POINTER(wintypes.DWORD),
        )
        kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
        size = 1024
        while True:
            pids = (wintypes.DWORD * size)()
            used = wintypes.DWORD()
            if not psapi.EnumProcesses(pids, ctypes.sizeof(pids), ctypes.byref(used)):
                return
            # A full buffer may mean more processes than it holds: ask again with a larger one.
            if used.value < ctypes.sizeof(pids) or size >= _MAX_PROCESSES:
                break
            size *= 4
        for pid in pids[: used.value // ctypes.sizeof(wintypes.DWORD)]:
            handle = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
            if not handle:
                continue  # another user's, or a protected process
            try:
                buffer = ctypes.create_unicode_buffer(32768)
                length = wintypes.DWORD(len(buffer))
                if kernel32.QueryFullProcessImageNameW(handle, 0, buffer, ctypes.byref(length)):
                    yield pid, buffer.value
            finally:
                kernel32.CloseHandle(handle)
