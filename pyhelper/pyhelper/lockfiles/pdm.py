"""pdm.lock: PDM's content hash, and the requirements that explain a mismatch.

`pdm lock --check` (PDM 2.29) compares the lock's `content_hash` with the sha256 of
`json.dumps({sources, dependencies, dev-dependencies, optional-dependencies, requires-python,
resolution}, sort_keys=True)` (`PyProject.content_hash`), where dev-dependencies merges
`[dependency-groups]` and `[tool.pdm.dev-dependencies]` under normalised group names. Locks written
with `lock_inputs` enabled record the project's inputs instead, compared as PDM compares them
(`_lock_inputs_findings`).
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


def content_hash(data: dict[str, Any], algorithm: str = "sha256") -> str | None:  # pragma: no mutate
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
    hasher.update(json.dumps(dump, sort_keys=True, default=str).encode("utf-8"))  # pragma: no mutate
    # shake_* digests need a length; PDM's hexdigest() without one fails, so no recorded value matches.
    return hasher.hexdigest() if hasher.digest_size else None


def check(doc: TomlDocument, lock: PdmLock) -> list[Finding]:
    view = LockView(lock.doc.path, _FIX, lock.versions)
    wants = [Want(item) for item in _wanted(doc, lock)]
    pinpointed = compare_requirements(wants, None, view, "") + _requires_python(doc, lock)
    inputs = get_in(lock.doc.data, ("metadata", "lock_inputs"))
    if inputs is not None:
        return pinpointed + _lock_inputs_findings(doc, lock, inputs)
    recorded = get_in(lock.doc.data, ("metadata", "content_hash"))
    text = recorded if isinstance(recorded, str) else ""
    algorithm, _, value = text.partition(":")  # pragma: no mutate
    # With `lock_inputs = true` set, PDM no longer trusts a lock that records only a hash.
    wants_inputs = get_in(doc.data, ("tool", "pdm", "resolution", "lock_inputs")) is True
    matches = bool(value) and not wants_inputs and value == content_hash(doc.data, algorithm)
    hash_range = lock.doc.range_of(("metadata", "content_hash")) or Range.at(0)
    return hashed_lock_findings(
        pinpointed, matches=matches, lock=view, hash_range=hash_range, check_command="pdm lock --check"
    )


def _lock_inputs_findings(doc: TomlDocument, lock: PdmLock, recorded: object) -> list[Finding]:
    """A lock written with PDM's `lock_inputs` (PDM 2.29, `[tool.pdm.resolution] lock_inputs = true`)
    records the project's inputs instead of a hash: per group the requirements without their
    specifiers, requires-python, the resolution settings and the sources (pdm's
    lockfile/freshness.py). `pdm lock --check` passes when they are unchanged and the locked versions
    satisfy every specifier (the requirement-level findings). A workspace's or a local package's
    inputs are not computed here: for those only the requirement-level findings count."""
    project = table(recorded).get("project")
    if not isinstance(project, dict) or set(table(recorded)) != {"project"} or "local" in project:
        if isinstance(recorded, dict):
            return []
        return [_inputs_stale(lock, "its lock_inputs are not a table")]
    current = lock_inputs(doc.data)
    if current is None:
        return []
    return [
        _inputs_stale(lock, f"its lock_inputs record other {what}")
        for what, key in (
            ("groups", "groups"),
            ("requires-python", "requires-python"),
            ("resolution settings", "resolution"),
            ("sources", "sources"),
        )
        if _builtin(project.get(key)) != current[key]
    ]


def _inputs_stale(lock: PdmLock, why: str) -> Finding:
    return Finding(
        lock.doc.path,
        lock.doc.range_of(("metadata", "lock_inputs")) or Range.at(0),
        Severity.WARNING,
        codes.LOCK_STALE,
        f"pyproject.toml changed since pdm.lock was made ({why}), so `pdm lock --check` fails — {_FIX}",
    )


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def lock_inputs(data: dict[str, Any]) -> dict[str, Any] | None:
    """PDM's `build_lock_inputs(project)["project"]` for a project without local path requirements
    (None when it has one, or a requirement that does not parse: those inputs are not computed)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    project = table(data.get("project"))
    settings = table(get_in(data, ("tool", "pdm")))
    lines: dict[str, list[str]] = {}
    try:
        for group, items in _groups(data).items():
            lines[group] = sorted(_input_line(Requirement(item)) for item in items)
        python = str(SpecifierSet(project.get("requires-python", "")))
    except (InvalidRequirement, InvalidSpecifier, TypeError, ValueError):
        return None
    resolution = _builtin(table(settings.get("resolution")))
    resolution.pop("lock_inputs", None)
    sources = []
    listed = settings.get("source")
    for source in listed if isinstance(listed, list) else []:
        item = {k: v for k, v in table(source).items() if k not in ("username", "password")}
        if item.get("url"):
            item["url"] = _fingerprint(str(item["url"]))
        for key in ("include_packages", "exclude_packages"):
            if isinstance(item.get(key), list):
                item[key] = sorted(item[key])
        sources.append(_sanitized(_builtin(item)))
    return {
        "groups": lines,
        "requires-python": python,
        "resolution": _sanitized(resolution),
        "sources": sources,
    }


