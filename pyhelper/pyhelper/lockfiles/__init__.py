"""Lock formats: one module per format (uv, poetry, pdm, pylock), one registry, and what they share.

Each format module reads its lock into a small model, compares it with the project's pyproject files
(giving findings), and says what the lock installs into an environment; it exports all it knows as
one `LockFormat` object (`pyhelper.lockfiles.format`) called `FORMAT`. `registry.FORMATS` lists them;
drift, environment drift, project scanning, environment creation and the server look formats up
there. Shared by all formats: this module (which lockfiles a project has is in the registry; the
cache that parses a lock once per content; the reading of a file that may be rewritten while read),
`compare` (requirements against what a lock records), `selection` (marker environment, selection and
pinned installs).

How to add a lock format:

1. Write `pyhelper/lockfiles/<name>.py`: a `parse_lock(path, text)` returning your lock model (or the
   `toml-syntax` finding of `tomlfile.parse_toml`), a `check` giving findings (build them with
   `compare.compare_requirements` and, for a lock that records a hash of its inputs,
   `compare.hashed_lock_findings`), and at the end `FORMAT = LockFormat(name=..., manager=...,
   file_names=(...), parse=..., check=..., versions=..., ...)`; the optional fields (selection for an
   environment, install and lock commands, a workspace's shared lock) are documented on `LockFormat`.
2. Add `<name>.FORMAT` to `FORMATS` in `registry.py`: its place in the tuple is its precedence when a
   folder holds several locks.

Format modules never import each other: the `lock-formats-independent` contract in
`pyhelper/pyproject.toml` checks it for the modules it lists (add yours there).

A format of a new manager also adds the manager's name to `format.Manager` (the protocol's `Manager`
and its TypeScript twin follow it). `tests/drift/test_format_registry.py` registers a toy format this
way and sees it found and checked end to end.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from pyhelper import boundedread, codes
from pyhelper.findings import Finding, Range, Severity
from pyhelper.lockfiles.format import LockEntry
from pyhelper.requirements import canonicalize_name
from pyhelper.tomlfile import MAX_VALUES, TOMLDecodeError, TomlDocument, loads, structure_count

T = TypeVar("T")

# How long a read waits for a cut-off lock to be written whole, polling its stat, before giving up
# with the `lock-changing` finding (see read_text_stable).
_WHOLE_LIMIT = 2.0
_POLL_SECONDS = 0.02
# Locks larger than the bounded reader's cap get a finding saying they are not checked.
MAX_LOCK_BYTES = boundedread.LOCKFILE.max_bytes


class UnreadableFile(Exception):
    """The file could not be read; `finding` says why, at the file's first line."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def read_text_stable(path: Path) -> tuple[str, os.stat_result]:
    """Read a UTF-8 file that a tool may be rewriting: never return a torn read.

    A read counts when the file is the same file, with the same size and mtime, before and after it,
    and holds what a writer leaves when it is done: something, ending with a line break (every lock
    writer ends its file with one). A tool rewriting in place truncates, then writes in pieces, and
    may be paused anywhere: an empty file or one cut off mid-line is waited for until it changes (the
    pause may be long on a loaded machine; its length proves nothing). One not whole after
    `_WHOLE_LIMIT` seconds raises UnreadableFile with a `lock-changing` finding (the live check reads
    it again on its next change), unless it parses: a lock edited by hand may lack the final newline.
    A piece that happens to end with a line break is the one torn read this cannot see; it is read
    whole again when the writer's next piece changes the file.
    """
    deadline = time.monotonic() + _WHOLE_LIMIT
    while True:
        try:
            before = path.stat()
            data = boundedread.read_bytes(path, boundedread.LOCKFILE)
            after = path.stat()
        except OSError as error:
            raise UnreadableFile(_unreadable(path, error.strerror or str(error))) from error
        if file_identity(before) == file_identity(after) and len(data) == after.st_size:
            if data.endswith(b"\n"):
                break
            if not _changes_by(path, after, deadline):
                if data and _is_toml(data):
                    break  # still for the whole wait and complete: a hand-edited lock without a final newline
                raise UnreadableFile(_changing(path))
        elif time.monotonic() > deadline:
            raise UnreadableFile(_changing(path))
    try:
        return data.decode("utf-8"), after
    except UnicodeDecodeError as error:
        raise UnreadableFile(_unreadable(path, f"not UTF-8 text ({error.reason})")) from error


