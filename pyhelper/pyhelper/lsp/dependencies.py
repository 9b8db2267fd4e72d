"""A project's dependencies in the editor: what the Python Projects view lists under a project
(`lockstep/projectDetails`, from the engine's latest drift check of it: `pyhelper.dependencies`), and
Add / Remove / Upgrade Dependency through the project's own manager (`lockstep/changeDependency`:
`pyhelper.managing`)."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pyhelper.lsp import protocol
from pyhelper.lsp.drift import python_to_lock_with
from pyhelper.lsp.payloads import project_details
from pyhelper.lsp.session import Session, WorkDone, run_reported, shown

if TYPE_CHECKING:
    from pyhelper.drift.session import ProjectDrift
    from pyhelper.findings import Finding
    from pyhelper.projects import Project
    from pyhelper.tomlfile import TomlDocument


def _details(
    session: Session, project: Project, buffer: TomlDocument | Finding | None, drift: ProjectDrift | None
) -> protocol.ProjectDetails:
    from pyhelper.dependencies import dependency_groups
    from pyhelper.drift.environment import read_venv
    from pyhelper.tomlfile import TomlDocument, read_toml, syntax_problem

    doc = buffer if buffer is not None else read_toml(project.pyproject)
    lockfile, cache = project.lockfile, session.drift()
    snapshot = drift.snapshot if drift is not None else None
    if snapshot is None and project.venv is not None:
        snapshot = read_venv(project.venv.path)
    selection = drift.selection if drift is not None else None
    settings = session.settings

    def lock_versions(name: str) -> Sequence[str | None]:
        return cache.locked_versions(lockfile, name) if lockfile is not None else ()

    def visible(findings: Sequence[Finding]) -> Sequence[Finding]:
        return shown(findings, settings)

    if not isinstance(doc, TomlDocument):
        return project_details(project, [], visible, snapshot, None, syntax_problem(doc))
    groups = dependency_groups(doc, drift, lock_versions)
    selected = len(selection.packages) if selection is not None and selection.problem is None else None
    return project_details(project, groups, visible, snapshot, selected, None)


async def on_project_details(
    session: Session, params: protocol.ProjectDetailsParams
) -> protocol.ProjectDetails | None:
    project = await session.find_project(params["root"])
    if project is None:
        return None
    results = session.drift().results
    if project.root not in results:
        await session.check_drift([project.root])
    buffer = session.parsed_document(project.pyproject)
    return await asyncio.to_thread(_details, session, project, buffer, results.get(project.root))


async def on_change_dependency(
    session: Session, params: protocol.ChangeDependencyParams
) -> protocol.UpdateLockResult:
    from pathlib import Path

    from pyhelper.drift.session import lock_place
    from pyhelper.managing import DependencyChange, change_dependency

    project = await session.project_to_change(params["root"], doing="changes dependencies")
    if isinstance(project, str):
        return {"status": "failed", "message": project}
    change = DependencyChange(
        params["change"],
        params["package"],
        params.get("kind", "main"),
        params.get("group"),
        params.get("version"),
    )
    python = params.get("python") or await asyncio.to_thread(python_to_lock_with, session, project)
    lock_root, _ = lock_place(project)
    verb = {"add": "Adding", "remove": "Removing", "upgrade": "Upgrading"}[change.change]
    progress = WorkDone(session.server, params.get("workDoneToken"), f"{verb} {change.package}")

    def work(cancel: threading.Event) -> protocol.UpdateLockResult:
        def line(text: str) -> None:
            progress.tool_output.add(text)
            progress.report(text)

        done = change_dependency(
            project.manager,
            project.root,
            lock_root,
            Path(python) if python else None,
            change,
            uv_path=session.settings.uv_path,
            environ=os.environ,
            on_line=line,
            cancel=cancel,
        )
        return {"status": done.status, "message": done.message}

    answer = await run_reported(work, progress)
    # pyproject.toml and the lock changed: re-check now rather than wait for the file events.
    session.schedule_drift(session.projects_of(project.pyproject) or [project], delay=0)
    return answer


HANDLERS: dict[str, Callable[..., Any]] = {
    protocol.PROJECT_DETAILS: on_project_details,
    protocol.CHANGE_DEPENDENCY: on_change_dependency,
}
