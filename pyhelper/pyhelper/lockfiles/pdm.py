"""pdm.lock: PDM's content hash, and the requirements that explain a mismatch.

`pdm lock --check` (PDM 2.29) compares the lock's `content_hash` with the sha256 of
`json.dumps({sources, dependencies, dev-dependencies, optional-dependencies, requires-python,
resolution}, sort_keys=True)` (`PyProject.content_hash`), where dev-dependencies merges
`[dependency-groups]` and `[tool.pdm.dev-dependencies]` under normalised group names. Locks written
with `lock_inputs` enabled are checked by PDM in another way; for those only what the lock holds
against each requirement is checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyhelper import codes
from pyhelper.findings import Finding, Range, Severity
from pyhelper.lockfiles import TableLock
from pyhelper.lockfiles.compare import LockView, Want, compare_requirements, hashed_lock_findings
from pyhelper.lockfiles.format import LockFormat, RequirementPlace, Selecting, in_lists, of_pyproject
from pyhelper.requirements import (
    Declared,
    dependency_groups,
    get_in,
    python_ranges_equal,
    requirement_list,
    table,
)
from pyhelper.tomlfile import TomlDocument, parse_toml

if TYPE_CHECKING:
    from pyhelper.lockfiles.selection import Locked, PinnedInstall

_FIX = "run `pdm lock`"


PdmLock = TableLock


def parse_lock(path: Path, text: str) -> PdmLock | Finding:
    doc = parse_toml(path, text)
    return doc if isinstance(doc, Finding) else PdmLock(doc)


def _normalize(name: str) -> str:
    # PDM's normalize_name (lowercase, runs of -_. as one dash), the same as PEP 503.
    return re.sub(r"[-_.]+", "-", name).lower()


def content_hash(data: dict[str, Any], algorithm: str = "sha256") -> str | None:
    """PDM's hash of a parsed pyproject, hex, with the `hashlib` algorithm the lock names (PDM calls
    `hashlib.new(algorithm)`); None when PDM fails to hash (an algorithm hashlib lacks, a group
    that is not a list)."""
    import hashlib
    import json

    project = table(data.get("project"))
    settings = table(get_in(data, ("tool", "pdm")))
    groups: dict[str, list[Any]] = {}
    try:
        # PDM's `list(deps)` and `extend(deps)`: a group that is a string is hashed as its characters,
        # a table as its keys, and anything else is a TypeError, which fails `pdm lock --check` too.
        for group, items in table(data.get("dependency-groups")).items():
            groups[_normalize(group)] = list(items)
        for group, items in table(settings.get("dev-dependencies")).items():
            groups.setdefault(_normalize(group), []).extend(items)
    except TypeError:
        return None
    dump = {
        "sources": settings.get("source", []),
        "dependencies": project.get("dependencies", []),
        "dev-dependencies": groups,
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python", ""),
        "resolution": settings.get("resolution", {}),
    }
    try:
        hasher = hashlib.new(algorithm)
    except ValueError:
        return None
    # default=str: a TOML date where PDM expects text cannot match PDM's hash, but must not crash.
    hasher.update(json.dumps(dump, sort_keys=True, default=str).encode("utf-8"))
    # shake_* digests need a length; PDM's hexdigest() without one fails, so no recorded value matches.
    return hasher.hexdigest() if hasher.digest_size else None


def check(doc: TomlDocument, lock: PdmLock) -> list[Finding]:
    view = LockView(lock.doc.path, _FIX, lock.versions)
    wants = [Want(item) for item in _wanted(doc, lock)]
    pinpointed = compare_requirements(wants, None, view, "") + _requires_python(doc, lock)
    if get_in(lock.doc.data, ("metadata", "lock_inputs")) is not None:
        return pinpointed
    recorded = get_in(lock.doc.data, ("metadata", "content_hash"))
    algorithm, _, value = recorded.partition(":") if isinstance(recorded, str) else ("", "", "")
    matches = bool(value) and value == content_hash(doc.data, algorithm)
    hash_range = lock.doc.range_of(("metadata", "content_hash")) or Range.at(0)
    return hashed_lock_findings(
        pinpointed, matches=matches, lock=view, hash_range=hash_range, check_command="pdm lock --check"
    )


def _wanted(doc: TomlDocument, lock: PdmLock) -> list[Declared]:
    """Requirements of the groups the lock was made for (PDM locks optional groups only on request)."""
    locked = get_in(lock.doc.data, ("metadata", "groups"))
    groups = (
        {_normalize(g) for g in locked if isinstance(g, str)} if isinstance(locked, list) else {"default"}
    )
    items = requirement_list(doc, ("project", "dependencies")) if "default" in groups else []
    optional = get_in(doc.data, ("project", "optional-dependencies"))
    for extra in optional if isinstance(optional, dict) else {}:
        if _normalize(extra) in groups:
            items += requirement_list(doc, ("project", "optional-dependencies", extra))
    for group, declared in dependency_groups(doc).items():
        if group in groups:
            items += declared
    legacy = get_in(doc.data, ("tool", "pdm", "dev-dependencies"))
    for group in legacy if isinstance(legacy, dict) else {}:
        if _normalize(group) in groups:
            items += requirement_list(doc, ("tool", "pdm", "dev-dependencies", group))
    return items


def _requires_python(doc: TomlDocument, lock: PdmLock) -> list[Finding]:
    wanted = get_in(doc.data, ("project", "requires-python"))
    targets = get_in(lock.doc.data, ("metadata", "targets"))
    recorded = (
        [t.get("requires_python") for t in targets if isinstance(t, dict)]
        if isinstance(targets, list)
        else []
    )
    if (
        not isinstance(wanted, str)
        or not recorded
        or any(isinstance(r, str) and python_ranges_equal(r, wanted) for r in recorded)
    ):
        return []
    return [
        Finding(
            doc.path,
            doc.range_of(("project", "requires-python")) or Range.at(0),
            Severity.ERROR,
            codes.LOCK_REQUIRES_PYTHON,
            f"pdm.lock was resolved for Python {', '.join(map(str, recorded))}, but requires-python is now "
            f"{wanted} — {_FIX}",
        )
    ]


# ------------------------------------------------------------------------------------- the format


# Selection is imported when a venv is compared, never to check a lock (start-up time).
def _select(selecting: Selecting, lock: PdmLock) -> dict[str, Locked]:
    from pyhelper.lockfiles.selection import locked_from_pinned

    return locked_from_pinned(selecting, lock, _pinned(selecting, lock))


def _pinned(selecting: Selecting, lock: PdmLock) -> PinnedInstall:
    from pyhelper.lockfiles.selection import pinned_pdm

    return pinned_pdm(selecting, lock)


def _selection_inputs(data: Mapping[str, Any]) -> object:
    settings = table(get_in(data, ("tool", "pdm")))
    return (
        sorted(table(data.get("dependency-groups"))),
        settings.get("distribution"),
        sorted(table(settings.get("dev-dependencies"))),
    )


def _requirement_places(doc: TomlDocument) -> Iterator[RequirementPlace]:
    legacy = table(get_in(doc.data, ("tool", "pdm", "dev-dependencies")))
    return in_lists(doc, [("tool", "pdm", "dev-dependencies", group) for group in legacy])


FORMAT: LockFormat[PdmLock] = LockFormat(
    name="pdm",
    manager="pdm",
    parse=parse_lock,
    # `pdm sync --clean` never removes the packaging tools.
    sync_keeps=frozenset({"pip", "setuptools", "wheel"}),
    check=of_pyproject(check),
    versions=PdmLock.versions,
    file_names=("pdm.lock",),
    declared=lambda data: "pdm" in table(data.get("tool")),
    select=_select,
    selection_inputs=_selection_inputs,
    requirement_places=_requirement_places,
    install="pinned",
    pinned=_pinned,
    lock_command=("pdm", "lock"),
    lock_tool_docs="https://pdm-project.org/en/latest/#installation",
)
