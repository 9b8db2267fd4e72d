"""Locking a project with its manager (uv, Poetry, PDM), with the interpreter Lockstep chose.

Used by Update Lockfile and by Create/Sync of a project that has no lock yet (as `uv sync` does in a
terminal: lock, then install from the lock).

- uv always gets the interpreter explicitly (`uv lock --python <path>`): uv must never look for one on
  the helper's PATH, which is not the user's choice (and may hold only an older Python). PDM gets it as
  `PDM_PYTHON`. Poetry resolves for the project's declared Python range and needs none; with
  `POETRY_VIRTUALENVS_CREATE=false` it does not make a venv of its own as a side effect of locking.
- The command and the lock's name come from the manager's lock format (`pyhelper.lockfiles.registry`).
- poetry and pdm are looked for on PATH with pyenv-style shim folders left out: a shim is not a tool,
  it only names one that may not exist for the active Python.
- The lockfile is put back as it was (or removed, when there was none) when locking is cancelled or
  fails, so a failed or cancelled operation leaves the project's files as they were.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pyhelper import boundedread
from pyhelper.cancellation import CancelToken
from pyhelper.lockfiles.format import LockFormat
from pyhelper.lockfiles.registry import format_for_manager
from pyhelper.uvtool import LineCallback, ToolNotRunnable, child_environment, find_uv, run_tool

LockStatus = Literal["ok", "cancelled", "failed", "missing-tool"]


@dataclass(frozen=True)
class LockCommand:
    argv: list[str]
    env: dict[str, str]


@dataclass(frozen=True)
class LockOutcome:
    status: LockStatus
    message: str
    """One sentence for the user."""
    lines: tuple[str, ...] = ()
    """The tool's output, for the log."""


def _command_of(manager: str) -> tuple[LockFormat[Any], str, list[str]] | None:
    """The manager's lock format (`pyhelper.lockfiles.registry`) and its lock command, if it has one."""
    fmt = format_for_manager(manager)
    if fmt is None or not fmt.lock_command:
        return None
    program, *arguments = fmt.lock_command
    return fmt, program, arguments


def uses_lockfile(manager: str) -> bool:
    return _command_of(manager) is not None


def lockfile_of(manager: str, lock_root: Path) -> Path | None:
    """Where the manager writes its lock for the project (workspace) at `lock_root`."""
    fmt = format_for_manager(manager)
    return lock_root / fmt.lock_name if fmt is not None and fmt.file_names else None


def find_on_path(tool: str, environ: Mapping[str, str]) -> str | None:
    """`tool` on the user's PATH, shim folders (pyenv, asdf) excluded."""
    from pyhelper.interpreters.locations import Host, shim_dirs

    host = Host.current(environ)
    shims = {os.path.normcase(os.path.abspath(folder)) for folder in shim_dirs(host)}
    search = os.pathsep.join(
        folder for folder in host.search_path() if os.path.normcase(os.path.abspath(folder)) not in shims
    )
    return shutil.which(tool, path=search)


def missing_tool(manager: str) -> str | None:
    """What to install to lock a project of this manager, as a clause; None when Lockstep's uv locks it."""
    known = _command_of(manager)
    if known is None or known[1] == "uv":
        return None
    fmt, program, _ = known
    return f"{program} is not installed (not on PATH; see {fmt.lock_tool_docs})"


def find_lock_tool(manager: str, uv_path: str | None, environ: Mapping[str, str]) -> str | None:
    """The executable that locks a project of this manager, when it is installed."""
    known = _command_of(manager)
    if known is None:
        return None
    if known[1] == "uv":
        uv = find_uv(uv_path, environ)
        return str(uv.path) if uv else None
    return find_on_path(known[1], environ)


def lock_command(
    manager: str, python: Path | None, uv_path: str | None, environ: Mapping[str, str]
) -> LockCommand | LockOutcome:
    """The command that locks a project of this manager with `python`, or why there is none to run."""
    known = _command_of(manager)
    if known is None:
        return LockOutcome(
            "failed", f"This project's manager ({manager}) keeps no lockfile Lockstep can update."
        )
    fmt, _, arguments = known
    return manager_command(manager, arguments, python, uv_path, environ, f"Updating {fmt.lock_name}")


