"""Every read of a file that a workspace (or an interpreter folder) names: regular files only, never
blocking, never more than a cap per kind of file.

A cloned repository is a stranger's. Its `pyproject.toml` may be a link to /dev/zero (a read that never
ends), to /dev/stdin (the helper's own LSP input) or a FIFO (opening it blocks until someone writes).
So a read here stats the path first (a device or FIFO is never even opened), opens it with O_NONBLOCK
and O_NOCTTY, checks with fstat that what was opened is a regular file (the path may have changed in
between), and reads at most the cap of its kind.

A refusal is a `RefusedFile`, an OSError whose `strerror` says why in words, so each caller's existing
handling of an unreadable file (a finding on that file, or "not there") applies to it unchanged.
"""

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, NamedTuple

from pyhelper import codes
from pyhelper.findings import Finding, Range, Severity

StrPath = str | os.PathLike[str]


class Kind(NamedTuple):
    """A kind of file and the most Lockstep reads of one; real files are far smaller than each cap."""

    label: str
    max_bytes: int

    def describe_cap(self) -> str:
        size = self.max_bytes
        for unit, scale in (("GB", 2**30), ("MB", 2**20)):
            if size >= scale:
                return f"{size // scale} {unit}"
        return f"{size // 2**10} KB"


PYPROJECT = Kind("pyproject.toml", 2 * 2**20)
"""The largest real ones (long tool configurations, thousands of requirements) are a few hundred KB."""
LOCKFILE = Kind("lockfile", 16 * 2**20)
"""Checking a lock reads it whole on every change (a 50 MB pdm.lock: 37 s, 1.2 GB); large real locks are a
few MB. Locks over this get an information finding instead of a check (`lockfiles.MAX_LOCK_BYTES`)."""
SCRIPT = Kind("Python script", 4 * 2**20)
"""A `.py` file read for its PEP 723 block; real scripts are a few KB, the largest modules a few hundred."""
PYTHON_VERSION = Kind(".python-version", 64 * 2**10)
PYVENV_CFG = Kind("pyvenv.cfg", 64 * 2**10)
PYTHON_ENVS = Kind(".python-envs", 64 * 2**10)
DIST_INFO = Kind("dist-info file", 2**20)
"""METADATA's header, direct_url.json, INSTALLER of an installed distribution."""
C_HEADER = Kind("patchlevel.h", 2**20)
CONDA_ENVIRONMENTS = Kind("conda environments.txt", 4 * 2**20)
EXECUTABLE = Kind("interpreter executable", 32 * 2**20)
"""Scanned for PY_VERSION: a statically linked python is under 10 MB; bigger files are not scanned."""
DOWNLOADS_JSON = Kind("downloads JSON", 64 * 2**20)
"""uv's download-metadata.json is about 1 MB."""
DIAGNOSED_FILE = Kind("file", LOCKFILE.max_bytes)
"""The lines of a file a diagnostic points into, to convert its columns for the editor."""

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO never waits for a writer
    | getattr(os, "O_NOCTTY", 0)  # opening a terminal never makes it the helper's controlling one
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_TYPES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class RefusedFile(OSError):
    """Not a regular file, or larger than its kind's cap; `strerror` says which."""


def read_bytes(path: StrPath, kind: Kind) -> bytes:
    """The whole content of a regular file of at most `kind.max_bytes`; raises OSError (RefusedFile)."""
    with open_regular(path, kind) as file:
        # Sized by the file, not the cap: a read of the cap allocates a buffer of the cap first (16 MB
        # for a lockfile), which took fifteen times as long as reading a 1.6 MB lock. Bytes written
        # after the stat are still read, up to the cap.
        size = os.fstat(file.fileno()).st_size
        data = file.read(min(size, kind.max_bytes) + 1)
        if len(data) > size:
            data += file.read(kind.max_bytes + 1 - len(data))
    if len(data) > kind.max_bytes:  # grew after fstat, or a size the file system does not report
        raise _too_large(path, kind)
    return data


def read_text(path: StrPath, kind: Kind, *, errors: str = "strict") -> str:
    """`read_bytes` decoded as UTF-8; with errors="strict" a UnicodeDecodeError tells bytes that are not."""
    return read_bytes(path, kind).decode("utf-8", errors)


def read_head(path: StrPath, size: int) -> bytes:
    """The first `size` bytes of a regular file of any length (a header, a magic number)."""
    with open_regular(path, None) as file:
        return file.read(size)


@contextmanager
def open_regular(path: StrPath, kind: Kind | None) -> Iterator[BinaryIO]:
    """A regular file open for reading, of at most `kind.max_bytes` when it is read whole (None: the
    caller reads only a bounded part). Raises OSError: RefusedFile for anything else, without blocking."""
    _vet(path, os.stat(path), kind)  # a device or FIFO is refused before it is opened
    fd = os.open(path, _FLAGS)
    try:
        # What was opened, which is not necessarily what the path named when it was stat'ed.
        _vet(path, os.fstat(fd), kind)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        file = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with file:
        yield file


def refusal(path: StrPath, kind: Kind) -> RefusedFile | None:
    """Why `path` would be refused, from a stat alone (None when it is missing or would be read)."""
    try:
        _vet(path, os.stat(path), kind)
    except RefusedFile as refused:
        return refused
    except OSError:
        return None
    return None


def unreadable_finding(path: Path, error: OSError) -> Finding:
    """A `file-unreadable` error on the first line of `path`, saying why it cannot be read."""
    return Finding(
        path,
        Range.at(0),
        Severity.ERROR,
        codes.FILE_UNREADABLE,
        f"{path.name} cannot be read: {error.strerror or error}",
    )


def _vet(path: StrPath, status: os.stat_result, kind: Kind | None) -> None:
    if not stat.S_ISREG(status.st_mode):
        what = next((name for test, name in _TYPES if test(status.st_mode)), "not a regular file")
        raise RefusedFile(errno.EINVAL, f"it is {what}{_link_note(path)}, not a regular file", str(path))
    if kind is not None and status.st_size > kind.max_bytes:
        raise _too_large(path, kind)


def _too_large(path: StrPath, kind: Kind) -> RefusedFile:
    return RefusedFile(
        errno.EFBIG,
        f"it is larger than {kind.describe_cap()}, the most Lockstep reads of a {kind.label}",
        str(path),
    )


def _link_note(path: StrPath) -> str:
    try:
        return f" (a link to {os.readlink(path)})" if os.path.islink(path) else ""
    except OSError:
        return ""
