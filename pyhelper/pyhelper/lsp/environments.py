"""Environments in the editor: plan, create (downloading a managed Python when allowed), sync, delete.

`lockstep/planEnvironment`, `lockstep/createEnvironment`, `lockstep/syncEnvironment` and
`lockstep/deleteEnvironment` translate between the protocol (`pyhelper.lsp.protocol`) and the engine
(`environments`, `interpreters`, `downloads`). The engine calls block, so they run in a worker thread
(`session.run_blocking`): their progress becomes work-done progress on the request's token, and
cancelling the request sets the engine's cancel token and waits for it to put things back before the
cancellation is answered.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lsp import protocol
from pyhelper.lsp.payloads import venv_info
from pyhelper.lsp.session import Session, WorkDone, run_reported

if TYPE_CHECKING:
    from pyhelper.downloads import InstallSettings
    from pyhelper.environments import Outcome
    from pyhelper.interpreters.choice import InstallRequest, InterpreterDecision
    from pyhelper.projects import Project

log = logging.getLogger(__name__)


def result(
    status: protocol.EnvironmentStatus,
    message: str,
    venv: Path | None = None,
    python_request: str | None = None,
    download: protocol.PythonDownload | None = None,
) -> protocol.EnvironmentResult:
    from pyhelper.venvs import describe_venv

    described = describe_venv(venv) if venv else None
    return {
        "status": status,
        "message": message,
        "venv": venv_info(described) if described else None,
        "pythonRequest": python_request,
        "download": download,
    }


def install_settings(session: Session) -> InstallSettings:
    from pyhelper.downloads import InstallSettings

    settings = session.settings
    return InstallSettings.resolve(
        install_dir=settings.python_install_dir,
        mirror=settings.python_install_mirror,
        downloads_json=settings.python_downloads_json,
    )


def python_download(session: Session, install: InstallRequest) -> protocol.PythonDownload | None:
    """The concrete build (and its size) a download for `install` would fetch; None when the catalogue
    cannot say, and the question falls back to the range (`Python >=3.12`)."""
    from pyhelper.downloads import InstallError, download_offer

    try:
        offer = download_offer(install.specifier, install_settings(session))
    except InstallError as error:
        log.warning("No download to offer for %s: %s", install.label, error)
        return None
    build = offer.build
    label = f"Python {build.version}" + (" (free-threaded)" if build.freethreaded else "")
    return {"label": label, "version": str(build.version), "size": offer.size, "url": build.url}


DOWNLOAD_SETTINGS_HINT = (
    "Downloads come from python-build-standalone's releases unless the lockstep.python.installMirror or "
    "lockstep.python.downloadsJson setting names another source."
)


def outcome_result(outcome: Outcome) -> protocol.EnvironmentResult:
    return result(outcome.status, outcome.message, outcome.venv)


# Handlers ------------------------------------------------------------------------------------------


async def on_plan_environment(
    session: Session, params: protocol.EnvironmentParams
) -> protocol.EnvironmentPlan | None:
    from pyhelper.lockfiles import count_locked_packages
    from pyhelper.locking import find_lock_tool, uses_lockfile
    from pyhelper.venvs import VenvRefused

    project = await session.find_project(params.get("root"))
    if project is None or project.pyproject_error:
        return None  # nothing to offer until pyproject.toml parses
    choice = await asyncio.to_thread(session.choose_python, project)
    try:
        venv, refusal = session.environments().location(project, session.environment_options()), None
    except VenvRefused as refused:
        venv, refusal = refused.venv, str(refused)
    lockfile = project.lockfile
    packages = await asyncio.to_thread(count_locked_packages, lockfile) if lockfile else None
    install = None if choice.chosen else choice.install
    lock: protocol.PlanLock = "none"
    if lockfile:
        lock = "locked"
    elif uses_lockfile(project.manager):
        found = await asyncio.to_thread(find_lock_tool, project.manager, session.settings.uv_path, os.environ)
        lock = "will-lock" if found else "cannot-lock"
    return {
        "venvPath": str(venv),
        "python": {"path": choice.chosen.path, "version": choice.chosen.version} if choice.chosen else None,
        "pythonRequest": install.label if install else None,
        "download": await asyncio.to_thread(python_download, session, install) if install else None,
        "packages": packages,
        "lock": lock,
        "refusal": refusal,
    }


async def on_create_environment(
    session: Session, params: protocol.EnvironmentParams
) -> protocol.EnvironmentResult:
    project = await session.project_to_change(params.get("root"))
    if isinstance(project, str):
        return result("failed", project)
    envs, settings = session.environments(), session.environment_options(project)
    replace = bool(params.get("replace"))
    progress = WorkDone(
        session.server, params.get("workDoneToken"), f"{'Recreating' if replace else 'Creating'} environment"
    )

    def work(cancel: threading.Event) -> protocol.EnvironmentResult:
        python = params.get("python")
        if not python:
            chosen = _python_for(session, project, bool(params.get("allowDownload")), progress, cancel)
            if isinstance(chosen, dict):
                return chosen
            python = chosen
        outcome = envs.create(
            project,
            Path(python),
            replace=replace,
            settings=settings,
            unlocked=params.get("unlocked") is True,
            progress=progress.on_event,
            cancel=cancel,
        )
        return outcome_result(outcome)

    return await _finish(session, project, progress, work)


def _python_for(
    session: Session,
    project: Project,
    allow_download: bool,
    progress: WorkDone,
    cancel: threading.Event,
) -> str | protocol.EnvironmentResult:
    """The interpreter the project's rules choose; else a managed one installed now when allowed; else
    the `needs-python` answer that lets the editor ask."""
    return python_or_download(session, session.choose_python(project), allow_download, progress, cancel)


def python_or_download(
    session: Session,
    choice: InterpreterDecision,
    allow_download: bool,
    progress: WorkDone,
    cancel: threading.Event,
) -> str | protocol.EnvironmentResult:
    """The chosen interpreter; else the managed build that fits, installed now when allowed; else the
    `needs-python` answer that lets the editor ask (a project's create, a script's Create and Lock)."""
    from pyhelper.downloads import InstallCancelled, InstallError, install_python, resolve_build

    if choice.chosen is not None:
        return choice.chosen.path
    if choice.install is None:
        return result("failed", choice.message)
    if not allow_download:
        offer = python_download(session, choice.install)
        return result("needs-python", choice.message, python_request=choice.install.label, download=offer)
    settings = install_settings(session)
    specifier, label = choice.install.specifier, choice.install.label
    try:
        build = resolve_build(specifier, settings)
    except InstallError as error:
        log.error(
            "No %s to download from %s: %s", label, settings.downloads_json or "the bundled catalogue", error
        )
        return result(
            "failed", f"Could not install {label}: {str(error).rstrip('.')}. {DOWNLOAD_SETTINGS_HINT}"
        )
    label = f"Python {build.version}"

    def downloaded(done: int, total: int | None) -> None:
        progress.report(f"Downloading {label}", done, total)

    progress.report(f"Downloading {label}")
    try:
        installed = install_python(specifier, settings, progress=downloaded, cancel=cancel)
    except InstallCancelled:
        return result("cancelled", f"Cancelled the download of {label}.")
    except InstallError as error:
        log.error("Installing %s from %s failed: %s", label, build.url, error)
        return result(
            "failed", f"Could not install {label}: {str(error).rstrip('.')}. {DOWNLOAD_SETTINGS_HINT}"
        )
    log.info("Using Python %s at %s (%s)", installed.version, installed.python, installed.source)
    return str(installed.python)


async def on_sync_environment(
    session: Session, params: protocol.EnvironmentParams
) -> protocol.EnvironmentResult:
    project = await session.project_to_change(params.get("root"))
    if isinstance(project, str):
        return result("failed", project)
    if project.venv is None:
        return await on_create_environment(session, params)
    envs, settings = session.environments(), session.environment_options(project)
    progress = WorkDone(session.server, params.get("workDoneToken"), "Syncing environment")

    def work(cancel: threading.Event) -> protocol.EnvironmentResult:
        outcome = envs.sync(
            project,
            settings=settings,
            unlocked=params.get("unlocked") is True,
            progress=progress.on_event,
            cancel=cancel,
        )
        return outcome_result(outcome)

    return await _finish(session, project, progress, work)


async def on_delete_environment(
    session: Session, params: protocol.EnvironmentParams
) -> protocol.EnvironmentResult:
    project = await session.project_to_change(params.get("root"), needs_pyproject=False)
    if isinstance(project, str):
        return result("failed", project)
    envs, settings = session.environments(), session.environment_options(project)
    outcome = await asyncio.to_thread(
        envs.delete, project, confirmed=params.get("confirmed") is True, settings=settings
    )
    session.request_scan(delay=0, changed=_touched(project))
    return outcome_result(outcome)


async def on_sync_choices(session: Session, params: protocol.SyncChoicesParams) -> protocol.ProjectsResult:
    """The groups and extras each project's venv gets, from the editor; the projects whose choice changed
    are checked again, so their drift state is that of the new choice when this answers."""
    choices = {Path(c["root"]): SyncChoice.from_names(c["groups"], c["extras"]) for c in params["choices"]}
    choices = {root: choice for root, choice in choices.items() if not choice.is_default}
    changed = [
        root
        for root in choices.keys() | session.sync_choices.keys()
        if choices.get(root) != session.sync_choices.get(root)
    ]
    session.sync_choices = choices
    if changed:
        await session.check_drift(changed)
    scan = await session.current_scan()
    return {"projects": session.project_infos(scan.projects)}


def _touched(project: Project) -> list[Path]:
    """The files an operation on `project` changes: its venv, and its lock (locked first when there was
    none); with its pyproject.toml, which names the uv workspace members sharing them."""
    venv = project.venv.path if project.venv is not None else None
    return [project.pyproject, *(path for path in (project.lockfile, venv) if path is not None)]


async def _finish(
    session: Session,
    project: Project,
    progress: WorkDone,
    work: Callable[[threading.Event], protocol.EnvironmentResult],
) -> protocol.EnvironmentResult:
    try:
        return await run_reported(work, progress)
    finally:
        # The venv changed (or was restored): the projects and the status bar should say so without
        # waiting for file events; the rescan re-checks the projects whose files these are.
        session.request_scan(delay=0, changed=_touched(project))


HANDLERS: dict[str, Callable[..., Any]] = {
    protocol.PLAN_ENVIRONMENT: on_plan_environment,
    protocol.CREATE_ENVIRONMENT: on_create_environment,
    protocol.SYNC_ENVIRONMENT: on_sync_environment,
    protocol.DELETE_ENVIRONMENT: on_delete_environment,
    protocol.SYNC_CHOICES: on_sync_choices,
}
