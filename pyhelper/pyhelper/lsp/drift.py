"""Drift in the editor: pyproject documents checked as typed, quick fixes, hover, Check Lockfile Drift and
Update Lockfile.

A pyproject buffer's own findings (syntax, invalid requirements) are published at once; its lock and
environment drift is checked by the session, debounced (`Session.schedule_drift`).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from pyhelper import codes
from pyhelper.codes import QuickFix
from pyhelper.drift.environment import describe_requirement, requirement_at
from pyhelper.drift.session import lock_place
from pyhelper.lsp import outdated, protocol, scripts
from pyhelper.lsp.session import (
    DOCUMENT_PART,
    Session,
    WorkDone,
    run_reported,
)
from pyhelper.tomlfile import TomlDocument, parse_toml

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from pyhelper.projects import Project


def check_document(session: Session, uri: str) -> None:
    """Check one document as the editor has it (or, once closed, as on disk) and publish the findings.

    The single place where document checks plug in.
    """
    from pyhelper.projects import document_findings
    from pyhelper.tomlfile import read_toml
    from pyhelper.walk import PYPROJECT

    fs_path = to_fs_path(uri)
    if fs_path is not None and fs_path.endswith(".py"):
        scripts.check_document(session, Path(fs_path))
        return
    if fs_path is None or Path(fs_path).name != PYPROJECT:
        return
    path = Path(fs_path)
    parsed = session.parsed_document(path)
    if parsed is not None:
        session.publish_part(path, DOCUMENT_PART, document_findings(parsed))
    elif path.is_file():
        session.publish_part(path, DOCUMENT_PART, document_findings(read_toml(path)))
    else:
        session.publish_part(path, DOCUMENT_PART, ())
    # Lock and environment drift, from the buffer as typed (debounced).
    session.schedule_drift(session.projects_of(path))


def on_document(
    session: Session,
    params: types.DidOpenTextDocumentParams
    | types.DidChangeTextDocumentParams
    | types.DidSaveTextDocumentParams
    | types.DidCloseTextDocumentParams,
) -> None:
    check_document(session, params.text_document.uri)


def _project_for_file(session: Session, path: Path) -> Project | None:
    candidates = session.projects_of(path)
    # A shared lockfile: the project at the lock's folder (the workspace root) speaks for it.
    for project in candidates:
        if project.root == path.parent:
            return project
    return candidates[0] if candidates else None


QUICK_FIX_COMMANDS: dict[QuickFix, str] = {
    QuickFix.UPDATE_LOCK: "lockstep.updateLock",
    QuickFix.SYNC_ENVIRONMENT: "lockstep.syncEnvironment",
    QuickFix.RECREATE_ENVIRONMENT: "lockstep.recreateEnvironment",
}
"""The editor command each quick-fix family runs (with the project's root); tests/codes checks that
every family has one and that package.json declares it."""


def _fitting_python(session: Session, project: Project) -> str:
    """`Python 3.12`: what the project's rules would recreate the venv with."""
    choice = session.choose_python(project)
    if choice.chosen is not None:
        return "Python " + ".".join(choice.chosen.version.split(".")[:2])
    return choice.install.label if choice.install is not None else "a fitting Python"


async def on_code_action(session: Session, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """One quick fix per family (the registry's `QuickFix` of each diagnostic's code), for all of that
    family's diagnostics at once, in the registry's order; the first is preferred."""
    from pyhelper.lsp.diagnostics import SOURCE

    path = to_fs_path(params.text_document.uri)
    project = _project_for_file(session, Path(path)) if path else None
    if project is None:
        # A PEP 723 script (or its NAME.py.lock) is a project of its own.
        return (
            (scripts.code_actions(session, Path(path), params.context.diagnostics) or None) if path else None
        )
    families: dict[QuickFix, list[types.Diagnostic]] = {fix: [] for fix in QuickFix}
    for diagnostic in params.context.diagnostics:
        entry = codes.lookup(diagnostic.code) if diagnostic.source == SOURCE else None
        if entry is not None and entry.fix is not None:
            families[entry.fix].append(diagnostic)
    root = str(project.root)
    actions = []
    for fix, diagnostics in families.items():
        if not diagnostics:
            continue
        title = fix.value
        if fix is QuickFix.RECREATE_ENVIRONMENT:
            title += f" with {await asyncio.to_thread(_fitting_python, session, project)}"
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=diagnostics,
                command=types.Command(title=title, command=QUICK_FIX_COMMANDS[fix], arguments=[root]),
            )
        )
    if actions:
        actions[0].is_preferred = True
    if path:
        actions += session.health().code_actions(project.root, Path(path), params.context.diagnostics)
    buffer = _pyproject_buffer(session, params.text_document.uri) if path == str(project.pyproject) else None
    if buffer is not None:
        # Imported here: the dependencies module imports this one.
        from pyhelper.findings import Position, Range
        from pyhelper.lsp import dependencies

        document, doc = buffer
        where = session.server.workspace.position_codec.range_from_client_units(document.lines, params.range)
        actions += await asyncio.to_thread(
            dependencies.code_actions,
            session,
            project,
            doc,
            Range(
                Position(where.start.line, where.start.character),
                Position(where.end.line, where.end.character),
            ),
            params.context.only,
        )
    return actions or None


