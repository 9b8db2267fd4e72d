"""A project's dependencies in the editor: what the Python Projects view lists under a project
(`lockstep/projectDetails`, from the engine's latest drift check of it: `pyhelper.dependencies`),
Add / Remove / Upgrade Dependency through the project's own manager (`lockstep/changeDependency`:
`pyhelper.managing`), Add Dependency's search of the project's index (`lockstep/searchPackages`:
`pyhelper.health.search`), a package's place in the lock (`lockstep/lockEntry`, for Reveal in
Lockfile), and the code actions on pyproject.toml that run those editor commands."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from pyhelper.lsp import protocol
from pyhelper.lsp.drift import python_to_lock_with
from pyhelper.lsp.payloads import dependency_group_info, dependency_health, dependency_info, project_details
from pyhelper.lsp.session import Session, WorkDone, run_reported, shown

if TYPE_CHECKING:
    from pyhelper.dependencies import Dependency, DependencyGroup
    from pyhelper.drift.session import ProjectDrift
    from pyhelper.findings import Finding, Range
    from pyhelper.health.index import VersionInfo
    from pyhelper.health.search import PackageSearch, SearchResult
    from pyhelper.projects import Project
    from pyhelper.tomlfile import TomlDocument

log = logging.getLogger(__name__)

ADD_COMMAND = "lockstep.addDependency"
REMOVE_COMMAND = "lockstep.removeDependency"
UPGRADE_COMMAND = "lockstep.upgradeDependency"
"""The editor commands the view's rows run, and the code actions on pyproject.toml with them."""


def _groups(
    session: Session, project: Project, doc: TomlDocument, drift: ProjectDrift | None
) -> list[DependencyGroup]:
    from pyhelper.dependencies import dependency_groups

    lockfile, cache = project.lockfile, session.drift()

    def lock_versions(name: str) -> Sequence[str | None]:
        return cache.locked_versions(lockfile, name) if lockfile is not None else ()

    return dependency_groups(doc, drift, lock_versions)


def _visible(session: Session) -> Callable[[Sequence[Finding]], Sequence[Finding]]:
    settings = session.settings
    return lambda findings: shown(findings, settings)


def _health(session: Session, project: Project) -> Callable[[Dependency], protocol.DependencyHealth | None]:
    """A requirement's health from the project's last check (no request), as the settings show it."""
    result = session.health().results.get(project.root)
    if result is None:
        return lambda _: None
    settings, cache, lockfile = session.settings, session.drift(), result.project.lockfile
    levels = {finding.code: finding.severity for finding in shown(result.findings, settings)}

    def locked(name: str) -> Sequence[str | None]:
        return cache.locked_versions(lockfile, name)

    return lambda dependency: dependency_health(
        result, dependency.name, levels, locked, settings.health_outdated
    )


def _details(
    session: Session, project: Project, buffer: TomlDocument | Finding | None, drift: ProjectDrift | None
) -> protocol.ProjectDetails:
    from pyhelper.drift.environment import read_venv
    from pyhelper.tomlfile import TomlDocument, read_toml, syntax_problem

    doc = buffer if buffer is not None else read_toml(project.pyproject)
    snapshot = drift.snapshot if drift is not None else None
    if snapshot is None and project.venv is not None:
        snapshot = read_venv(project.venv.path)
    selection = drift.selection if drift is not None else None
    visible, health = _visible(session), _health(session, project)
    if not isinstance(doc, TomlDocument):
        return project_details(project, [], visible, health, snapshot, None, syntax_problem(doc))
    groups = _groups(session, project, doc, drift)
    selected = len(selection.packages) if selection is not None and selection.problem is None else None
    return project_details(project, groups, visible, health, snapshot, selected, None)


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


