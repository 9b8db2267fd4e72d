"""Reading an interpreter's version from disk, without running it.

The exact version (micro and pre-release) is in `include/pythonX.Y/patchlevel.h` (`PY_VERSION`) of every
CPython and PyPy build that ships headers: python-build-standalone (uv's and Lockstep's managed
installs), pyenv, conda, python.org, Homebrew, Windows installers (`include/patchlevel.h`). Where headers
are missing (Debian without python3.X-dev), conda records the version in `conda-meta/`, managed and pyenv
folders carry it in their names, and a statically linked executable holds `PY_VERSION` as a string.
The names of executables, `lib/pythonX.Y[t]` folders and `pythonXY.dll` give major.minor and the
free-threaded `t` when nothing more is known.
"""

from __future__ import annotations

import mmap
import os
import re
from dataclasses import dataclass

from pyhelper import boundedread

_PRE = r"(?:a|b|rc)\d+"
# PY_VERSION as CPython spells it: "3.12.1", "3.14.0rc2", "3.13.0a1+" (a development build).
_VERSION = re.compile(rf"^(\d+)\.(\d+)(?:\.(\d+))?({_PRE})?\+?$")
_PATCHLEVEL = re.compile(r'^\s*#\s*define\s+PY_VERSION\s+"([^"]+)"', re.MULTILINE)
_EXECUTABLE = re.compile(r"^(python|pypy|graalpy)(\d+)?(?:\.(\d+))?(t)?(?:d|m|dm)?(?:\.exe)?$", re.IGNORECASE)
# uv's install keys (also used for Lockstep's installs): cpython-3.12.7-linux-x86_64-gnu,
# cpython-3.13.0+freethreaded-linux-aarch64-gnu, pypy-3.10.14-macos-aarch64-none, cpython-3.12-... (link).
_MANAGED = re.compile(
    rf"^(?P<impl>[a-z]+)-(?P<version>\d+\.\d+(?:\.\d+)?(?:{_PRE})?)(?P<variants>(?:\+[a-z]+)*)"
    r"-(?P<os>[a-z0-9]+)-(?P<arch>[a-z0-9_]+)-(?P<libc>[a-z0-9_]+)$"
)
# pyenv's names for CPython (3.12.1, 3.13.0t, 3.14.0rc1, 3.14-dev) and PyPy (pypy3.10-7.3.17).
_PYENV_CPYTHON = re.compile(rf"^(?P<version>\d+\.\d+(?:\.\d+)?(?:{_PRE})?)(?P<t>t)?(?:-dev)?$")
_PYENV_PYPY = re.compile(r"^pypy(?P<version>\d+\.\d+)-v?\d+\.\d+\.\d+")
_INCLUDE_DIR = re.compile(r"^(python|pypy)(\d+\.\d+)(t)?(?:d|m|dm)?$")
_LIB_DIR = re.compile(r"^python(\d+\.\d+)(t)?$")
_DLL = re.compile(r"^python(\d)(\d+)(t)?\.dll$", re.IGNORECASE)
_CONDA_PYTHON = re.compile(r"^python-(\d+\.\d+\.\d+(?:" + _PRE + r")?)-.*\.json$")


@dataclass(frozen=True)
class NameHint:
    """What an executable's file name says: `python3.13t` -> cpython 3.13, free-threaded."""

    implementation: str
    major: int | None
    minor: int | None
    free_threaded: bool

    @property
    def minor_version(self) -> str | None:
        return f"{self.major}.{self.minor}" if self.major is not None and self.minor is not None else None


@dataclass(frozen=True)
class ManagedName:
    """A managed install's folder name, split into its parts."""

    implementation: str
    version: str
    free_threaded: bool
    debug: bool
    os: str
    arch: str
    libc: str


@dataclass(frozen=True)
class DiskVersion:
    version: str
    free_threaded: bool
    source: str
    """Where the version was read: `patchlevel.h`, `conda-meta`, `folder name`, `executable`, or
    `interpreter` when it had to be asked."""
    implementation: str | None = None
    """Only the interpreter itself says this; files leave it to the executable's name."""


def normalise_version(text: str) -> str | None:
    """`3.13.0a1+` -> `3.13.0a1`; None when the text is not a Python version."""
    match = _VERSION.match(text.strip())
    if match is None:
        return None
    major, minor, micro, pre = match.groups()
    return f"{major}.{minor}" + (f".{micro}" if micro is not None else "") + (pre or "")


def version_key(version: str) -> tuple[int, int, int, int, int]:
    """Sorts versions as PEP 440 does for these spellings: 3.13.0a1 < 3.13.0rc1 < 3.13.0 < 3.13.1."""
    match = _VERSION.match(version)
    if match is None:
        return (0, 0, 0, 0, 0)
    major, minor, micro, pre = match.groups()
    pre_rank, pre_number = (3, 0)
    if pre:
        label = pre.rstrip("0123456789")
        pre_rank, pre_number = {"a": 0, "b": 1, "rc": 2}[label], int(pre[len(label) :])
    return (int(major), int(minor), int(micro or 0), pre_rank, pre_number)


