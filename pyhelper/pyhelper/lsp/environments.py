"""The editor's requests for interpreters and environments, as LSP handlers.

`lockstep/interpreters`, `lockstep/planEnvironment`, `lockstep/createEnvironment`,
`lockstep/syncEnvironment` and `lockstep/deleteEnvironment` translate between the protocol
(`pyhelper.lsp.protocol`) and the engine (`interpreters`, `environments`, `downloads`). The engine calls
block, so they run in a worker thread: their progress becomes work-done progress on the request's
token, and cancelling the request sets the engine's cancel token and waits for it to put things back
before the cancellation is answered.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from lsprotocol import types

from pyhelper.lsp import protocol

if TYPE_CHECKING:
    from pyhelper.downloads import InstallSettings
    from pyhelper.environments import Environments, Event, Outcome
    from pyhelper.environments import Settings as EnvironmentSettings
    from pyhelper.interpreters.choice import Choice, InstallRequest
    from pyhelper.interpreters.discovery import Discovery
    from pyhelper.lsp.server import LockstepServer

log = logging.getLogger(__name__)
T = TypeVar("T")

UNTRUSTED = (
    "Lockstep {doing} only in a trusted workspace: installing runs code from the project. Trust the "
    "workspace to continue."
)


def params_dict(params: Any) -> dict[str, Any]:
    """pygls hands a custom method's params over as a namedtuple (or None); the handlers want a dict."""
    if params is None:
        return {}
    if isinstance(params, dict):
        return params
    as_dict: Callable[[], dict[str, Any]] | None = getattr(params, "_asdict", None)
    return dict(as_dict()) if as_dict else {}


