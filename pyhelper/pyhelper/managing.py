"""Adding, removing and upgrading a dependency with the project's own manager, so pyproject.toml stays
as the user's tool writes it and the lock follows: `uv add/remove`, `uv lock --upgrade-package`,
`poetry add/remove/update`, `pdm add/remove/update`, each told the target (main, an extra, a group) in
its own words and told not to install (Lockstep syncs afterwards, with the interpreter it chose) unless
the caller found that uv's own sync gives the same venv (`sync=True`: `pyhelper.lsp.dependencies`), which
spares a second uv process.

`change_arguments` is the pure choice of command; `change_dependency` runs it with pyproject.toml and
the lock backed up, and puts both back when the tool fails or is cancelled: a failed resolution leaves
every file as it was, and the answer carries the tool's own explanation.

    change = DependencyChange("add", "httpx>=0.27", "group", "test")
    outcome = change_dependency("uv", project.root, lock_root, python, change, uv_path=..., environ=...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pyhelper.cancellation import CancelToken
from pyhelper.dependencies import GroupKind
from pyhelper.locking import LockBackup, LockOutcome, lockfile_of, manager_command
from pyhelper.uvtool import LineCallback, ToolNotRunnable, run_tool

Change = Literal["add", "remove", "upgrade"]
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class DependencyChange:
    change: Change
    package: str
    """For `add` a requirement (`httpx>=0.27`); else the package's name."""
    kind: GroupKind = "main"
    group: str | None = None
    """The extra's or group's name (None for `main`)."""
    version: str | None = None
    """For `upgrade`: the version to go to; None: the newest the requirement allows."""


def _target(manager: str, change: DependencyChange) -> list[str]:
    """Where the requirement goes, as each tool's flags say it."""
    group = change.group
    if change.kind == "main" or group is None:
        return []
    if manager == "pdm":
        return ["-G", group] if change.kind == "extra" else ["-dG", group]
    return ["--optional", group] if change.kind == "extra" else ["--group", group]


def change_arguments(manager: str, change: DependencyChange, *, sync: bool = False) -> list[str] | str:
    """The manager's arguments for `change` (its program is the lock format's: `uv`, `poetry`, `pdm`),
    or why Lockstep cannot make it (a manager without a command of its own: never a hand edit). With
    `sync` (uv only) the command also syncs the project's venv: `uv add`/`uv remove` as they are, and
    the upgrade as `uv sync --upgrade-package`, which re-locks as `uv lock --upgrade-package` does."""
    target = _target(manager, change)
    package, version = change.package, change.version
    pinned = f"{package}=={version}" if version else package
    # Each tool's flag for "change the files and the lock, install nothing".
    no_install = {"uv": "--no-sync", "poetry": "--lock", "pdm": "--no-sync"}.get(manager)
    if no_install is None:
        return (
            f"This project has no manager that edits pyproject.toml ({manager}): add the requirement "
            "to pyproject.toml by hand, or manage the project with uv, Poetry or PDM."
        )
    syncing = sync and manager == "uv"
    install = [] if syncing else [no_install]
    if change.change == "add":
        return ["add", *install, *target, package]
    if change.change == "remove":
        # Poetry removes from extras by name alone; a group it must be told.
        flags = [] if manager == "poetry" and change.kind == "extra" else target
        return ["remove", *install, *flags, package]
    if manager == "uv":
        return ["sync" if syncing else "lock", "--upgrade-package", pinned]
    if version:
        # Poetry and PDM move the declared constraint to the chosen version, as `add` would.
        return ["add", no_install, *target, pinned]
    return ["update", no_install, *target, package]


def uv_lock_writes(change: DependencyChange) -> int:
    """How many times uv writes uv.lock making `change`: `uv add NAME` without a version writes it once
    resolved, then puts the lower bound it chose into pyproject.toml (`NAME>=1.2`) and writes it again
    (uv's `lock_and_sync`, for registry requirements); anything else once. A bare name that
    `tool.uv.sources` sends to git or a path gets no bound, so one write where two are counted: the
    read-ahead then leaves the lock to the check after uv (`pyhelper.drift.session.SyncReadAhead`)."""
    from pyhelper.requirements import parse_requirement

    if change.change != "add":
        return 1
    try:
        requirement = parse_requirement(change.package)
    except ValueError:  # a path or URL, which uv takes as it is
        return 1
    return 2 if not requirement.specifier and requirement.url is None else 1


def describe(change: DependencyChange) -> str:
    """`Added httpx>=0.27 to the test group`: the answer's sentence on success."""
    where = {
        "main": "the dependencies",
        "extra": f"the extra {change.group}",
        "group": f"the {change.group} group",
        "dev": f"the dev group {change.group}",
    }[change.kind]
    if change.change == "add":
        return f"Added {change.package} to {where}."
    if change.change == "remove":
        return f"Removed {change.package} from {where}."
    return f"Upgraded {change.package}" + (
        f" to {change.version}." if change.version else " to the newest allowed."
    )


def change_dependency(
    manager: str,
    cwd: Path,
    lock_root: Path,
    python: Path | None,
    change: DependencyChange,
    *,
    uv_path: str | None,
    environ: Mapping[str, str],
    on_line: LineCallback | None = None,
    cancel: CancelToken | None = None,
    sync: bool = False,
) -> LockOutcome:
    """Make `change` to the project at `cwd` (its lock lives at `lock_root`: a uv workspace's root); with
    `sync`, uv also syncs the venv (`change_arguments`). A failure puts pyproject.toml and the lock back
    whichever step failed: uv resolves, downloads and builds before it installs anything, so a build
    that fails leaves the venv as it was too."""
    arguments = change_arguments(manager, change, sync=sync)
    if isinstance(arguments, str):
        return LockOutcome("failed", arguments)
    verb = {"add": "Adding", "remove": "Removing", "upgrade": "Upgrading"}[change.change]
    command = manager_command(manager, arguments, python, uv_path, environ, f"{verb} {change.package}")
    if isinstance(command, LockOutcome):
        return command
    lockfile = lockfile_of(manager, lock_root)
    files = [cwd / PYPROJECT, *([lockfile] if lockfile is not None else [])]
    try:
        backups = [LockBackup(path) for path in files]
    except OSError as error:
        return LockOutcome(
            "failed", f"Cannot read {error.filename or 'a project file'}: {error.strerror or error}."
        )
    try:
        done = run_tool(command.argv, env=command.env, cwd=cwd, on_line=on_line, cancel=cancel)
    except ToolNotRunnable as error:
        return LockOutcome("failed", f"{error}.")
    if done.ok:
        return LockOutcome("ok", describe(change), done.lines)
    for backup in backups:
        backup.restore()
    if done.cancelled:
        return LockOutcome(
            "cancelled", f"Cancelled: {PYPROJECT} and the lock were left as they were.", done.lines
        )
    reason = done.tail(12) or f"exit status {done.returncode}"
    return LockOutcome(
        "failed",
        f"{verb} {change.package} failed; {PYPROJECT} and the lock were left as they were.\n{reason}",
        done.lines,
    )