def file_identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What changes when a file is rewritten in place (size, mtime) or replaced (device, inode)."""
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def _changes_by(path: Path, read: os.stat_result, deadline: float) -> bool:
    """Whether the file differs from the cut-off `read` before `deadline` (polling its stat). One that
    can no longer be stat'ed changed too: the next read says why it cannot be read."""
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        try:
            if file_identity(path.stat()) != file_identity(read):
                return True
        except OSError:
            return True
    return False


def _is_toml(data: bytes) -> bool:
    try:
        loads(data.decode("utf-8"))  # pragma: no mutate
    except (UnicodeDecodeError, TOMLDecodeError):
        return False
    return True


def _changing(path: Path) -> Finding:
    return Finding(
        path,
        Range.at(0),
        Severity.INFORMATION,
        codes.LOCK_CHANGING,
        f"{path.name} is still being written (it was cut off or kept changing while read); it is checked "
        "again when it changes next.",
    )


def _unreadable(path: Path, reason: str) -> Finding:
    return Finding(
        path, Range.at(0), Severity.ERROR, codes.TOML_SYNTAX, f"{path.name} cannot be read: {reason}"
    )


def _too_large(path: Path, size: int) -> Finding:
    return Finding(
        path,
        Range.at(0),
        Severity.INFORMATION,
        codes.LOCK_TOO_LARGE,
        f"{path.name} is {size / 2**20:.1f} MB; Lockstep does not check lockfiles over "
        f"{MAX_LOCK_BYTES // 2**20} MB for drift",
    )


class _Entry:
    __slots__ = ("_weight", "digest", "mtime_ns", "size", "text", "value")

    def __init__(self, size: int, mtime_ns: int, text: str, value: object) -> None:
        self.size, self.mtime_ns, self.text, self.value = size, mtime_ns, text, value
        self.digest: bytes | None = None
        self._weight: int | None = None

    @property
    def weight(self) -> int:
        # Counted only when a second lock is cached: a one-shot check of one lock never pays for it.
        if self._weight is None:
            self._weight = structure_count(self.text)
        return self._weight

    def same_content(self, text: str) -> bool:
        # Hashed only when a stat change makes it necessary, so a first read never pays for hashlib.
        if self.digest is None:
            self.digest = _digest(self.text)
        return len(text) == len(self.text) and _digest(text) == self.digest


def _digest(text: str) -> bytes:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).digest()  # pragma: no mutate


