"""The packages a project's lock pins, read through the lock formats' registry, with where each one
is required in pyproject.toml: directly, or through which chain of locked dependencies."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any, NamedTuple

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from pyhelper.drift.environment import requirement_places
from pyhelper.findings import Finding, Range
from pyhelper.health.index import project_default_index
from pyhelper.lockfiles import LockCache, UnreadableFile, registry
from pyhelper.lockfiles.format import LockEntry, LockFormat
from pyhelper.lockfiles.poetry import to_pep440
from pyhelper.requirements import get_in
from pyhelper.tomlfile import TomlDocument, read_toml


class Required(NamedTuple):
    """Where a package is required in the pyproject, and what versions it allows there."""

    range: Range
    allowed: SpecifierSet | None


class LockedProject(NamedTuple):
    pyproject: TomlDocument
    lockfile: Path
    format: LockFormat[Any]
    entries: list[LockEntry]
    default_index: str
    required: dict[str, Required]
    """The first place each directly required package (PEP 503 name) is declared."""
    chains: dict[str, tuple[str, ...]]
    """For each locked package reachable from a direct requirement: the shortest chain of names from it
    (`("alpha", "beta")`: beta comes in through alpha; a direct one is its own one-name chain)."""

    def index_of(self, entry: LockEntry) -> str:
        return entry.index_url or self.default_index


def locked_project(pyproject: Path, cache: LockCache) -> LockedProject | Finding | None:
    """The project at `pyproject` and the first lock beside it (the manager's lock before a pylock.toml);
    None without a lock; the finding of a pyproject or lock that cannot be read."""
    doc = read_toml(pyproject)
    if isinstance(doc, Finding):
        return doc
    locks = registry.find_lockfiles(pyproject.parent)
    if not locks:
        return None
    fmt, lockfile = locks[0]
    try:
        lock = cache.get(lockfile, fmt.name, fmt.parse)
    except UnreadableFile as error:
        return error.finding
    if isinstance(lock, Finding):
        return lock
    entries = list(fmt.entries(lock))
    required = _required(doc)
    return LockedProject(
        doc, lockfile, fmt, entries, project_default_index(doc.data), required, _chains(required, entries)
    )


def _required(doc: TomlDocument) -> dict[str, Required]:
    found: dict[str, Required] = {}
    for name, path, is_key in requirement_places(doc):
        if name in found:
            continue
        span = doc.key_span(path) if is_key else doc.span(path)
        if span is not None:
            found[name] = Required(doc.range(span), _allowed(get_in(doc.data, path), is_key))
    return found


def _allowed(value: object, is_key: bool) -> SpecifierSet | None:
    """The versions a requirement allows: a PEP 508 string's, or a Poetry constraint's."""
    try:
        if is_key:
            constraint = value.get("version") if isinstance(value, dict) else value
            pep440 = to_pep440(constraint) if isinstance(constraint, str) else None
            return SpecifierSet(pep440) if pep440 is not None else None
        return Requirement(value).specifier if isinstance(value, str) else None
    except (InvalidRequirement, InvalidSpecifier):
        return None


def _chains(required: dict[str, Required], entries: list[LockEntry]) -> dict[str, tuple[str, ...]]:
    depends: dict[str, list[str]] = {}
    for entry in entries:
        depends.setdefault(entry.name, []).extend(entry.dependencies)
    chains: dict[str, tuple[str, ...]] = {name: (name,) for name in required if name in depends}
    queue = deque(chains)
    while queue:
        name = queue.popleft()
        for dependency in depends.get(name, ()):
            if dependency not in chains:
                chains[dependency] = (*chains[name], dependency)
                queue.append(dependency)
    return chains
