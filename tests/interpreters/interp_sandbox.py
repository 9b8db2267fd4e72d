"""A sandboxed home for discovery tests (imported by name, never as `conftest`: several areas have one)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyhelper.interpreters.discovery import Discovery, DiscoveryOptions
from pyhelper.interpreters.locations import Host
from pyhelper.interpreters.model import Interpreter


@dataclass
class Sandbox:
    """A home folder with its own pyenv root, uv and Lockstep install dirs and PATH."""

    root: Path
    path_dirs: list[Path] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def pyenv_versions(self) -> Path:
        return self.home / ".pyenv" / "versions"

    @property
    def uv_dir(self) -> Path:
        return self.root / "uv-python"

    @property
    def lockstep_dir(self) -> Path:
        return self.root / "lockstep-python"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYENV_VERSION", "CONDA_PREFIX")}
        env.update(
            HOME=str(self.home),
            PYENV_ROOT=str(self.home / ".pyenv"),
            UV_PYTHON_INSTALL_DIR=str(self.uv_dir),
            LOCKSTEP_PYTHON_INSTALL_DIR=str(self.lockstep_dir),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            PATH=os.pathsep.join(str(p) for p in self.path_dirs),
        )
        return env

    def host(self) -> Host:
        return Host(sys.platform, self.env, str(self.home))

    def discovery(self, workspace: Sequence[Path] = (), query_unreadable: bool = True) -> Discovery:
        roots = tuple(str(p) for p in workspace)
        options = DiscoveryOptions(workspace_roots=roots, query_unreadable=query_unreadable)
        return Discovery(self.host(), options)

    def mine(self, found: Sequence[Interpreter]) -> dict[str, Interpreter]:
        """The interpreters inside the sandbox (the machine's /usr/bin is always searched too)."""
        return {i.path: i for i in found if i.path.startswith(str(self.root))}