def _pyproject_buffer(session: Session, uri: str) -> tuple[TextDocument, TomlDocument] | None:
    """A pyproject.toml as the editor has it, with its parse; None when it is not one or does not parse."""
    path = to_fs_path(uri)
    if path is None or Path(path).name != "pyproject.toml":
        return None
    document = session.server.workspace.get_text_document(uri)
    doc = session.parsed_document(Path(path))
    if doc is None:
        doc = parse_toml(Path(path), document.source)
    return (document, doc) if isinstance(doc, TomlDocument) else None


async def on_hover(session: Session, params: types.HoverParams) -> types.Hover | None:
    path = to_fs_path(params.text_document.uri)
    buffer = _pyproject_buffer(session, params.text_document.uri)
    if path is None or buffer is None:
        return None
    document, doc = buffer
    codec = session.server.workspace.position_codec
    position = codec.position_from_client_units(document.lines, params.position)
    found = requirement_at(doc, position.line, position.character)
    project = _project_for_file(session, Path(path))
    if found is None or project is None:
        return None
    name, where = found
    drift = session.drift()
    result = drift.results.get(project.root)
    lockfile = project.lockfile
    selection = result.selection if result else None
    locked = selection.packages.get(name) if selection else None
    versions = await asyncio.to_thread(drift.locked_versions, lockfile, name) if lockfile else []
    text = describe_requirement(name, lockfile, locked, versions, result.snapshot if result else None)
    newest = outdated.hover_line(session, Path(path), name)
    text += f"\n{newest}" if newest else ""
    client_range = codec.range_to_client_units(
        document.lines,
        types.Range(
            start=types.Position(line=where.start.line, character=where.start.character),
            end=types.Position(line=where.end.line, character=where.end.character),
        ),
    )
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=client_range
    )


async def on_check_drift(session: Session, params: protocol.NoParams) -> protocol.ProjectsResult:
    """Re-check every project now (the Check Lockfile Drift command); answers with their states."""
    scan = await session.current_scan(refresh=True)
    await session.check_drift()
    return {"projects": session.project_infos(scan.projects)}


def python_to_lock_with(session: Session, project: Project) -> str | None:
    """Without the user's selection: the project's venv interpreter, else the one its rules choose."""
    venv = project.venv
    if venv is not None and venv.python:
        return str(venv.python)
    chosen = session.choose_python(project).chosen
    return chosen.path if chosen else None


async def on_update_lock(session: Session, params: protocol.UpdateLockParams) -> protocol.UpdateLockResult:
    from pyhelper.locking import lock_project

    project = await session.project_to_change(params.get("root"), doing="re-locks")
    if isinstance(project, str):
        return {"status": "failed", "message": project}
    python = params.get("python") or await asyncio.to_thread(python_to_lock_with, session, project)
    lock_root, lock_name = lock_place(project)
    progress = WorkDone(session.server, params.get("workDoneToken"), f"Updating {lock_name}")

    def work(cancel: threading.Event) -> protocol.UpdateLockResult:
        def line(text: str) -> None:
            progress.tool_output.add(text)
            progress.report(text)

        done = lock_project(
            project.manager,
            project.root,
            lock_root,
            Path(python) if python else None,
            uv_path=session.settings.uv_path,
            environ=os.environ,
            on_line=line,
            cancel=cancel,
        )
        return {"status": done.status, "message": done.message}

    answer = await run_reported(work, progress)
    # The lock changed: re-checked before the answer, not after the file event.
    await session.check_drift_now(session.projects_of(lock_root / lock_name) or [project])
    return answer


HANDLERS: dict[str, Callable[..., Any]] = {
    types.TEXT_DOCUMENT_DID_OPEN: on_document,
    types.TEXT_DOCUMENT_DID_CHANGE: on_document,
    types.TEXT_DOCUMENT_DID_SAVE: on_document,
    types.TEXT_DOCUMENT_DID_CLOSE: on_document,
    types.TEXT_DOCUMENT_CODE_ACTION: on_code_action,
    types.TEXT_DOCUMENT_HOVER: on_hover,
    protocol.CHECK_DRIFT: on_check_drift,
    protocol.UPDATE_LOCK: on_update_lock,
}
