"""Live drift: one project's lock and environment checks as the user types, with what they cache.

`DriftSession.check` runs `pyhelper.drift.lock.check_project` (lock drift, with the editor's parsed
buffer standing in for pyproject.toml) and `pyhelper.drift.environment` (lock vs venv), and sums the
result up as the project's drift state. Parsed locks, venv reads and lock selections are cached, so a
keystroke costs the comparisons, not a parse of the buffer (the server parses it once, for all its
checks) nor a re-read of the lock or the venv. The server (`pyhelper.lsp.session`) decides when to
check and publishes the findings.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pyhelper.drift.environment import (
    EnvReport,
    LockSelection,
    VenvCache,
    VenvSnapshot,
    check_environment,
    select,
)
from pyhelper.drift.lock import is_drift
from pyhelper.findings import Finding, Severity
from pyhelper.lockfiles import LockCache, UnreadableFile, file_identity
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lockfiles.registry import format_for_manager, format_of_file
from pyhelper.locking import uses_lockfile
from pyhelper.requirements import get_in
from pyhelper.tomlfile import TomlDocument, read_toml, syntax_problem

if TYPE_CHECKING:
    from pyhelper.lockfiles.format import LockEntry
    from pyhelper.projects import Project

DriftState = Literal[
    "in-sync", "lock-out-of-sync", "env-out-of-sync", "unlocked", "pyproject-invalid", "unknown"
]
"""`pyproject-invalid` (the buffer or file does not parse) wins over `lock-out-of-sync`, which wins over
`env-out-of-sync`; `unlocked`: the manager uses a lockfile and there is none; `unknown`: no venv to
compare, or unreadable."""


@dataclass(frozen=True)
class DriftSummary:
    """A project's drift in a few words and counts (what the status bar shows)."""

    state: DriftState
    lock_issues: int
    """Lock findings that are errors or warnings."""
    missing: int
    mismatched: int
    extraneous: int
    python_mismatch: bool
    lockfile: Path | None
    problem: str | None
    """With `pyproject-invalid`: what is wrong, at which line."""
    revision: str
    """Differs between two checks whose findings, locked or installed versions differ (what the
    Projects view shows under the project), so an unchanged state still tells of them."""


@dataclass(frozen=True)
class ProjectDrift:
    """One project's latest check."""

    root: Path
    findings: Mapping[Path, tuple[Finding, ...]]
    summary: DriftSummary
    selection: LockSelection | None
    snapshot: VenvSnapshot | None
    environment_in_sync: bool
    """Whether the venv holds exactly what the lock on disk selects (whatever the lock's own drift)."""


def _in_sync(report: EnvReport | None) -> bool:
    return report is not None and report.problem is None and report.in_sync


def _selection_key(doc: TomlDocument, lockfile: Path, snapshot: VenvSnapshot) -> object:
    """What a lock's selection for a venv depends on besides the lock's content and pyvenv.cfg's (its
    interpreter's markers): never what is installed, so an install does not make it select again."""
    data = doc.data
    fmt = format_of_file(lockfile.name)
    return repr(
        (
            lockfile,
            snapshot.venv,
            snapshot.python,
            get_in(data, ("project", "name")),
            get_in(data, ("project", "version")),
            "build-system" in data,
            fmt.selection_inputs(data) if fmt is not None else None,
        )
    )