def manager_command(
    manager: str,
    arguments: list[str],
    python: Path | None,
    uv_path: str | None,
    environ: Mapping[str, str],
    doing: str,
) -> LockCommand | LockOutcome:
    """The manager's own program (Lockstep's uv for uv) with `arguments`, resolving for `python`, or why
    it cannot run; `doing` (`Updating uv.lock`) starts the sentence that names a missing tool."""
    fmt = format_for_manager(manager)
    assert fmt is not None and fmt.lock_command, f"{manager} has no program of its own"
    program = fmt.lock_command[0]
    env = child_environment(environ)
    if program == "uv":
        uv = find_uv(uv_path, environ)
        if uv is None:
            return LockOutcome(
                "missing-tool", "No runnable uv was found: set lockstep.uv.path to a uv binary."
            )
        if python is None:
            return LockOutcome(
                "failed",
                "No installed Python satisfies the project's requires-python: select an interpreter "
                "(or create the environment, which can download one) and try again.",
            )
        return LockCommand([str(uv.path), *arguments, "--python", str(python)], env)
    tool = find_on_path(program, environ)
    if tool is None:
        return LockOutcome(
            "missing-tool",
            f"{doing} needs {program}, which is not on PATH: "
            f"install it ({fmt.lock_tool_docs}) and try again.",
        )
    if manager == "pdm" and python is not None:
        env["PDM_PYTHON"] = str(python)
    if manager == "poetry":
        env["POETRY_VIRTUALENVS_CREATE"] = "false"
    return LockCommand([tool, *arguments], env)


def lock_project(
    manager: str,
    cwd: Path,
    lock_root: Path,
    python: Path | None,
    *,
    uv_path: str | None,
    environ: Mapping[str, str],
    on_line: LineCallback | None = None,
    cancel: CancelToken | None = None,
) -> LockOutcome:
    """Lock the project at `cwd` (its lock lives at `lock_root`: a uv workspace's root)."""
    command = lock_command(manager, python, uv_path, environ)
    if isinstance(command, LockOutcome):
        return command
    lockfile = lockfile_of(manager, lock_root)
    assert lockfile is not None
    try:
        backup = LockBackup(lockfile)
    except OSError as error:
        return LockOutcome("failed", f"Cannot read {lockfile.name}: {error.strerror or error}.")
    try:
        done = run_tool(command.argv, env=command.env, cwd=cwd, on_line=on_line, cancel=cancel)
    except ToolNotRunnable as error:
        return LockOutcome("failed", f"{error}.")
    if done.ok:
        return LockOutcome("ok", f"Updated {lockfile.name}.", done.lines)
    backup.restore()
    if done.cancelled:
        return LockOutcome("cancelled", f"Cancelled: {backup.as_before()}.", done.lines)
    reason = done.tail(3) or f"exit status {done.returncode}"
    return LockOutcome("failed", f"Locking failed: {reason}", done.lines)


class LockBackup:
    """A lockfile's content before an operation, to put back when the operation is undone.

    The lock is a workspace file: it is read through the bounded reader (a link to a device or a FIFO
    raises OSError), and the content is put back through a fresh file renamed over it, never by writing
    through whatever link the workspace left at either name."""

    def __init__(self, lockfile: Path) -> None:
        self.lockfile = lockfile
        self._before = _read_if_present(lockfile)

    @property
    def existed(self) -> bool:
        return self._before is not None

    def restore(self) -> None:
        if self._before is None:
            self.lockfile.unlink(missing_ok=True)
            return
        try:
            unchanged = _read_if_present(self.lockfile) == self._before
        except OSError:
            unchanged = False
        if not unchanged:
            temporary = self.lockfile.with_name(self.lockfile.name + ".lockstep-restore")
            temporary.unlink(missing_ok=True)
            fd = os.open(temporary, _FRESH_FILE, 0o644)
            with os.fdopen(fd, "wb") as file:
                file.write(self._before)
            temporary.replace(self.lockfile)

    def as_before(self) -> str:
        return (
            f"{self.lockfile.name} was left as it was"
            if self.existed
            else f"no {self.lockfile.name} was written"
        )


# Created anew, never opened through a link left at that name.
_FRESH_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _read_if_present(lockfile: Path) -> bytes | None:
    try:
        return boundedread.read_bytes(lockfile, boundedread.LOCKFILE)
    except FileNotFoundError:
        return None
