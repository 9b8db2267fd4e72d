"""What uv does for a PEP 723 script: lock it (`uv lock --script` writes `NAME.py.lock`), make its
environment (`uv sync --script`, in uv's cache), and say where that environment is.

uv keeps a script's environment in its cache (`environments-v2/NAME-HASH`, the hash of the script's
path), so Lockstep asks uv where it is rather than re-implement its hash: `uv python find --script
PATH` names the environment's interpreter when the environment exists, else the base interpreter uv
would make it from. Nothing here writes in the workspace but uv writing `NAME.py.lock`; a failed or
cancelled lock or sync puts the lock back as it was (`locking.LockBackup`).

uv always gets the interpreter explicitly (`--python`) when Lockstep has one, as for projects
(`pyhelper.locking`): uv must not look for one on the helper's PATH.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from pyhelper.cancellation import CancelToken
from pyhelper.locking import LockBackup, LockOutcome
from pyhelper.scripts.block import lock_path
from pyhelper.uvtool import LineCallback, ToolNotRunnable, child_environment, find_uv, run_tool
from pyhelper.venvs import Venv, describe_venv

# uv's cache bucket of script (and ephemeral) environments: `environments-v2` in uv 0.13.
_ENVIRONMENTS_BUCKET = "environments-v"


class ScriptPython(NamedTuple):
    """The interpreter `uv run --script` would use, and the script's environment when it exists."""

    python: Path
    environment: Venv | None


def run_command(uv: Path, script: Path, python: Path | None) -> list[str]:
    """argv of Run Script: `uv run --python PY --script PATH` (options before the script: what follows
    it goes to the script)."""
    chosen = ["--python", str(python)] if python is not None else []
    return [str(uv), "run", *chosen, "--script", str(script)]


def find_script_python(
    script: Path, *, uv_path: str | None, environ: Mapping[str, str], cancel: CancelToken | None = None
) -> ScriptPython | None:
    """Where uv runs the script (`uv python find --script`), None when uv cannot tell (no uv, no
    fitting interpreter, a malformed block)."""
    uv = find_uv(uv_path, environ)
    if uv is None:
        return None
    argv = [str(uv.path), "python", "find", "--script", str(script)]
    try:
        done = run_tool(argv, env=child_environment(environ), cwd=script.parent, cancel=cancel)
    except ToolNotRunnable:
        return None
    found = [line for line in done.lines if line.strip()]
    if not done.ok or not found:
        return None
    python = Path(found[-1].strip())
    folder = python.parent.parent
    in_cache = folder.parent.name.startswith(_ENVIRONMENTS_BUCKET)
    environment = describe_venv(folder) if in_cache else None
    return ScriptPython(python, environment)


def lock_script(
    script: Path,
    python: Path | None,
    *,
    uv_path: str | None,
    environ: Mapping[str, str],
    on_line: LineCallback | None = None,
    cancel: CancelToken | None = None,
) -> LockOutcome:
    """`uv lock --script PATH`: writes `PATH.lock`."""
    lockfile = lock_path(script)
    return _run_uv(
        ["lock", "--script", str(script)],
        script,
        python,
        uv_path,
        environ,
        on_line,
        cancel,
        f"Updated {lockfile.name}.",
    )


def sync_script(
    script: Path,
    python: Path | None,
    *,
    uv_path: str | None,
    environ: Mapping[str, str],
    on_line: LineCallback | None = None,
    cancel: CancelToken | None = None,
) -> LockOutcome:
    """`uv sync --script PATH`: creates or updates the script's environment in uv's cache (from its
    lock when it has one, which uv updates first when it is stale)."""
    return _run_uv(
        ["sync", "--script", str(script)],
        script,
        python,
        uv_path,
        environ,
        on_line,
        cancel,
        f"The environment of {script.name} is ready.",
    )


def _run_uv(
    arguments: list[str],
    script: Path,
    python: Path | None,
    uv_path: str | None,
    environ: Mapping[str, str],
    on_line: LineCallback | None,
    cancel: CancelToken | None,
    done_message: str,
) -> LockOutcome:
    uv = find_uv(uv_path, environ)
    if uv is None:
        return LockOutcome("missing-tool", "No runnable uv was found: set lockstep.uv.path to a uv binary.")
    lockfile = lock_path(script)
    try:
        backup = LockBackup(lockfile)
    except OSError as error:
        return LockOutcome("failed", f"Cannot read {lockfile.name}: {error.strerror or error}.")
    chosen = ["--python", str(python)] if python is not None else []
    argv = [str(uv.path), *arguments, *chosen]
    try:
        done = run_tool(
            argv, env=child_environment(environ), cwd=script.parent, on_line=on_line, cancel=cancel
        )
    except ToolNotRunnable as error:
        return LockOutcome("failed", f"{error}.")
    if done.ok:
        return LockOutcome("ok", done_message, done.lines)
    backup.restore()
    if done.cancelled:
        return LockOutcome("cancelled", f"Cancelled: {backup.as_before()}.", done.lines)
    reason = done.tail(3) or f"exit status {done.returncode}"
    return LockOutcome("failed", f"uv failed: {reason}", done.lines)