def _why_two_steps(session: Session, project: Project, python: str | None) -> str | None:
    """Why uv's own sync (`uv add` without `--no-sync`) might not leave the venv as the two steps
    (`uv add --no-sync`, then Sync Environment's `uv sync --locked`) would; None when it does.

    uv's sync after add/remove takes no groups or extras and is inexact (it keeps what the lock no
    longer selects), and it syncs the venv uv itself finds with the interpreter it is given. So: the
    default choice of groups and extras; the project's own `.venv`, which both Lockstep and uv use (no
    `UV_PROJECT_ENVIRONMENT` or `lockstep.venv.path` elsewhere), changed with its own interpreter; and a
    venv in sync before, so that nothing extraneous is there to be kept. What the change itself leaves
    extraneous (what only the removed requirement needed) is found by the check after it, as is a sync
    that uv's settings skipped (`UV_NO_SYNC`, `tool.uv.managed = false`)."""
    from pyhelper.venvs import DEFAULT_VENV, VenvRefused

    settings, venv = session.environment_options(project), project.venv
    if project.manager != "uv":
        return f"{project.manager} is told to install nothing"
    if not settings.choice.is_default:
        return "the project syncs chosen groups or extras"
    if venv is None or venv.python is None or venv.listed_in is not None:
        return "the project has no venv of its own"
    try:
        location = session.environments().location(project, settings)
    except VenvRefused as refused:
        return str(refused)
    # `location` is where `UV_PROJECT_ENVIRONMENT` (which uv reads too) or lockstep.venv.path puts it.
    if not (location == venv.path == project.env_root / DEFAULT_VENV):
        return f"the venv is not the project's {DEFAULT_VENV}"
    if python is None or os.path.abspath(python) != os.path.abspath(venv.python):
        return "the interpreter is not the venv's"
    return None


def _drifted(session: Session, project: Project) -> str | None:
    """Why not when the venv is not in sync with the lock (checked afresh: the venv is held)."""
    in_sync = session.drift().environment_in_sync(project, session.environment_options(project).choice)
    return None if in_sync else "the venv was not in sync with the lock before the change"


