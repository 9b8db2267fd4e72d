"""Lockfile drift: does a project's lock still match its pyproject.toml, and if not, exactly where?

API (pure: no subprocess, no LSP; the server calls it on every change of the buffer)::

    from pyhelper.drift import check_project, check_tree
    from pyhelper.lockfiles import LockCache

    cache = LockCache()                 # keep one per server; parses each lock once per content
    findings = check_project(project_root, pyproject_text=unsaved_buffer, cache=cache)

`check_project(project_root, *, pyproject_text=None, cache=None) -> list[Finding]` checks the project
whose `pyproject.toml` sits in `project_root`. `pyproject_text` stands in for that file's content (the
editor's unsaved buffer). The lock that applies is found here: `uv.lock`, `poetry.lock`, `pdm.lock`
and `pylock.toml`/`pylock.*.toml` beside the pyproject, or for a uv workspace member the workspace
root's `uv.lock` (then the whole workspace is checked, members' own pyproject files included).
Findings may concern any of those pyproject files or the lockfile: each carries its path. Codes:

- `lock-missing-package` (error): a requirement names a package the lock does not hold.
- `lock-unsatisfied` (error): the locked version does not satisfy the requirement.
- `lock-stale` (warning): the lock still satisfies it, but the tool's check fails (uv recorded
  another requirement; poetry/pdm: the content hash changed and nothing more precise was found).
- `lock-requires-python` (error): requires-python differs from the lock's.
- `lock-extraneous` (warning, on the lock): the lock records a requirement pyproject no longer has.
- `lock-invalid` (error, on the lock): an entry the tool would refuse (e.g. a version edited by hand).
- `lock-missing` (information): the project's manager uses a lockfile and there is none.
- `toml-syntax` (error): a file does not parse; reported at the error's line and column.
- `lock-too-large` (information, on the lock): the lock is over `MAX_LOCK_BYTES` and is not checked.
- `requirement-invalid` (error): a requirement string that is not PEP 508.

A project is in sync when no finding is an error or a warning (`is_drift`).
`check_tree(path, cache)` checks every project under a folder (the CLI's unit of work).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pyhelper.findings import Finding, Range, Severity
from pyhelper.lockfiles import LockCache, LockFormat, UnreadableFile, find_lockfiles
from pyhelper.tomlfile import TomlDocument, parse_toml, read_toml

__all__ = ["LockCache", "check_project", "check_tree", "detect_manager", "is_drift"]

_SKIPPED_DIRS = frozenset({".venv", "venv", "node_modules", ".git", "__pycache__", ".tox", ".nox"})
_LOCK_FOR_MANAGER: dict[str, tuple[str, str]] = {
    "uv": ("uv.lock", "uv lock"),
    "poetry": ("poetry.lock", "poetry lock"),
    "pdm": ("pdm.lock", "pdm lock"),
}


def is_drift(findings: list[Finding]) -> bool:
    return any(f.severity <= Severity.WARNING for f in findings)


class _Loader:
    """Reads pyproject files, with the editor's buffer standing in for one of them."""

    def __init__(self, override: Path, text: str | None) -> None:
        self.override = override
        self.text = text

    def __call__(self, path: Path) -> TomlDocument | Finding:
        if self.text is not None and path == self.override:
            return parse_toml(path, self.text)
        return read_toml(path)


def check_project(
    project_root: Path, *, pyproject_text: str | None = None, cache: LockCache | None = None
) -> list[Finding]:
    project_root = Path(os.path.abspath(project_root))
    cache = cache if cache is not None else LockCache()
    load = _Loader(project_root / "pyproject.toml", pyproject_text)
    doc = load(project_root / "pyproject.toml")
    if isinstance(doc, Finding):
        return [doc]
    locks = find_lockfiles(project_root)
    root, root_doc = project_root, doc
    if not any(fmt == "uv" for fmt, _ in locks) and "project" in doc.data:
        from pyhelper.lockfiles import uv

        workspace = uv.workspace_root(project_root, load)
        if workspace != project_root:
            loaded = load(workspace / "pyproject.toml")
            if isinstance(loaded, Finding):
                return [loaded]
            root, root_doc = workspace, loaded
            locks = [(fmt, path) for fmt, path in find_lockfiles(workspace) if fmt == "uv"]
    if not locks:
        return _missing_lock(doc)
    findings: list[Finding] = []
    for fmt, path in locks:
        try:
            findings.extend(_check_lock(fmt, path, root, root_doc, load, cache))
        except UnreadableFile as error:
            findings.append(error.finding)
    return _unique(findings)