class ToolOutputLog:
    """A tool's output as log entries: a line flush left starts an entry and the indented lines after it
    join it (`Installed 4 packages` and its ` + alpha==2.0` lines; `error: …` and its `  Caused by: …`),
    so a multi-line message is one entry, logged at the level the tool gave it."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def add(self, line: str) -> None:
        if not line.strip():
            return
        if self._lines and _starts_entry(line):
            self.flush()
        self._lines.append(line)

    def flush(self) -> None:
        if not self._lines:
            return
        text = "\n".join(self._lines)
        self._lines = []
        log.log(_tool_level(text), "%s", text)


# uv indents its diagnostics too (`  x No solution found`, with a multiplication sign).
_CROSS = "\N{MULTIPLICATION SIGN}"


def _starts_entry(line: str) -> bool:
    return not line[0].isspace() or line.lstrip().startswith(_CROSS)


def _tool_level(text: str) -> int:
    first = text.lstrip().lower()
    if first.startswith(("error", _CROSS)):
        return logging.ERROR
    if first.startswith("warning"):
        return logging.WARNING
    return logging.INFO


class WorkDone:
    """Work-done progress on the client's token, safe to report from the worker thread."""

    def __init__(self, ls: LockstepServer, token: str | int | None, title: str) -> None:
        self._ls = ls
        self._token = token
        self._loop = asyncio.get_running_loop()
        self._percentage: int | None = None
        self.tool_output = ToolOutputLog()
        if token is not None:
            ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True))

    def report(self, message: str, done: int | None = None, total: int | None = None) -> None:
        percentage = min(100, done * 100 // total) if done is not None and total else None
        if self._token is None or (percentage is not None and percentage == self._percentage):
            return  # downloads report every chunk: only a new percentage is news
        self._percentage = percentage
        value = types.WorkDoneProgressReport(message=message, percentage=percentage)
        self._loop.call_soon_threadsafe(self._ls.work_done_progress.report, self._token, value)

    def on_event(self, event: Event) -> None:
        # Phases and the tools' output also go to the Lockstep output channel.
        if event.kind == "output":
            self.tool_output.add(event.message)
            return
        if not event.done:  # a count going up is news for the progress bar, not for the log
            self.tool_output.flush()
            log.info("%s", event.message)
        self.report(event.message, event.done, event.total)

    def end(self, message: str) -> None:
        self.tool_output.flush()
        if self._token is not None:
            self._ls.work_done_progress.end(self._token, types.WorkDoneProgressEnd(message=message))


async def run_blocking(work: Callable[[threading.Event], T]) -> T:
    """Run `work(cancel)` in a worker thread. When the request is cancelled, `cancel` is set and the
    worker finishes (the engine restores what it touched) before the cancellation goes on."""
    cancel = threading.Event()
    task = asyncio.ensure_future(asyncio.to_thread(work, cancel))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        cancel.set()
        await asyncio.wait([task])
        raise


def discovery(ls: LockstepServer) -> Discovery:
    """The session's interpreter discovery, made on first use (its import is not paid at start-up)."""
    from pyhelper.interpreters.discovery import Discovery, DiscoveryOptions

    options = DiscoveryOptions(
        workspace_roots=tuple(str(folder) for folder in ls.folders()),
        lockstep_install_dir=ls.settings.python_install_dir,
    )
    if ls.discovery is None:
        ls.discovery = Discovery(options=options)
    else:
        ls.discovery.configure(options)
    return ls.discovery


def environments(ls: LockstepServer) -> Environments:
    from pyhelper.environments import Environments

    if ls.environments is None:
        ls.environments = Environments()
    return ls.environments


def environment_settings(ls: LockstepServer) -> EnvironmentSettings:
    from pyhelper.environments import Settings

    settings = ls.settings
    return Settings(venv=settings.venv, seed=settings.venv_seed, uv_path=settings.uv_path)


def choose_python(ls: LockstepServer, project: protocol.ProjectInfo) -> Choice:
    from pyhelper.interpreters.choice import choose

    return choose(
        discovery(ls).interpreters(),
        requires_python=project["requiresPython"],
        python_version=project["pythonVersion"],
        preference=ls.settings.python_preference,
    )


async def find_project(ls: LockstepServer, root: object) -> protocol.ProjectInfo | None:
    scan = await ls.current_scan()
    return next((project for project in scan.projects if project["root"] == root), None)


async def project_to_change(
    ls: LockstepServer,
    values: dict[str, Any],
    doing: str = "creates, syncs and deletes environments",
    needs_pyproject: bool = True,
) -> protocol.ProjectInfo | str:
    """The project an operation is for, or why the operation cannot run (one sentence)."""
    if not ls.settings.trusted:
        return UNTRUSTED.format(doing=doing)
    project = await find_project(ls, values.get("root"))
    if project is None:
        return f"No project at {values.get('root')}: refresh the projects and try again."
    if needs_pyproject and project["pyprojectError"]:
        return f"{project['pyprojectError']}. Fix it first; Lockstep carries on once it parses."
    return project


def python_to_lock_with(ls: LockstepServer, project: protocol.ProjectInfo) -> str | None:
    """Without the user's selection: the project's venv interpreter, else the one its rules choose."""
    venv = project["venv"]
    if venv is not None and venv["python"]:
        return venv["python"]
    chosen = choose_python(ls, project).chosen
    return chosen.path if chosen else None


def result(
    status: protocol.EnvironmentStatus,
    message: str,
    venv: Path | None = None,
    python_request: str | None = None,
    download: protocol.PythonDownload | None = None,
) -> protocol.EnvironmentResult:
    from pyhelper.venvs import venv_info

    return {
        "status": status,
        "message": message,
        "venv": venv_info(venv) if venv else None,
        "pythonRequest": python_request,
        "download": download,
    }


def install_settings(ls: LockstepServer) -> InstallSettings:
    from pyhelper.downloads import InstallSettings

    settings = ls.settings
    return InstallSettings.resolve(
        install_dir=settings.python_install_dir,
        mirror=settings.python_install_mirror,
        downloads_json=settings.python_downloads_json,
    )


def python_download(ls: LockstepServer, install: InstallRequest) -> protocol.PythonDownload | None:
    """The concrete build (and its size) a download for `install` would fetch; None when the catalogue
    cannot say, and the question falls back to the range (`Python >=3.12`)."""
    from pyhelper.downloads import InstallError, download_offer

    try:
        offer = download_offer(install.specifier, install_settings(ls))
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


async def on_interpreters(ls: LockstepServer, params: Any) -> protocol.InterpretersResult:
    from pyhelper.interpreters.payload import interpreters_payload

    values = params_dict(params)
    if values.get("preference") is None:
        values["preference"] = ls.settings.python_preference
    keys = ("requiresPython", "pythonVersion", "preference", "availableManaged", "refresh")
    request = cast("protocol.InterpretersParams", {key: values[key] for key in keys if key in values})
    return await asyncio.to_thread(interpreters_payload, discovery(ls), request)


async def on_plan_environment(ls: LockstepServer, params: Any) -> protocol.EnvironmentPlan | None:
    from pyhelper.environments import Project
    from pyhelper.lockfiles import count_locked_packages
    from pyhelper.locking import find_lock_tool, uses_lockfile
    from pyhelper.venvs import VenvRefused

    project = await find_project(ls, params_dict(params).get("root"))
    if project is None or project["pyprojectError"]:
        return None  # nothing to offer until pyproject.toml parses
    choice = await asyncio.to_thread(choose_python, ls, project)
    try:
        venv, refusal = environments(ls).location(Project.from_info(project), environment_settings(ls)), None
    except VenvRefused as refused:
        venv, refusal = refused.venv, str(refused)
    lockfile = project["lockfile"]
    packages = await asyncio.to_thread(count_locked_packages, Path(lockfile)) if lockfile else None
    install = None if choice.chosen else choice.install
    lock: protocol.PlanLock = "none"
    if lockfile:
        lock = "locked"
    elif uses_lockfile(project["manager"]):
        found = await asyncio.to_thread(find_lock_tool, project["manager"], ls.settings.uv_path, os.environ)
        lock = "will-lock" if found else "cannot-lock"
    return {
        "venvPath": str(venv),
        "python": {"path": choice.chosen.path, "version": choice.chosen.version} if choice.chosen else None,
        "pythonRequest": install.label if install else None,
        "download": await asyncio.to_thread(python_download, ls, install) if install else None,
        "packages": packages,
        "lock": lock,
        "refusal": refusal,
    }


async def on_create_environment(ls: LockstepServer, params: Any) -> protocol.EnvironmentResult:
    from pyhelper.environments import Project

    values = params_dict(params)
    project = await project_to_change(ls, values)
    if isinstance(project, str):
        return result("failed", project)
    envs, settings = environments(ls), environment_settings(ls)
    target = Project.from_info(project)
    replace = bool(values.get("replace"))
    progress = WorkDone(
        ls, values.get("workDoneToken"), f"{'Recreating' if replace else 'Creating'} environment"
    )

    def work(cancel: threading.Event) -> protocol.EnvironmentResult:
        python = values.get("python")
        if not python:
            chosen = _python_for(ls, project, bool(values.get("allowDownload")), progress, cancel)
            if isinstance(chosen, dict):
                return chosen
            python = chosen
        outcome = envs.create(
            target,
            Path(python),
            replace=replace,
            settings=settings,
            unlocked=values.get("unlocked") is True,
            progress=progress.on_event,
            cancel=cancel,
        )
        return outcome_result(outcome)

    return await _finish(ls, progress, work)


def _python_for(
    ls: LockstepServer,
    project: protocol.ProjectInfo,
    allow_download: bool,
    progress: WorkDone,
    cancel: threading.Event,
) -> str | protocol.EnvironmentResult:
    """The interpreter the project's rules choose; else a managed one installed now when allowed; else
    the `needs-python` answer that lets the editor ask."""
    from pyhelper.downloads import InstallCancelled, InstallError, install_python, resolve_build

    choice = choose_python(ls, project)
    if choice.chosen is not None:
        return choice.chosen.path
    if choice.install is None:
        return result("failed", choice.message)
    if not allow_download:
        offer = python_download(ls, choice.install)
        return result("needs-python", choice.message, python_request=choice.install.label, download=offer)
    settings = install_settings(ls)
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


async def on_sync_environment(ls: LockstepServer, params: Any) -> protocol.EnvironmentResult:
    from pyhelper.environments import Project

    values = params_dict(params)
    project = await project_to_change(ls, values)
    if isinstance(project, str):
        return result("failed", project)
    if project["venv"] is None:
        return await on_create_environment(ls, params)
    envs, settings = environments(ls), environment_settings(ls)
    progress = WorkDone(ls, values.get("workDoneToken"), "Syncing environment")

    def work(cancel: threading.Event) -> protocol.EnvironmentResult:
        outcome = envs.sync(
            Project.from_info(project),
            settings=settings,
            unlocked=values.get("unlocked") is True,
            progress=progress.on_event,
            cancel=cancel,
        )
        return outcome_result(outcome)

    return await _finish(ls, progress, work)


async def on_delete_environment(ls: LockstepServer, params: Any) -> protocol.EnvironmentResult:
    from pyhelper.environments import Project

    values = params_dict(params)
    project = await project_to_change(ls, values, needs_pyproject=False)
    if isinstance(project, str):
        return result("failed", project)
    envs, settings = environments(ls), environment_settings(ls)
    outcome = await asyncio.to_thread(
        envs.delete, Project.from_info(project), confirmed=values.get("confirmed") is True, settings=settings
    )
    ls.request_scan(delay=0)
    return outcome_result(outcome)


_ANSWER_LEVELS = {"failed": logging.ERROR, "missing-tool": logging.ERROR, "lock-stale": logging.WARNING}


def log_answer(status: str, message: str) -> None:
    """An operation's outcome in the log, at the level it deserves: a failure is an error."""
    log.log(_ANSWER_LEVELS.get(status, logging.INFO), "%s", message)


async def _finish(
    ls: LockstepServer, progress: WorkDone, work: Callable[[threading.Event], protocol.EnvironmentResult]
) -> protocol.EnvironmentResult:
    try:
        answer = await run_blocking(work)
    except asyncio.CancelledError:
        progress.end("Cancelled")
        ls.request_scan(delay=0)
        raise
    progress.end(answer["message"])
    log_answer(answer["status"], answer["message"])
    # The venv changed: the projects (and the status bar) should say so without waiting for file events.
    ls.request_scan(delay=0)
    return answer


HANDLERS: dict[str, Callable[..., Any]] = {
    protocol.INTERPRETERS: on_interpreters,
    protocol.PLAN_ENVIRONMENT: on_plan_environment,
    protocol.CREATE_ENVIRONMENT: on_create_environment,
    protocol.SYNC_ENVIRONMENT: on_sync_environment,
    protocol.DELETE_ENVIRONMENT: on_delete_environment,
}