async def on_change_dependency(
    session: Session, params: protocol.ChangeDependencyParams
) -> protocol.ChangeDependencyResult:
    from pathlib import Path

    from pyhelper.drift.session import SyncReadAhead, lock_place
    from pyhelper.filelocks import LockWaitCancelled
    from pyhelper.locking import LockOutcome
    from pyhelper.managing import DependencyChange, change_dependency, uv_lock_writes

    project = await session.project_to_change(params["root"], doing="changes dependencies")
    if isinstance(project, str):
        return {"status": "failed", "message": project, "environmentSynced": False}
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
    # With pyproject.toml open, the check after uv reads the editor's buffer: it cannot be made early.
    check_early = session.parsed_document(project.pyproject) is None
    own_sync: SyncReadAhead | None = None
    """The read-ahead of uv's own sync of the venv, once uv ran it and succeeded."""

    def work(cancel: threading.Event) -> protocol.ChangeDependencyResult:
        nonlocal own_sync
        read_ahead: SyncReadAhead | None = None

        def line(text: str) -> None:
            progress.tool_output.add(text)
            progress.report(text)
            if read_ahead is not None:
                read_ahead.saw(text)

        def run(sync: bool) -> LockOutcome:
            return change_dependency(
                project.manager,
                project.root,
                lock_root,
                Path(python) if python else None,
                change,
                uv_path=session.settings.uv_path,
                environ=os.environ,
                on_line=line,
                cancel=cancel,
                sync=sync,
            )

        two_steps = _why_two_steps(session, project, python)
        if two_steps is None and project.venv is not None:
            try:
                # Held as Sync Environment holds it: no Create, Sync or Delete of it meanwhile.
                with session.environments().holding(project.venv.path, cancel) as held:
                    two_steps = _drifted(session, project) if held else "Lockstep is working on the venv"
                    if two_steps is None:
                        log.info("%s %s with uv's own sync of the venv (one process)", verb, change.package)
                        choice = session.environment_options(project).choice
                        writes = uv_lock_writes(change)
                        read_ahead = SyncReadAhead(session.drift(), project, choice, writes, check_early)
                        try:
                            done = run(sync=True)
                        finally:
                            read_ahead.stop()
                        if done.status == "ok":
                            if not read_ahead.venv_read:
                                # Still held: read now, what uv wrote is final (the re-check reads no more).
                                session.drift().venv_written(project.venv.path)
                            own_sync = read_ahead
                        return {"status": done.status, "message": done.message, "environmentSynced": False}
            except LockWaitCancelled:
                message = "Cancelled while another window was working on the venv; nothing changed."
                return {"status": "cancelled", "message": message, "environmentSynced": False}
        log.info("%s %s, then Sync Environment: %s", verb, change.package, two_steps)
        done = run(sync=False)
        return {"status": done.status, "message": done.message, "environmentSynced": False}

    answer = await run_reported(work, progress)
    results = session.drift().results
    earlier = results.get(project.root)
    made = None
    # Checked as uv listed its changes, from the files it had finished writing (unless the choice of
    # groups changed meanwhile): not checked again.
    choice = session.environment_options(project).choice
    if own_sync is not None and own_sync.checked is not None and own_sync.choice == choice:
        made = {project.root: own_sync.checked}
    # pyproject.toml and the lock changed: re-checked before the answer, not after the file events.
    await session.check_drift_now(session.projects_of(project.pyproject) or [project], made)
    if own_sync is not None:
        # That check also says whether uv's own sync left the venv as the lock selects (if it ran). It
        # reads the editor's buffer of pyproject.toml, which may not show uv's edit yet; what a uv lock
        # selects depends on no part of pyproject.toml that `uv add`/`uv remove` change.
        checked = results.get(project.root)
        synced = checked is not earlier and checked is not None and checked.environment_in_sync
        if not synced:
            log.info("The venv is not what the lock selects yet: Sync Environment follows")
        answer["environmentSynced"] = synced
    return answer


async def on_lock_entry(session: Session, params: protocol.LockEntryParams) -> protocol.LockEntryPlace | None:
    """Only reads the lock: answered in an untrusted workspace too."""
    from pyhelper.requirements import canonicalize_name

    project = await session.find_project(params["root"])
    if project is None or project.lockfile is None:
        return None
    lockfile, name = project.lockfile, canonicalize_name(params["package"])
    entry = await asyncio.to_thread(session.drift().lock_entry, lockfile, name, params.get("version"))
    if entry is None:
        return None
    return {"path": str(lockfile), "line": entry.range.start.line, "character": entry.range.start.character}


_SEARCHES: weakref.WeakKeyDictionary[Session, PackageSearch] = weakref.WeakKeyDictionary()
"""One search per session: its pooled client and the index listings it fetched lately."""


def _search_of(session: Session) -> PackageSearch:
    from pyhelper.health.cache import HttpCache
    from pyhelper.health.client import IndexClient
    from pyhelper.health.search import PackageSearch

    search = _SEARCHES.get(session)
    network = session.settings.health_network
    if search is None or (search.client is None) == network:
        client = IndexClient() if network else None
        if search is not None and search.client is not None:
            search.client.close()
        search = _SEARCHES[session] = PackageSearch(client, HttpCache())
    return search


def _search(session: Session, search: PackageSearch, project: Project, query: str) -> SearchResult:
    from pyhelper.health.locked import LockedProject, locked_project
    from pyhelper.health.search import project_indexes
    from pyhelper.tomlfile import TomlDocument, read_toml

    doc = read_toml(project.pyproject)
    data = doc.data if isinstance(doc, TomlDocument) else {}
    locked = locked_project(project.pyproject, session.drift().locks)
    known = [entry.name for entry in locked.entries] if isinstance(locked, LockedProject) else []
    return search.search(query, project_indexes(data, project.manager, os.environ), known)