def parse_executable_name(name: str) -> NameHint | None:
    match = _EXECUTABLE.match(name)
    if match is None:
        return None
    implementation, major, minor, free_threaded = match.groups()
    return NameHint(
        implementation="cpython" if implementation.lower() == "python" else implementation.lower(),
        major=int(major) if major is not None else None,
        minor=int(minor) if minor is not None else None,
        free_threaded=free_threaded is not None,
    )


def executable_preference(name: str) -> int:
    """Sort key among names in one folder: `python3.12` before `python3` before `python`."""
    hint = parse_executable_name(name)
    if hint is None:
        return 3
    return 0 if hint.minor is not None else 1 if hint.major is not None else 2


def parse_managed_name(name: str) -> ManagedName | None:
    match = _MANAGED.match(name)
    if match is None:
        return None
    variants = set(match.group("variants").split("+")) - {""}
    return ManagedName(
        implementation=match.group("impl"),
        version=match.group("version"),
        free_threaded="freethreaded" in variants,
        debug="debug" in variants,
        os=match.group("os"),
        arch=match.group("arch"),
        libc=match.group("libc"),
    )


def parse_pyenv_name(name: str) -> tuple[str, str, bool] | None:
    """(implementation, version, free-threaded) from a pyenv version folder's name, when it says."""
    match = _PYENV_CPYTHON.match(name)
    if match is not None:
        return "cpython", match.group("version"), match.group("t") is not None
    match = _PYENV_PYPY.match(name)
    if match is not None:
        return "pypy", match.group("version"), False
    return None


def parse_patchlevel(text: str) -> str | None:
    match = _PATCHLEVEL.search(text)
    return normalise_version(match.group(1)) if match else None


def minor_hints(prefix: str, windows: bool) -> list[tuple[str, bool]]:
    """(major.minor, free-threaded) pairs the installation's stdlib folders or DLLs name."""
    hints: list[tuple[str, bool]] = []
    if windows:
        for entry in _listdir(prefix):
            match = _DLL.match(entry)
            if match:
                hints.append((f"{match.group(1)}.{match.group(2)}", match.group(3) is not None))
    else:
        for entry in _listdir(os.path.join(prefix, "lib")):
            match = _LIB_DIR.match(entry)
            if match:
                hints.append((match.group(1), match.group(2) is not None))
    return hints


def read_patchlevel(prefix: str, minor: str | None, free_threaded: bool, windows: bool) -> DiskVersion | None:
    """PY_VERSION from the installation's headers; with `minor` unknown, only when one header folder."""
    if windows:
        candidates = [(os.path.join(prefix, "include", "patchlevel.h"), free_threaded)]
    else:
        include = os.path.join(prefix, "include")
        found = []
        for entry in _listdir(include):
            match = _INCLUDE_DIR.match(entry)
            if match and (minor is None or match.group(2) == minor):
                found.append((entry, match.group(3) is not None))
        if minor is None and len({name.rstrip("dm") for name, _ in found}) > 1:
            return None
        # The free-threaded headers live in pythonX.Yt: look there first for a free-threaded executable.
        found.sort(key=lambda item: item[1] != free_threaded)
        candidates = [(os.path.join(include, name, "patchlevel.h"), ft) for name, ft in found]
    for path, ft in candidates:
        text = _read_text(path)
        version = parse_patchlevel(text) if text is not None else None
        if version is not None:
            return DiskVersion(version, ft, "patchlevel.h")
    return None


def read_conda_version(prefix: str) -> DiskVersion | None:
    entries = _listdir(os.path.join(prefix, "conda-meta"))
    free_threaded = any(entry.startswith("python-freethreading-") for entry in entries)
    for entry in entries:
        match = _CONDA_PYTHON.match(entry)
        if match:
            return DiskVersion(match.group(1), free_threaded, "conda-meta")
    return None


def scan_executable(path: str, minor: str) -> str | None:
    """PY_VERSION inside a statically linked executable (Debian's /usr/bin/python3.X), when unambiguous."""
    escaped = re.escape(minor).encode()
    pattern = re.compile(rb"\x00(" + escaped + rb"\.\d+(?:(?:a|b|rc)\d+)?)\+?\x00")
    try:
        with boundedread.open_regular(path, boundedread.EXECUTABLE) as file:
            if os.fstat(file.fileno()).st_size == 0:
                return None
            with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
                # PY_VERSION is a string of its own (NUL before and after). Where the linker merged it
                # into the tail of a longer string (".../versions/3.12.1") it cannot be told from a
                # path, so such a file gives no answer; neither do two different candidates.
                found = {match.group(1) for match in pattern.finditer(data)}
    except (OSError, ValueError):
        return None
    return found.pop().decode() if len(found) == 1 else None


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def _read_text(path: str) -> str | None:
    try:
        return boundedread.read_text(path, boundedread.C_HEADER, errors="replace")
    except OSError:
        return None