class LockCache:
    """Parsed lockfiles keyed by path, checked against size, mtime and content hash.

    A stat that matches returns the parsed lock without reading; a changed stat with identical bytes
    (a touch, a rewrite with the same content) returns it after one read and hash, without parsing.
    What is kept is bounded: once the cached texts hold more than `MAX_CACHED_VALUES` keys and values
    (tomlfile's upper bound, which tracks the memory of the parsed lock), the least recently used go.
    """

    MAX_CACHED_VALUES = MAX_VALUES

    def __init__(self) -> None:
        # In order of use, the most recent last.
        self._entries: dict[tuple[Path, str], _Entry] = {}
        self._weight: int | None = None
        """The entries' weights summed, kept as they come and go (a sum per use would make checking a
        workspace of n projects quadratic); None until a second lock is cached, which first needs it."""

    def get(
        self,
        path: Path,
        kind: str,
        parse: Callable[[Path, str], T],
        revise: Callable[[Path, str, T], T] | None = None,
    ) -> T:
        """The parsed lock at `path`; `kind` names the parser, so one cache serves every format.
        `revise`, when given, parses a changed file instead of `parse`, from the value of its last
        version (which it must not change)."""
        key = (path, kind)
        entry = self._entries.get(key)
        try:
            stat = path.stat()
        except OSError as error:
            self._drop(key)
            raise UnreadableFile(_unreadable(path, error.strerror or str(error))) from error
        if entry and (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return cast(T, self._keep(key, entry).value)
        if stat.st_size > MAX_LOCK_BYTES:
            self._drop(key)
            raise UnreadableFile(_too_large(path, stat.st_size))
        text, stat = read_text_stable(path)
        if entry and entry.same_content(text):
            entry.size, entry.mtime_ns, entry.text = stat.st_size, stat.st_mtime_ns, text
            return cast(T, self._keep(key, entry).value)
        value = (
            parse(path, text) if entry is None or revise is None else revise(path, text, cast(T, entry.value))
        )
        if isinstance(value, Finding):  # not parsed, nothing worth keeping (but up to 16 MB of text)
            self._drop(key)
        else:
            self._keep(key, _Entry(stat.st_size, stat.st_mtime_ns, text, value))
        return value

    def _keep(self, key: tuple[Path, str], entry: _Entry) -> _Entry:
        """Store `entry` as the most recently used; drop the least recently used beyond the budget."""
        self._drop(key)
        self._entries[key] = entry
        if self._weight is not None:
            self._weight += entry.weight
        elif len(self._entries) > 1:
            self._weight = sum(e.weight for e in self._entries.values())
        while len(self._entries) > 1 and (self._weight or 0) > self.MAX_CACHED_VALUES:
            self._drop(next(iter(self._entries)))
        return entry

    def _drop(self, key: tuple[Path, str]) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None and self._weight is not None:
            self._weight -= entry.weight

    def forget(self, path: Path) -> None:
        for key in [key for key in self._entries if key[0] == path]:
            self._drop(key)


def versions_by_name(
    packages: object, include: Callable[[dict[str, Any]], bool] = lambda _: True
) -> dict[str, list[str | None]]:
    """Locked versions by PEP 503 name, from a lock's array of package tables."""
    found: dict[str, list[str | None]] = {}
    for package in packages if isinstance(packages, list) else []:
        if isinstance(package, dict) and isinstance(package.get("name"), str) and include(package):
            version = package.get("version")
            found.setdefault(canonicalize_name(package["name"]), []).append(
                version if isinstance(version, str) else None
            )
    return found


class TableLock:
    """A lock read whole by tomllib, whose `[[package]]` tables give name and version (poetry, pdm)."""

    packages_key = "package"

    def __init__(self, doc: TomlDocument) -> None:
        self.doc = doc
        self.by_name = self._read_versions()

    def _read_versions(self) -> dict[str, list[str | None]]:
        return versions_by_name(self.doc.data.get(self.packages_key))

    def versions(self, name: str) -> list[str | None]:
        return self.by_name.get(name, [])

    def entries(self) -> list[LockEntry]:
        """Poetry's `dependencies` table, PDM's list of PEP 508 strings, pylock's list of tables; a package
        from a path, a URL or git (Poetry's `source.type`, PDM's and pylock's own keys) is no index's."""
        found: list[LockEntry] = []
        packages = self.doc.data.get(self.packages_key)
        for at, package in enumerate(packages if isinstance(packages, list) else []):
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                continue
            version = package.get("version")
            source = package.get("source")
            source = source if isinstance(source, dict) else {}
            kind = source.get("type")
            index = source.get("url") if kind == "legacy" else package.get("index")
            local = (kind not in (None, "legacy")) or any(key in package for key in _NOT_FROM_AN_INDEX)
            where = self.doc.range_of((self.packages_key, at, "name")) or Range.at(0)
            found.append(
                LockEntry(
                    canonicalize_name(package["name"]),
                    version if isinstance(version, str) else None,
                    where,
                    index if isinstance(index, str) else None,
                    not local,
                    _dependency_names(package.get("dependencies")),
                )
            )
        return found


# Keys of a PDM or pylock.toml package entry that say where it comes from when that is no index.
_NOT_FROM_AN_INDEX = ("path", "url", "git", "vcs", "directory", "archive")


def _dependency_names(value: object) -> tuple[str, ...]:
    if isinstance(value, dict):
        names = [str(key) for key in value]
    elif isinstance(value, list):
        names = [_requirement_name(item) for item in value]
    else:
        names = []
    return tuple(dict.fromkeys(canonicalize_name(name) for name in names if name))


def _requirement_name(item: object) -> str:
    if isinstance(item, dict):
        name = item.get("name")
        return name if isinstance(name, str) else ""
    if isinstance(item, str):
        match = _NAME.match(item)
        return match.group(0) if match else ""
    return ""


_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


# A uv.lock entry for the project itself (or a workspace member) installs nothing from an index.
_LOCAL_SOURCE = ("source = { virtual = ", "source = { editable = ")


def count_locked_packages(lockfile: Path) -> int | None:
    """How many packages the lock pins (the project's own entries left out), for "install 48 locked
    packages?"; None when the lock cannot be read. uv, Poetry and PDM all write one `[[package]]`
    table per package at the start of a line."""
    try:
        text, _ = read_text_stable(lockfile)
    except UnreadableFile:
        return None
    entries = text.split("\n[[package]]\n")[1:]
    return sum(1 for entry in entries if not any(marker in entry for marker in _LOCAL_SOURCE))