def _input_line(requirement: Any) -> str:
    """PDM's `_requirement_input`: a named requirement as `Name[extras]; marker`, its specifier left out."""
    if requirement.url:
        # PDM's input for it is a fingerprint of PDM's own spelling of the URL or path.
        raise ValueError("a URL or path requirement")  # pragma: no mutate
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    marker = f"; {requirement.marker}" if requirement.marker else ""
    return re.sub(r"[-_.]+", "-", requirement.name) + extras + marker


def _groups(data: dict[str, Any]) -> dict[str, list[str]]:
    """Every group's requirement strings as PDM's `_resolve_dependencies` lists them: `default`, the
    extras, the dependency groups (with `tool.pdm.dev-dependencies`), under normalised names, each with
    the requirements of the groups it refers to (`include-group`, the project's own extras) added.

    One level only, as PDM 2.29 does it: a group gets what the groups it refers to list themselves, not
    what those refer to in turn (`dev` including `lint` including `test` gets `lint`'s own, not `test`'s).
    """
    project = table(data.get("project"))
    name = _normalize(str(project.get("name", "")))
    optional = {_normalize(k): v for k, v in table(project.get("optional-dependencies")).items()}
    metadata = {"default": project.get("dependencies", []), **optional}
    dev: dict[str, list[Any]] = {}
    for group, items in table(data.get("dependency-groups")).items():
        dev[_normalize(group)] = list(items)
    for group, items in table(get_in(data, ("tool", "pdm", "dev-dependencies"))).items():
        dev.setdefault(_normalize(group), []).extend(items)

    def own(group: str) -> tuple[list[str], dict[str, None]]:
        """The group's own requirement strings, and the groups it refers to."""
        found: list[str] = []
        referred: dict[str, None] = {}
        for item in metadata.get(group, dev.get(group, [])):
            if isinstance(item, dict) and isinstance(item.get("include-group"), str):
                referred[_normalize(item["include-group"])] = None
            elif isinstance(item, str):
                itself = re.fullmatch(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?\s*", item)
                if itself and _normalize(itself[1]) == name:
                    referred.update(
                        dict.fromkeys(_normalize(e) for e in (itself[2] or "").split(",") if e.strip())
                    )
                else:
                    found.append(item)
            else:
                raise TypeError(item)  # pragma: no mutate
        return found, referred

    listed = {group: own(group) for group in {**metadata, **dev}}
    return {
        group: items + [line for ref in referred if ref in listed for line in listed[ref][0]]
        for group, (items, referred) in listed.items()
    }


def _builtin(value: object) -> Any:
    # TOML dates are written by PDM as ISO text (`_to_builtin(allow_temporal=True)`).
    if isinstance(value, dict):
        return {k: _builtin(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_builtin(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _sanitized(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sanitized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_sanitized(v) for v in value]
    return _fingerprint(value) if isinstance(value, str) and _URL.search(value) else value


def _fingerprint(text: str) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()  # pragma: no mutate


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
    entries=PdmLock.entries,
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