class DriftSession:
    """The helper's drift state: caches (locks, venvs, selections) and each project's latest result."""

    def __init__(self) -> None:
        self.locks = LockCache()
        self.venvs = VenvCache()
        self.results: dict[Path, ProjectDrift] = {}
        self._selections: dict[Path, tuple[object, tuple[os.stat_result | None, ...], LockSelection]] = {}
        self._guard = threading.Lock()

    def check(
        self, project: Project, document: TomlDocument | Finding | None, choice: SyncChoice = SyncChoice()
    ) -> ProjectDrift:
        """Check one project: its pyproject is `document` (the editor's buffer, parsed) when given, else
        the file on disk; its venv against what the lock selects for `choice`. Thread-safe."""
        from pyhelper.drift.lock import check_project

        with self._guard:
            root, lockfile = project.root, project.lockfile
            doc = document if document is not None else read_toml(project.pyproject)
            lock_findings = check_project(root, pyproject=doc, cache=self.locks)
            snapshot, selection, report = self._environment(project, doc, choice)
            findings: dict[Path, list[Finding]] = {}
            for finding in [*lock_findings, *(report.findings if report else ())]:
                findings.setdefault(finding.path, []).append(finding)
            grouped = {path: tuple(dict.fromkeys(items)) for path, items in findings.items()}
            problem = syntax_problem(doc) if isinstance(doc, Finding) else None
            revision = _revision(grouped, selection, snapshot)
            summary = _summary(
                lock_findings, report, lockfile, problem, uses_lockfile(project.manager), revision
            )
            return ProjectDrift(root, grouped, summary, selection, snapshot, _in_sync(report))

    def environment_in_sync(self, project: Project, choice: SyncChoice = SyncChoice()) -> bool:
        """Whether the venv holds exactly what the lock on disk selects for `choice` (`check`'s verdict
        on the venv alone: the lock is not compared with pyproject.toml). Thread-safe."""
        with self._guard:
            return _in_sync(self._environment(project, read_toml(project.pyproject), choice)[2])

    def read_lock(self, project: Project, choice: SyncChoice) -> LockSelection | None:
        """Parse and check the project's lock (with pyproject.toml on disk) and select from it for the
        venv as last read, into the caches, for a check soon after (`LockReadAhead`): what a lock
        selects depends on the venv's interpreter, not on what is installed, so the venv (which a tool
        may be writing) is not read. The selection made, if any. Thread-safe."""
        from pyhelper.drift.lock import check_project

        with self._guard:
            doc = read_toml(project.pyproject)
            check_project(project.root, pyproject=doc, cache=self.locks)
            venv, lockfile = project.venv, project.lockfile
            snapshot = self.venvs.last(venv.path) if venv is not None else None
            if not isinstance(doc, TomlDocument) or snapshot is None or lockfile is None:
                return None
            return self._select(lockfile, project.root, doc, snapshot, choice)

    def venv_written(self, venv: Path) -> None:
        """uv changed `venv` while Lockstep held it and is done with it (has exited, or listed its
        changes: `SyncReadAhead`): read it now (`VenvCache.written`)."""
        with self._guard:
            self.venvs.written(venv)

    def _environment(
        self, project: Project, doc: TomlDocument | Finding, choice: SyncChoice
    ) -> tuple[VenvSnapshot | None, LockSelection | None, EnvReport | None]:
        venv, lockfile = project.venv, project.lockfile
        if not isinstance(doc, TomlDocument) or venv is None:
            return None, None, None
        snapshot = self.venvs.get(venv.path)
        if lockfile is None:
            return snapshot, None, None
        selection = self._select(lockfile, project.root, doc, snapshot, choice)
        return snapshot, selection, check_environment(doc, selection, snapshot)

    def _select(
        self, lockfile: Path, root: Path, doc: TomlDocument, snapshot: VenvSnapshot, chosen: SyncChoice
    ) -> LockSelection:
        fmt = format_of_file(lockfile.name)
        key = (_selection_key(doc, lockfile, snapshot), chosen)
        stat = (_stat(lockfile), _stat(snapshot.venv / "pyvenv.cfg"))
        cached = self._selections.get(root)
        if cached is not None and cached[0] == key and cached[1] == stat:
            return cached[2]
        selection = (
            select(fmt.name, lockfile, root, doc, snapshot, self.locks, chosen)
            if fmt is not None
            else LockSelection(lockfile, "none", {})
        )
        self._selections[root] = (key, stat, selection)
        return selection

    def locked_versions(self, lockfile: Path, name: str) -> list[str | None]:
        fmt = format_of_file(lockfile.name)
        if fmt is None:
            return []
        try:
            with self._guard:
                lock = self.locks.get(lockfile, fmt.name, fmt.parse)
        except UnreadableFile:
            return []
        return [] if isinstance(lock, Finding) else list(fmt.versions(lock, name))

    def lock_entry(self, lockfile: Path, name: str, version: str | None = None) -> LockEntry | None:
        """The lock's entry for `name` (PEP 503): the one at `version` when it pins several, else first."""
        fmt = format_of_file(lockfile.name)
        if fmt is None:
            return None
        try:
            with self._guard:
                lock = self.locks.get(lockfile, fmt.name, fmt.parse)
        except UnreadableFile:
            return None
        if isinstance(lock, Finding):
            return None
        named = [entry for entry in fmt.entries(lock) if entry.name == name]
        return next((entry for entry in named if entry.version == version), named[0] if named else None)


