"""A new project where the workspace has none: `uv init --bare --no-workspace`, by Lockstep's uv.

Why these flags: the button reads "Create pyproject.toml", and the folder usually holds code already.
`--bare` writes pyproject.toml and nothing else (no README.md, main.py, .python-version or git
repository a user did not ask for); `--no-workspace` keeps uv from adding the project to a workspace
found in a parent folder, which would edit a file outside the folder the user opened. The name is the
folder's, made a valid package name (uv refuses `my app`); requires-python comes from the interpreter
Lockstep chose, passed by absolute path (never downloaded). A failed or cancelled run leaves no file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pyhelper.cancellation import CancelToken
from pyhelper.uvtool import ToolNotRunnable, Uv, child_environment, run_tool

InitStatus = Literal["ok", "cancelled", "failed", "missing-tool"]
PYPROJECT = "pyproject.toml"
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class InitOutcome:
    status: InitStatus
    message: str
    """One sentence for the user."""


def project_name(folder_name: str) -> str:
    """The folder's name as a PEP 508 name: other characters become `-`, ends are letters or digits."""
    return _NOT_IN_NAME.sub("-", folder_name).strip("._-") or "project"


def init_project(
    folder: Path, uv: Uv | None, python: Path | None, environ: Mapping[str, str], cancel: CancelToken
) -> InitOutcome:
    pyproject = folder / PYPROJECT
    if pyproject.exists() or pyproject.is_symlink():
        return InitOutcome("failed", f"{folder.name} already has a {PYPROJECT}.")
    if uv is None:
        return InitOutcome("missing-tool", "No runnable uv was found: set lockstep.uv.path to a uv binary.")
    name = project_name(folder.name)
    argv = [str(uv.path), "init", "--bare", "--no-workspace", "--name", name]
    if python is not None:
        argv += ["--python", str(python)]
    try:
        result = run_tool([*argv, str(folder)], env=child_environment(environ), cwd=folder, cancel=cancel)
    except ToolNotRunnable as error:
        return InitOutcome("missing-tool", f"uv could not be started: {error}.")
    if result.ok:
        return InitOutcome("ok", f"Created {PYPROJECT} for {name} in {folder.name}.")
    pyproject.unlink(missing_ok=True)  # absent before: whatever uv got to write goes
    if result.cancelled:
        return InitOutcome("cancelled", "Cancelled: no file was written.")
    return InitOutcome("failed", f"uv init failed: {result.tail()}")