async def on_search_packages(
    session: Session, params: protocol.SearchPackagesParams
) -> protocol.SearchPackagesResult:
    """Names on the project's index matching what the user types, and the exact name's versions. The
    index is a URL the workspace names: asked only in a trusted workspace."""
    project = await session.project_to_change(params["root"], doing="searches package indexes")
    if isinstance(project, str):
        return _no_search(project)
    search = _search_of(session)  # on the event loop: one search per session, made once
    found = await asyncio.to_thread(_search, session, search, project, params["query"])
    return {
        "indexes": list(found.indexes),
        "packages": [{"name": match.name, "source": match.source} for match in found.matches],
        "versions": None if found.versions is None else [_version(info) for info in found.versions],
        "index": found.found_on,
        "offline": found.offline,
        "problem": found.problem,
    }


def _version(info: VersionInfo) -> protocol.PackageVersion:
    return {
        "version": info.version,
        "prerelease": info.prerelease,
        "yanked": info.yanked,
        "yankReason": info.yank_reason,
    }


def _no_search(problem: str) -> protocol.SearchPackagesResult:
    return {
        "indexes": [],
        "packages": [],
        "versions": None,
        "index": None,
        "offline": False,
        "problem": problem,
    }


def _requirements_at(
    groups: Sequence[DependencyGroup], where: Range
) -> list[tuple[DependencyGroup, Dependency]]:
    """The requirements on the lines `where` spans; of several on one line, the ones it touches."""
    on_lines = [
        (group, dependency)
        for group in groups
        for dependency in group.dependencies
        if dependency.range.start.line <= where.end.line and where.start.line <= dependency.range.end.line
    ]
    touched = [(g, d) for g, d in on_lines if d.range.start <= where.end and where.start <= d.range.end]
    return touched or on_lines


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP's `only` filter: a kind is asked for when it is, or is under (`refactor.x`), one of them."""
    return only is None or any(kind == asked or kind.startswith(asked + ".") for asked in only)


def _action(title: str, kind: types.CodeActionKind, command: str, argument: object) -> types.CodeAction:
    return types.CodeAction(
        title=title, kind=kind, command=types.Command(title=title, command=command, arguments=[argument])
    )


def code_actions(
    session: Session, project: Project, doc: TomlDocument, where: Range, only: Sequence[str] | None
) -> list[types.CodeAction]:
    """On a requirement of the project's pyproject.toml (`where`, in the engine's units): Upgrade NAME and
    Remove NAME with its group preset, as the view's row runs them; anywhere in it, Add Dependency….
    Each runs the project's manager: nothing in an untrusted workspace."""
    if not session.settings.trusted:
        return []
    root = str(project.root)
    visible, health = _visible(session), _health(session, project)
    groups = _groups(session, project, doc, session.drift().results.get(project.root))
    actions = []
    for group, dependency in _requirements_at(groups, where):
        row: protocol.DependencyRow = {
            "root": root,
            "group": dependency_group_info(group, visible, health),
            "dependency": dependency_info(dependency, visible(dependency.findings), health(dependency)),
        }
        for verb, command in (("Upgrade", UPGRADE_COMMAND), ("Remove", REMOVE_COMMAND)):
            actions.append(_action(f"{verb} {dependency.name}", types.CodeActionKind.Refactor, command, row))
    anywhere: protocol.DependencyRow = {"root": root}
    actions.append(_action("Add Dependency…", types.CodeActionKind.Source, ADD_COMMAND, anywhere))
    return [action for action in actions if action.kind is not None and _wanted(action.kind, only)]


HANDLERS: dict[str, Callable[..., Any]] = {
    protocol.PROJECT_DETAILS: on_project_details,
    protocol.CHANGE_DEPENDENCY: on_change_dependency,
    protocol.SEARCH_PACKAGES: on_search_packages,
    protocol.LOCK_ENTRY: on_lock_entry,
}