class SyncReadAhead:
    """Reads what `uv add`/`uv remove` with its own sync writes while uv is still at work, so that the
    check after uv (which the editor's answer waits for) finds it read:

    - the lock: uv writes uv.lock once it has resolved ("Resolved N packages"), then installs. From that
      line on, the lock's stat is watched; its `writes`-th change (`pyhelper.managing.uv_lock_writes`:
      `uv add NAME` writes it again with the lower bound it chose) is parsed and checked by
      `DriftSession.read_lock` on a thread of its own. An earlier write is passed over: parsing it
      would only take the CPU from uv's install. Two writes too close together for the poll to tell
      apart count as one: the lock is then left to the check after uv. A lock read mid-write is what
      `read_text_stable` already waits out or reads again.
    - the venv: after "Installed N packages" (or "Uninstalled"), uv lists its changes (` + name==1.0`,
      ` - `, ` ~ `) once every file is in place and compiled (uv's `InstallLogger::on_complete`), and
      writes nothing more to the venv, so it is read at the first of those lines, while uv prints the
      rest and exits (`venv_read`). With `check`, the project is then checked as well (`checked`),
      from the files on disk, which uv has finished writing: for a caller whose check would read
      them too (the editor does not have pyproject.toml open)."""

    POLL_SECONDS = 0.001
    INSTALLED = ("Installed ", "Uninstalled ")
    CHANGE_LIST = (" + ", " - ", " ~ ")

    def __init__(
        self, drift: DriftSession, project: Project, choice: SyncChoice, writes: int = 1, check: bool = False
    ) -> None:
        self._drift, self._project, self._writes, self._check = drift, project, writes, check
        self.choice = choice
        self._before = _stat(project.lockfile) if project.lockfile is not None else None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.read = threading.Event()
        """Set after each read of the lock (for a caller that waits for one)."""
        self.changed = threading.Event()
        """Set at each change of the lock seen, read or passed over."""
        self._installed = False
        self.venv_read = False
        """Whether the venv was read after uv's install (then nothing needs reading after uv)."""
        self.checked: ProjectDrift | None = None
        """With `check`: the project as checked at uv's change list."""

    def saw(self, line: str) -> None:
        """One line of uv's output (called from the thread that runs uv)."""
        if self._thread is None and self._project.lockfile is not None and line.startswith("Resolved "):
            self._thread = threading.Thread(
                target=self._read_when_written, name="lock-read-ahead", daemon=True
            )
            self._thread.start()
        elif line.startswith(self.INSTALLED):
            self._installed = True
        elif (
            self._installed
            and not self.venv_read
            and self._project.venv is not None
            and line.startswith(self.CHANGE_LIST)
        ):
            self._drift.venv_written(self._project.venv.path)
            self.venv_read = True
            if self._check:
                self.checked = self._drift.check(self._project, None, self.choice)

    def _read_when_written(self) -> None:
        lockfile, seen, writes = self._project.lockfile, _identity_of(self._before), 0
        assert lockfile is not None
        while not self._stopped.wait(self.POLL_SECONDS):
            now = _identity_of(_stat(lockfile))
            if now != seen:
                seen, writes = now, writes + 1
                if writes >= self._writes:
                    self._drift.read_lock(self._project, self.choice)
                    self.read.set()
                self.changed.set()

    def stop(self) -> None:
        """uv has exited: stop watching, and wait for a read under way (the check would wait anyway)."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()


def _identity_of(stat: os.stat_result | None) -> tuple[int, int, int, int] | None:
    return None if stat is None else file_identity(stat)


def _revision(
    findings: Mapping[Path, tuple[Finding, ...]],
    selection: LockSelection | None,
    snapshot: VenvSnapshot | None,
) -> str:
    # A hash, not the data: it travels with every project in every list the client receives. Equal
    # within one helper process (Python's string hashing is per process), which is all it is for.
    # Without the findings' places: typing above a requirement moves them, which changes nothing shown.
    found = tuple((path, f.code, f.severity, f.message) for path, items in findings.items() for f in items)
    installed = tuple((name, have.version) for name, have in snapshot.packages.items()) if snapshot else ()
    locked = tuple((name, entry.version) for name, entry in selection.packages.items()) if selection else ()
    return format(hash((found, locked, installed)) & (2**64 - 1), "016x")


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _summary(
    lock_findings: Sequence[Finding],
    report: EnvReport | None,
    lockfile: Path | None,
    problem: str | None,
    lock_expected: bool,
    revision: str,
) -> DriftSummary:
    lock_issues = sum(1 for f in lock_findings if f.severity <= Severity.WARNING)
    if problem is not None:
        state: DriftState = "pyproject-invalid"
    elif lockfile is None and lock_expected:
        state = "unlocked"
    elif is_drift(list(lock_findings)):
        state = "lock-out-of-sync"
    elif report is None or report.problem is not None:
        state = "unknown"
    elif not report.in_sync:
        state = "env-out-of-sync"
    else:
        state = "in-sync"
    return DriftSummary(
        state=state,
        lock_issues=lock_issues,
        missing=report.missing if report else 0,
        mismatched=report.mismatched if report else 0,
        extraneous=report.extraneous if report else 0,
        python_mismatch=bool(report and report.python_mismatch),
        lockfile=lockfile,
        problem=problem,
        revision=revision,
    )


def projects_of(projects: Iterable[Project], path: Path) -> list[Project]:
    """The projects a changed file concerns: its pyproject, lockfile or venv (or, for a uv workspace
    member, any pyproject of its workspace)."""
    found = []
    for project in projects:
        venv, workspace = project.venv, project.workspace_root
        if (
            project.pyproject == path
            or project.lockfile == path
            or (venv is not None and path.is_relative_to(venv.path))
            or (workspace is not None and path.name == "pyproject.toml" and path.is_relative_to(workspace))
        ):
            found.append(project)
    return found


def lock_place(project: Project) -> tuple[Path, str]:
    """Where re-locking a project writes its lock, and the lock's name: a uv workspace member's lock is
    the workspace root's."""
    fmt = format_for_manager(project.manager)
    return project.env_root, fmt.lock_name if fmt is not None else "the lockfile"
