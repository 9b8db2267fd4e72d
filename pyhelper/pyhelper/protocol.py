"""Lockstep's custom LSP protocol: method names and payload shapes, declared once.

The TypeScript twin is `extension/protocol.ts`; keep the two in step.
"""

from __future__ import annotations

from typing import Literal, TypedDict

# Requests (client -> helper)
PROJECTS = "lockstep/projects"
# Notifications (helper -> client)
PROJECTS_CHANGED = "lockstep/projectsChanged"

Manager = Literal["uv", "poetry", "pdm", "hatch", "pep621"]


class VenvInfo(TypedDict):
    path: str
    """Absolute path of the venv folder."""
    name: str
    """Folder name as a person would say it, e.g. `.venv`."""
    python: str | None
    """Absolute path of the venv's interpreter, when it exists."""
    version: str | None
    """Interpreter version read from pyvenv.cfg (e.g. `3.12.7`), when recorded."""


class ProjectInfo(TypedDict):
    name: str | None
    root: str
    pyproject: str
    manager: Manager
    lockfile: str | None
    pylock: list[str]
    requiresPython: str | None
    pythonVersion: str | None
    """Content of the `.python-version` file that applies, if any."""
    venv: VenvInfo | None
    workspaceRoot: str | None
    """For a uv workspace member: the root project's folder."""


class ProjectsResult(TypedDict):
    projects: list[ProjectInfo]