def _check_lock(
    fmt: LockFormat, path: Path, root: Path, doc: TomlDocument, load: _Loader, cache: LockCache
) -> list[Finding]:
    if fmt == "uv":
        from pyhelper.lockfiles import uv

        uv_lock = cache.get(path, fmt, uv.parse_lock)
        return [uv_lock] if isinstance(uv_lock, Finding) else uv.check(root, doc, uv_lock, load)
    if fmt == "poetry":
        from pyhelper.lockfiles import poetry

        poetry_lock = cache.get(path, fmt, poetry.parse_lock)
        return [poetry_lock] if isinstance(poetry_lock, Finding) else poetry.check(doc, poetry_lock)
    if fmt == "pdm":
        from pyhelper.lockfiles import pdm

        pdm_lock = cache.get(path, fmt, pdm.parse_lock)
        return [pdm_lock] if isinstance(pdm_lock, Finding) else pdm.check(doc, pdm_lock)
    from pyhelper.lockfiles import pylock

    py_lock = cache.get(path, fmt, pylock.parse_lock)
    return [py_lock] if isinstance(py_lock, Finding) else pylock.check(doc, py_lock)


def detect_manager(data: dict[str, Any]) -> str | None:
    """The manager a pyproject declares (uv, poetry, pdm), when it names one that uses a lockfile."""
    from pyhelper.requirements import table

    tool = table(data.get("tool"))
    backend = table(data.get("build-system")).get("build-backend")
    if "uv" in tool:
        return "uv"
    if "poetry" in tool or (isinstance(backend, str) and backend.startswith("poetry.")):
        return "poetry"
    if "pdm" in tool:
        return "pdm"
    return None


def _missing_lock(doc: TomlDocument) -> list[Finding]:
    manager = detect_manager(doc.data)
    if manager is None:
        return []
    lock_name, command = _LOCK_FOR_MANAGER[manager]
    where = doc.range_of(("tool", manager)) or doc.range_of(("build-system",)) or doc.range_of(("project",))
    return [
        Finding(
            doc.path,
            where or Range.at(0),
            Severity.INFORMATION,
            "lock-missing",
            f"this {manager} project has no {lock_name} — run `{command}` to pin its dependencies",
        )
    ]


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    return [f for f in findings if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]


def find_projects(folder: Path) -> Iterator[Path]:
    """Folders holding a pyproject.toml under `folder` (itself included), skipping venvs and caches.

    Raises OSError for a folder that cannot be read: it must not pass for a folder without projects.
    """
    for current, dirs, files in os.walk(folder, onerror=_unless_vanished):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith(".tox"))
        if "pyproject.toml" in files:
            yield Path(current)


def _unless_vanished(error: OSError) -> None:
    if not isinstance(error, FileNotFoundError):  # removed while walking: nothing left to check
        raise error


def check_tree(folder: Path, cache: LockCache | None = None) -> list[Finding]:
    """Check every project under `folder`; a uv workspace is checked once, from its root."""
    cache = cache if cache is not None else LockCache()
    findings: dict[Finding, None] = {}
    done: set[Path] = set()
    for project in find_projects(Path(os.path.abspath(folder))):
        if project in done:
            continue
        results = check_project(project, cache=cache)
        done.add(project)
        findings.update(dict.fromkeys(results))
        # Members were checked along with their workspace root.
        done.update(f.path.parent for f in results if f.path.name == "pyproject.toml")
    return list(findings)
