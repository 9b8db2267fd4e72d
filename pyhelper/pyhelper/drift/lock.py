"""Lockfile drift: does a project's lock still match its pyproject.toml, and if not, exactly where?

API (pure: no subprocess, no LSP; the server calls it on every change of the buffer)::

    from pyhelper.drift.lock import check_project, check_tree
    from pyhelper.lockfiles import LockCache

    cache = LockCache()                 # keep one per server; parses each lock once per content
    findings = check_project(project_root, pyproject_text=unsaved_buffer, cache=cache)

`check_project(project_root, *, pyproject_text=None, pyproject=None, cache=None) -> list[Finding]`
checks the project whose `pyproject.toml` sits in `project_root`. `pyproject_text` stands in for that
file's content (the editor's unsaved buffer); `pyproject` is that file already parsed (the server
parses a buffer once per change and passes the document along). The lock that applies is found here:
`uv.lock`, `poetry.lock`, `pdm.lock` and `pylock.toml`/`pylock.*.toml` beside the pyproject, or for a
uv workspace member the workspace root's `uv.lock` (then the whole workspace is checked, members' own
pyproject files included).
Findings may concern any of those pyproject files or the lockfile: each carries its path. Their codes,
severities and quick fixes are the registry's (`pyhelper.codes`, listed in the README).

A project is in sync when no finding is an error or a warning (`is_drift`).
`check_tree(path, cache)` checks every project under a folder (the CLI's unit of work), found by the
editor's own walk (`walk.find_pyprojects`: the same folders skipped).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pyhelper import codes
from pyhelper.findings import Finding, Range, Related, Severity
from pyhelper.lockfiles import LockCache, UnreadableFile, registry
from pyhelper.lockfiles.format import Checking, LockFormat, Workspaces
from pyhelper.tomlfile import TomlDocument, parse_toml, read_toml
from pyhelper.walk import find_pyprojects

__all__ = ["LockCache", "check_project", "check_tree", "is_drift"]


def is_drift(findings: list[Finding]) -> bool:
    return any(f.severity <= Severity.WARNING for f in findings)


class _Loader:
    """Reads pyproject files, each once, with one already parsed (the editor's buffer) standing in for
    its file."""

    def __init__(self, override: Path | None = None, document: TomlDocument | Finding | None = None) -> None:
        self.override = override
        self.document = document
        self.read: dict[Path, TomlDocument | Finding] = {}

    def __call__(self, path: Path) -> TomlDocument | Finding:
        if self.document is not None and path == self.override:
            return self.document
        if path not in self.read:
            self.read[path] = read_toml(path)
        return self.read[path]


class _Run:
    """One run of the check (a tree's walk, one check of a buffer): what it finds on disk once and shares
    between projects. Kept no longer than the run, as the files change; only parsed locks outlive it (in
    the `LockCache`)."""

    def __init__(self, load: _Loader, cache: LockCache) -> None:
        self.load, self.cache = load, cache
        self.checked: dict[tuple[Path, Path], list[Finding]] = {}
        """Findings of one lock checked from one root: every member of a workspace leads to the same
        check of the workspace's lock."""
        self.workspaces: Workspaces = {}
        self._locks: dict[Path, list[tuple[LockFormat[Any], Path]]] = {}

    def locks(self, folder: Path) -> list[tuple[LockFormat[Any], Path]]:
        if folder not in self._locks:
            self._locks[folder] = registry.find_lockfiles(folder)
        return self._locks[folder]


def check_project(
    project_root: Path,
    *,
    pyproject_text: str | None = None,
    pyproject: TomlDocument | Finding | None = None,
    cache: LockCache | None = None,
) -> list[Finding]:
    project_root = Path(os.path.abspath(project_root))
    path = project_root / "pyproject.toml"
    if pyproject is None and pyproject_text is not None:
        pyproject = parse_toml(path, pyproject_text)
    load = _Loader(path, pyproject)
    return _check_project(project_root, _Run(load, cache if cache is not None else LockCache()))


def _check_project(project_root: Path, run: _Run) -> list[Finding]:
    doc = run.load(project_root / "pyproject.toml")
    if isinstance(doc, Finding):
        return [doc]
    locks = run.locks(project_root)
    root, root_doc = project_root, doc
    shared = _shared_lock(project_root, doc, locks, run)
    if isinstance(shared, Finding):
        return [shared]
    if shared is not None:
        root, root_doc, locks = shared
    if not locks:
        return _missing_lock(doc)
    findings: list[Finding] = []
    managed = next((fmt for fmt, _ in locks if fmt.manager is not None), None)
    for fmt, path in locks:
        if (root, path) not in run.checked:
            try:
                run.checked[root, path] = _check_lock(
                    fmt, path, Checking(root, root_doc, run.load), run.cache
                )
            except UnreadableFile as error:
                run.checked[root, path] = [error.finding]
        found = run.checked[root, path]
        if managed is not None and fmt.manager is None:
            found = _export_findings(path, managed, found)
        findings.extend(found)
    return _unique(findings)


def _export_findings(path: Path, managed: LockFormat[Any], found: list[Finding]) -> list[Finding]:
    """A manager-less lock (pylock.toml) beside a manager's lock is an export of it (`uv export`,
    `pdm export`): the manager's check never reads it, so it never makes the project drift. What is
    wrong with it is said once, as information, with each finding as related information."""
    problems = [f for f in found if f.severity <= Severity.WARNING]
    if not problems:
        return found
    kept = [f for f in found if f.severity > Severity.WARNING]
    related = tuple(Related(f.path, f.range, f.message) for f in problems)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    message = (
        f"{path.name} is an export of {managed.lock_name} that no longer matches: "
        f"{problems[0].message}{more}. {managed.name}'s own check never reads it, so this is no drift"
    )
    return [*kept, Finding(path, Range.at(0), Severity.INFORMATION, codes.EXPORT_STALE, message, related)]


def _shared_lock(
    project_root: Path, doc: TomlDocument, locks: list[tuple[LockFormat[Any], Path]], run: _Run
) -> tuple[Path, TomlDocument, list[tuple[LockFormat[Any], Path]]] | Finding | None:
    """For a project without a lock of its own of a format whose lock covers a workspace (uv), the
    workspace root, its pyproject and that lock."""
    if "project" not in doc.data:
        return None
    for fmt in registry.FORMATS:
        if fmt.shared_root is None or any(found is fmt for found, _ in locks):
            continue
        workspace = fmt.shared_root(project_root, run.load, run.workspaces)
        if workspace != project_root:
            loaded = run.load(workspace / "pyproject.toml")
            if isinstance(loaded, Finding):
                return loaded
            shared = [(found, path) for found, path in run.locks(workspace) if found is fmt]
            return workspace, loaded, shared
    return None


def _check_lock(fmt: LockFormat[Any], path: Path, checking: Checking, cache: LockCache) -> list[Finding]:
    lock = cache.get(path, fmt.name, fmt.parse)
    return [lock] if isinstance(lock, Finding) else fmt.check(checking, lock)


def _missing_lock(doc: TomlDocument) -> list[Finding]:
    manager = registry.classify_manager(doc.data, ())
    fmt = registry.format_for_manager(manager)
    if fmt is None or not fmt.lock_command:
        return []
    where = doc.range_of(("tool", manager)) or doc.range_of(("build-system",)) or doc.range_of(("project",))
    return [
        Finding(
            doc.path,
            where or Range.at(0),
            Severity.INFORMATION,
            codes.LOCK_MISSING,
            f"this {manager} project has no {fmt.lock_name} — run `{' '.join(fmt.lock_command)}` to pin "
            "its dependencies",
        )
    ]


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    return [f for f in findings if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]


def check_tree(folder: Path, cache: LockCache | None = None) -> list[Finding]:
    """Check every project under `folder`; a uv workspace's lock is checked once, from its root."""
    run = _Run(_Loader(), cache if cache is not None else LockCache())
    findings: dict[Finding, None] = {}
    for pyproject in find_pyprojects(Path(os.path.abspath(folder)), strict=True):
        findings.update(dict.fromkeys(_check_project(pyproject.parent, run)))
    return list(findings)
