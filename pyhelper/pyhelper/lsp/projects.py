"""The workspace in the editor: settings, folders, watched files, and `lockstep/projects`.

Any change that can change the project list (a watched file, a workspace folder, a setting) asks the
session for a rescan; a change inside a known venv's site-packages only re-checks its projects' drift.
Besides the workspace-wide globs here, each known venv's site-packages is watched where it is
(`pyhelper.lsp.venvwatch`, registered after every scan).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from pyhelper.lockfiles.registry import watch_globs
from pyhelper.lsp import protocol, scripts
from pyhelper.lsp.session import UNTRUSTED, Session, WorkDone, run_reported
from pyhelper.lsp.settings import read_settings

log = logging.getLogger(__name__)

WATCH_REGISTRATION_ID = "lockstep-project-files"
WATCHED_GLOBS = (
    "**/pyproject.toml",
    *watch_globs(),
    "**/.python-version",
    "**/.python-envs",
    "**/pyvenv.cfg",
    "**/hatch.toml",
    # A PEP 723 script's lock (`uv lock --script`).
    "**/*.py.lock",
    # Deleting a venv reports the folder, not the pyvenv.cfg inside it.
    "**/.venv",
    # An install or uninstall (`uv pip install`, `pip`) adds or removes a dist-info folder and its RECORD:
    # environment drift is re-checked for that venv only, without a rescan.
    "**/site-packages/*.dist-info",
    "**/site-packages/*.dist-info/RECORD",
)
# site-packages changes (an install touches many files): one re-check for the burst.
VENV_DELAY = 0.2


def register_file_watchers(session: Session) -> None:
    server = session.server
    capability = server.client_capabilities.workspace
    watched = capability.did_change_watched_files if capability else None
    if not (watched and watched.dynamic_registration):
        log.info("The editor cannot watch files for the helper; projects refresh on request only.")
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED_GLOBS]
    )
    registration = types.Registration(
        id=WATCH_REGISTRATION_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
    )
    future = server.client_register_capability(types.RegistrationParams(registrations=[registration]))
    future.add_done_callback(_log_registration_failure)


def _log_registration_failure(done: Future[None]) -> None:
    if not done.cancelled() and (error := done.exception()) is not None:
        log.warning("File watching could not be registered (%s); projects refresh on request only.", error)


def recheck_venvs(session: Session, paths: Sequence[Path]) -> bool:
    """Changes inside a known venv's site-packages re-check its projects only (no rescan); returns
    whether every change was of that kind.

    A site-packages path in no known venv still needs the rescan: after a venv is renamed into place
    (how `pyhelper.environments` builds one), the editor's watcher can go on naming its files under the
    build folder's old name (code-server does, for `uv pip uninstall` after Lockstep created the venv)."""
    owners = {path: session.projects_of(path) for path in paths if "site-packages" in path.parts}
    known = {p.root: p for projects in owners.values() for p in projects}
    if known:
        session.schedule_drift(known.values(), VENV_DELAY)
    return all(owners.get(path) for path in paths)


def on_initialize(session: Session, params: types.InitializeParams) -> None:
    session.settings = read_settings(params.initialization_options, session.settings)


def on_initialized(session: Session, params: types.InitializedParams) -> None:
    register_file_watchers(session)
    session.request_scan(delay=0)


def on_watched_files(session: Session, params: types.DidChangeWatchedFilesParams) -> None:
    session.refresh_interpreters(to_fs_path(change.uri) or change.uri for change in params.changes)
    paths = [Path(path) for change in params.changes if (path := to_fs_path(change.uri))]
    paths = scripts.recheck_locks(session, paths)
    if paths and not recheck_venvs(session, paths):
        # A file of no known project (a new pyproject.toml, a .python-version, a venv's files under a
        # name it no longer has) may concern any project: then all are checked again.
        known = all(session.projects_of(path) for path in paths)
        session.request_scan(changed=paths if known else None)


def on_workspace_folders(session: Session, params: types.DidChangeWorkspaceFoldersParams) -> None:
    session.request_scan()


def on_configuration(session: Session, params: types.DidChangeConfigurationParams) -> None:
    section = params.settings.get("lockstep") if isinstance(params.settings, dict) else None
    settings = read_settings(section, session.settings)
    if settings != session.settings:
        session.settings = settings
        session.republish_drift()
        session.request_scan()


async def on_projects(session: Session, params: protocol.ProjectsParams) -> protocol.ProjectsResult:
    scan = await session.current_scan(refresh=params.get("refresh", False))
    return {"projects": session.project_infos(scan.projects)}


async def on_init_project(session: Session, params: protocol.InitProjectParams) -> protocol.UpdateLockResult:
    """Create a pyproject.toml in a workspace folder with none (`pyhelper.initproject`), then rescan."""
    import os
    import threading

    from pyhelper.initproject import init_project
    from pyhelper.interpreters.choice import choose_interpreter
    from pyhelper.uvtool import find_uv

    if not session.settings.trusted:
        return {"status": "failed", "message": UNTRUSTED.format(doing="creates projects")}
    folder = Path(params["folder"])
    if folder not in session.folders():  # only a folder the editor opened, never a path the client made up
        return {"status": "failed", "message": f"{folder} is not a workspace folder."}
    settings = session.settings

    def chosen_python() -> Path | None:
        interpreters = session.discovery().interpreters()
        chosen = choose_interpreter(interpreters, preference=settings.python_preference).chosen
        return Path(chosen.path) if chosen is not None else None

    python = await asyncio.to_thread(chosen_python)
    uv = await asyncio.to_thread(find_uv, settings.uv_path, os.environ)
    progress = WorkDone(
        session.server, params.get("workDoneToken"), f"Creating pyproject.toml in {folder.name}"
    )

    def work(cancel: threading.Event) -> protocol.UpdateLockResult:
        outcome = init_project(folder, uv, python, os.environ, cancel)
        return {"status": outcome.status, "message": outcome.message}

    answer = await run_reported(work, progress)
    if answer["status"] == "ok":
        session.request_scan(delay=0)
    return answer


HANDLERS: dict[str, Callable[..., Any]] = {
    types.INITIALIZE: on_initialize,
    types.INITIALIZED: on_initialized,
    types.WORKSPACE_DID_CHANGE_WATCHED_FILES: on_watched_files,
    types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS: on_workspace_folders,
    types.WORKSPACE_DID_CHANGE_CONFIGURATION: on_configuration,
    protocol.PROJECTS: on_projects,
    protocol.INIT_PROJECT: on_init_project,
}
