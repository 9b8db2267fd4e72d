"""Reading a virtual environment from disk, without running its interpreter.

Starting an interpreter costs tens of milliseconds and runs code from the environment; everything we
need (where it is, which Python it holds) is written down in `pyvenv.cfg`.
"""

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple

from pyhelper import boundedread
from pyhelper.lockfiles.format import Manager
from pyhelper.walk import PYVENV_CFG

DEFAULT_VENV = ".venv"
UV_PROJECT_ENVIRONMENT = "UV_PROJECT_ENVIRONMENT"
# In the name of a venv Lockstep is still building or is about to delete (see pyhelper.environments):
# such a folder is not a usable venv, however complete its pyvenv.cfg looks.
WORK_IN_PROGRESS = ".lockstep-"

# virtualenv writes `version_info = 3.12.7.final.0`; stdlib and uv write plain `3.12.7`.
_VERSION_INFO = re.compile(r"^(\d+\.\d+(?:\.\d+)?)(?:\.(alpha|beta|candidate|final)\.(\d+))?$")
_RELEASE_LEVELS = {"alpha": "a", "beta": "b", "candidate": "rc", "final": ""}

VenvPathOrigin = Literal["user", "workspace", "default"]
"""Where the editor found `lockstep.venv.path`: the user's own settings, the workspace's (what a
repository can ship in `.vscode/settings.json`), or nowhere (the default `.venv`)."""


class Venv(NamedTuple):
    """A virtual environment as its `pyvenv.cfg` describes it."""

    path: Path
    """Absolute path of the venv folder."""
    python: Path | None
    """The venv's interpreter, when it exists."""
    version: str | None
    """Interpreter version read from pyvenv.cfg (e.g. `3.12.7`), when recorded."""
    resolved: Path
    """The folder with every symbolic link resolved (what a confirmation shows)."""
    link: bool
    """The venv folder itself is a symbolic link: Delete removes the link, never what it points to."""
    listed_in: Path | None = None
    """The `.python-envs` file (PEP 832) that names this venv as the project's default: Lockstep reads
    it but never creates, syncs or deletes it (`pyhelper.pythonenvs`)."""

    @property
    def name(self) -> str:
        """Folder name as a person would say it, e.g. `.venv`."""
        return self.path.name


def read_pyvenv_cfg(venv: Path) -> dict[str, str] | None:
    """The `key = value` pairs of `venv/pyvenv.cfg` (keys lower-cased, as `site` reads them).

    None when the file is missing or unreadable: then the folder is not a usable venv.
    """
    try:
        text = boundedread.read_text(venv / PYVENV_CFG, boundedread.PYVENV_CFG, errors="replace")
    except OSError:  # also a pyvenv.cfg that is a FIFO, a device or too large (boundedread)
        return None
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    return values


def normalise_version(raw: str) -> str:
    """`3.12.7.final.0` -> `3.12.7`, `3.13.0.candidate.1` -> `3.13.0rc1`; other text is kept."""
    match = _VERSION_INFO.match(raw.strip())
    if not match:
        return raw.strip()
    release, level, serial = match.groups()
    if not level or level == "final":
        return release
    return f"{release}{_RELEASE_LEVELS[level]}{serial}"


def venv_python(venv: Path) -> Path:
    """Where a venv's interpreter lives on this platform."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def describe_venv(venv: Path) -> Venv | None:
    """Describe the venv at `venv`, or None when no `pyvenv.cfg` says it is one (or it is half-built)."""
    config = read_pyvenv_cfg(venv)
    if config is None or WORK_IN_PROGRESS in venv.name:
        return None
    # uv writes `version_info`; the standard library's venv writes `version`.
    version = config.get("version_info") or config.get("version")
    python = venv_python(venv)
    return Venv(
        path=venv,
        # A venv whose base interpreter was removed keeps a dangling link: report no interpreter.
        python=python if python.exists() else None,
        version=normalise_version(version) if version else None,
        resolved=Path(os.path.realpath(venv)),
        link=venv.is_symlink(),
    )


class VenvSetting(NamedTuple):
    """`lockstep.venv.path` and where the editor found it. Without a stated origin a value counts as the
    workspace's: only a path the user chose themselves may lead outside the project."""

    path: str | None = None
    origin: VenvPathOrigin = "workspace"


class VenvRefused(Exception):
    """The venv location a workspace names resolves outside the project: Lockstep will not touch it."""

    def __init__(self, venv: Path, message: str) -> None:
        super().__init__(message)
        self.venv = venv


_Source = Literal["user", "workspace", "default", "environment"]
_SOURCES: dict[_Source, str] = {
    "user": "lockstep.venv.path from your user settings",
    "workspace": "lockstep.venv.path from the workspace settings",
    "default": "The default venv folder",
    "environment": f"{UV_PROJECT_ENVIRONMENT} in the helper's environment",
}


def venv_location(
    env_root: Path, manager: Manager, environ: Mapping[str, str], setting: VenvSetting = VenvSetting()
) -> Path:
    """Where a project's venv lives (absolute, `..` folded, links kept): uv's `UV_PROJECT_ENVIRONMENT`
    for uv projects (uv would use it), else the `lockstep.venv.path` setting, else `.venv`. Relative
    paths start at `env_root`: the project's folder, or for a uv workspace member the workspace root,
    whose venv all members share.

    Raises `VenvRefused` when the place resolves (links followed) outside `env_root` and the user did
    not choose it: a repository can ship `.vscode/settings.json` and symbolic links, and Create, Recreate
    and Delete must not reach a folder outside the project through either. Outside is honoured only
    for a path the user wrote themselves (user settings, or `UV_PROJECT_ENVIRONMENT` in the helper's own
    environment, which comes from the user's session: no workspace setting reaches it) and that is
    itself outside; a user's path into the project still meets the project's links, and is checked.
    """
    uv_setting = environ.get(UV_PROJECT_ENVIRONMENT) if manager == "uv" else None
    source: _Source
    if uv_setting:
        chosen, source = uv_setting, "environment"
    elif setting.path:
        chosen, source = setting.path, setting.origin
    else:
        chosen, source = DEFAULT_VENV, "default"
    venv = Path(os.path.abspath(env_root / os.path.expanduser(chosen)))
    root = Path(os.path.abspath(env_root))
    if source in ("user", "environment") and not _strictly_inside(venv, root):
        return venv
    resolved = Path(os.path.realpath(venv))
    if _strictly_inside(resolved, Path(os.path.realpath(root))):
        return venv
    through = " through a symbolic link" if _strictly_inside(venv, root) else ""
    where = f"{venv}," if resolved == venv else f"{venv}, which resolves{through} to {resolved},"
    raise VenvRefused(
        venv,
        f"{_SOURCES[source]} names {where} outside the project {root}: Lockstep will not create, sync "
        "or delete a venv there. To use a folder outside the project, set lockstep.venv.path in your "
        "user settings to its path.",
    )


def _strictly_inside(path: Path, folder: Path) -> bool:
    """Whether `path` lies below `folder` (both absolute and normalised); the folder itself is not."""
    return path != folder and path.is_relative_to(folder)
