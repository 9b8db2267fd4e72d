"""Live drift in the editor: lock and environment checks as the user types, quick fixes, hover, state.

The server calls `schedule` when a pyproject buffer changes (debounced per project), after every scan
and when a venv's site-packages change; a check runs `pyhelper.drift.check_project` (lock drift, with
the buffer standing in for pyproject.toml) and `pyhelper.drift.environment` (lock vs venv) in a worker thread,
then publishes the findings on every file they concern (pyproject files, the lockfile) and tells the
client when a project's drift state changed (`lockstep/projectsChanged`, `ProjectInfo.drift`).

Parsed locks, venv reads and lock selections are cached, so a keystroke costs a parse of the buffer
and the comparisons, not a re-read of the lock or the venv.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from pyhelper.drift.environment import (
    CODES as ENV_CODES,
)
from pyhelper.drift.environment import (
    EXTRANEOUS,
    PYTHON_MISMATCH,
    Choice,
    EnvReport,
    Selection,
    VenvCache,
    VenvSnapshot,
    check_environment,
    describe_requirement,
    requirement_at,
    select,
)
from pyhelper.drift.lock import is_drift
from pyhelper.findings import Finding, Severity
from pyhelper.lockfiles import LockCache, UnreadableFile
from pyhelper.lockfiles.registry import format_for_manager, format_of_file
from pyhelper.locking import uses_lockfile
from pyhelper.lsp import protocol
from pyhelper.lsp.environments import WorkDone, log_answer, params_dict, run_blocking
from pyhelper.requirements import get_in
from pyhelper.tomlfile import TomlDocument, parse_toml, read_toml, syntax_problem

if TYPE_CHECKING:
    from pyhelper.lsp.server import LockstepServer
    from pyhelper.settings import Settings

log = logging.getLogger(__name__)

# Typing pauses shorter than this are one edit; the check itself takes a few ms (bench/livedrift.py).
DEBOUNCE = 0.05
# site-packages changes (an install touches many files): one re-check for the burst.
VENV_DELAY = 0.2
LOCK_CODES = frozenset(
    {
        "lock-missing-package",
        "lock-unsatisfied",
        "lock-stale",
        "lock-requires-python",
        "lock-extraneous",
        "lock-invalid",
        "lock-missing",
    }
)
_LEVELS = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFORMATION,
    "hint": Severity.HINT,
}


@dataclass(frozen=True)
class ProjectDrift:
    """One project's latest check."""

    root: Path
    findings: Mapping[Path, tuple[Finding, ...]]
    info: protocol.DriftInfo
    selection: Selection | None
    snapshot: VenvSnapshot | None


def _part(root: Path) -> str:
    return f"drift:{root}"


def _selection_key(doc: TomlDocument, lockfile: Path, snapshot: VenvSnapshot) -> object:
    """What a lock's selection for a venv depends on besides the lock's and the venv's content."""
    data = doc.data
    fmt = format_of_file(lockfile.name)
    return repr(
        (
            lockfile,
            id(snapshot),
            get_in(data, ("project", "name")),
            get_in(data, ("project", "version")),
            "build-system" in data,
            fmt.selection_inputs(data) if fmt is not None else None,
        )
    )


class DriftSession:
    """The helper's drift state: caches (locks, venvs, selections) and each project's latest result."""

    def __init__(self) -> None:
        self.locks = LockCache()
        self.venvs = VenvCache()
        self.results: dict[Path, ProjectDrift] = {}
        self._selections: dict[Path, tuple[object, tuple[os.stat_result | None, ...], Selection]] = {}
        self._timers: dict[Path, asyncio.TimerHandle] = {}
        self._guard = threading.Lock()

    def check(self, project: protocol.ProjectInfo, text: str | None) -> ProjectDrift:
        """Check one project (its pyproject as `text` when the editor has it open). Thread-safe."""
        from pyhelper.drift.lock import check_project

        with self._guard:
            root, pyproject = Path(project["root"]), Path(project["pyproject"])
            doc = parse_toml(pyproject, text) if text is not None else read_toml(pyproject)
            lock_findings = check_project(root, pyproject_text=text, cache=self.locks)
            lockfile = Path(project["lockfile"]) if project["lockfile"] else None
            snapshot = selection = report = None
            venv = project["venv"]
            if isinstance(doc, TomlDocument) and venv is not None:
                snapshot = self.venvs.get(Path(venv["path"]))
                if lockfile is not None:
                    selection = self._select(lockfile, root, doc, snapshot, Choice())
                    report = check_environment(doc, selection, snapshot)
            findings: dict[Path, list[Finding]] = {}
            for finding in [*lock_findings, *(report.findings if report else ())]:
                findings.setdefault(finding.path, []).append(finding)
            grouped = {path: tuple(dict.fromkeys(items)) for path, items in findings.items()}
            problem = syntax_problem(doc) if isinstance(doc, Finding) else None
            info = _info(lock_findings, report, lockfile, problem, uses_lockfile(project["manager"]))
            return ProjectDrift(root, grouped, info, selection, snapshot)

    def _select(
        self, lockfile: Path, root: Path, doc: TomlDocument, snapshot: VenvSnapshot, chosen: Choice
    ) -> Selection:
        fmt = format_of_file(lockfile.name)
        key = (_selection_key(doc, lockfile, snapshot), chosen)
        stat = (_stat(lockfile),)
        cached = self._selections.get(root)
        if cached is not None and cached[0] == key and cached[1] == stat:
            return cached[2]
        selection = (
            select(fmt.name, lockfile, root, doc, snapshot, self.locks, chosen)
            if fmt is not None
            else Selection(lockfile, "none", {})
        )
        self._selections[root] = (key, stat, selection)
        return selection

    def locked_versions(self, lockfile: Path, name: str) -> list[str | None]:
        fmt = format_of_file(lockfile.name)
        if fmt is None:
            return []
        try:
            with self._guard:
                lock = self.locks.get(lockfile, fmt.name, fmt.parse)
        except UnreadableFile:
            return []
        return [] if isinstance(lock, Finding) else list(fmt.versions(lock, name))


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _info(
    lock_findings: Sequence[Finding],
    report: EnvReport | None,
    lockfile: Path | None,
    problem: str | None,
    lock_expected: bool,
) -> protocol.DriftInfo:
    lock_issues = sum(1 for f in lock_findings if f.severity <= Severity.WARNING)
    if problem is not None:
        state: protocol.DriftState = "pyproject-invalid"
    elif lockfile is None and lock_expected:
        state = "unlocked"
    elif is_drift(list(lock_findings)):
        state = "lock-stale"
    elif report is None or report.problem is not None:
        state = "unknown"
    elif not report.in_sync:
        state = "env-out-of-sync"
    else:
        state = "in-sync"
    return {
        "state": state,
        "lockIssues": lock_issues,
        "missing": report.missing if report else 0,
        "mismatched": report.mismatched if report else 0,
        "extraneous": report.extraneous if report else 0,
        "pythonMismatch": bool(report and report.python_mismatch),
        "lockfile": str(lockfile) if lockfile else None,
        "problem": problem,
    }


def shown(findings: Iterable[Finding], settings: Settings) -> list[Finding]:
    """The findings as the user's settings want them: off, re-levelled, extraneous packages only asked for."""
    if not settings.diagnostics_enabled:
        return []
    overrides = dict(settings.diagnostics_severity)
    result = []
    for finding in findings:
        if finding.code == EXTRANEOUS and not settings.diagnostics_extraneous:
            continue
        level = overrides.get(finding.code)
        if level == "off":
            continue
        if level in _LEVELS:
            finding = dataclasses.replace(finding, severity=_LEVELS[level])
        result.append(finding)
    return result


def session(ls: LockstepServer) -> DriftSession:
    if ls.drift is None:
        ls.drift = DriftSession()
    return ls.drift


# Scheduling -----------------------------------------------------------------------------------------


def projects_of(ls: LockstepServer, path: Path) -> list[protocol.ProjectInfo]:
    """The projects a changed file concerns: its pyproject, lockfile or venv."""
    if ls.scan is None:
        return []
    found = []
    for project in ls.scan.projects:
        venv = project["venv"]
        if (
            Path(project["pyproject"]) == path
            or (project["lockfile"] and Path(project["lockfile"]) == path)
            or (venv is not None and path.is_relative_to(venv["path"]))
            or (
                project["workspaceRoot"]
                and path.name == "pyproject.toml"
                and path.is_relative_to(project["workspaceRoot"])
            )
        ):
            found.append(project)
    return found


def schedule(ls: LockstepServer, projects: Iterable[protocol.ProjectInfo], delay: float = DEBOUNCE) -> None:
    """Check these projects after `delay`; a new request for a project within that time replaces it."""
    drift = session(ls)
    loop = asyncio.get_running_loop()
    for project in projects:
        root = Path(project["root"])
        timer = drift._timers.pop(root, None)
        if timer is not None:
            timer.cancel()
        drift._timers[root] = loop.call_later(delay, _start, ls, root)


def _start(ls: LockstepServer, root: Path) -> None:
    session(ls)._timers.pop(root, None)
    task = asyncio.ensure_future(check_now(ls, [root]))
    task.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Task[bool]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("Checking drift failed", exc_info=error)


async def check_now(ls: LockstepServer, roots: Sequence[Path] | None = None, *, notify: bool = True) -> bool:
    """Check the projects at `roots` (all when None) and publish what changed; returns whether any
    project's drift state changed (and, with `notify`, has told the client)."""
    if ls.scan is None:
        return False
    drift = session(ls)
    projects = [p for p in ls.scan.projects if roots is None or Path(p["root"]) in roots]
    documents = ls.open_documents()
    changed = False
    for project in projects:
        document = documents.get(Path(project["pyproject"]))
        text = document.source if document is not None else None
        result = await asyncio.to_thread(drift.check, project, text)
        previous = drift.results.get(result.root)
        drift.results[result.root] = result
        publish(ls, result, previous)
        changed |= previous is None or previous.info != result.info
    if changed and notify:
        notify_projects(ls)
    return changed


def notify_projects(ls: LockstepServer) -> None:
    """Tell the client the projects' drift states changed."""
    if ls.scan is not None:
        result: protocol.ProjectsResult = {"projects": annotate(ls, ls.scan.projects)}
        ls.protocol.notify(protocol.PROJECTS_CHANGED, result)


def publish(ls: LockstepServer, result: ProjectDrift, previous: ProjectDrift | None) -> None:
    """Publish what changed since `previous` (None: everything)."""
    part = _part(result.root)
    for path in previous.findings.keys() - result.findings.keys() if previous else ():
        ls.publish_part(path, part, ())
    for path, findings in result.findings.items():
        if previous is None or previous.findings.get(path) != findings:
            ls.publish_part(path, part, shown(findings, ls.settings))


def republish(ls: LockstepServer) -> None:
    """Settings changed: show the latest results as they now want."""
    for result in session(ls).results.values():
        publish(ls, result, None)


def forget_removed(ls: LockstepServer) -> None:
    """After a scan: drop the results (and their diagnostics) of projects that no longer exist."""
    if ls.scan is None or ls.drift is None:
        return
    roots = {Path(p["root"]) for p in ls.scan.projects}
    for root in [root for root in ls.drift.results if root not in roots]:
        for path in ls.drift.results.pop(root).findings:
            ls.publish_part(path, _part(root), ())


def annotate(ls: LockstepServer, projects: Sequence[protocol.ProjectInfo]) -> list[protocol.ProjectInfo]:
    """The projects with their latest drift state (for the status bar)."""
    results = ls.drift.results if ls.drift is not None else {}
    annotated: list[protocol.ProjectInfo] = []
    for project in projects:
        result = results.get(Path(project["root"]))
        annotated.append({**project, "drift": result.info} if result is not None else project)
    return annotated


def on_watched(ls: LockstepServer, paths: Sequence[Path]) -> bool:
    """A watched file changed. Changes inside a known venv's site-packages re-check its projects only
    (no rescan); returns whether every change was of that kind.

    A site-packages path in no known venv still needs the rescan: after a venv is renamed into place
    (how `pyhelper.environments` builds one), the editor's watcher can go on naming its files under the
    build folder's old name (code-server does, for `uv pip uninstall` after Lockstep created the venv)."""
    owners = {path: projects_of(ls, path) for path in paths if "site-packages" in path.parts}
    known = {p["root"]: p for projects in owners.values() for p in projects}
    if known:
        schedule(ls, known.values(), VENV_DELAY)
    return all(owners.get(path) for path in paths)


# Requests: code actions, hover, check, update lock ----------------------------------------------------


def _project_for_file(ls: LockstepServer, path: Path) -> protocol.ProjectInfo | None:
    candidates = projects_of(ls, path)
    # A shared lockfile: the project at the lock's folder (the workspace root) speaks for it.
    for project in candidates:
        if Path(project["root"]) == path.parent:
            return project
    return candidates[0] if candidates else None


def _quick_fix(title: str, command: str, root: str, diagnostics: list[types.Diagnostic]) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics,
        command=types.Command(title=title, command=command, arguments=[root]),
    )


def _fitting_python(ls: LockstepServer, project: protocol.ProjectInfo) -> str:
    """`Python 3.12`: what the project's rules would recreate the venv with."""
    from pyhelper.lsp.environments import choose_python

    choice = choose_python(ls, project)
    if choice.chosen is not None:
        return "Python " + ".".join(choice.chosen.version.split(".")[:2])
    return choice.install.label if choice.install is not None else "a fitting Python"


async def on_code_action(ls: LockstepServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    from pyhelper.lsp.diagnostics import SOURCE

    path = to_fs_path(params.text_document.uri)
    project = _project_for_file(ls, Path(path)) if path else None
    if project is None:
        return None
    ours = [d for d in params.context.diagnostics if d.source == SOURCE and isinstance(d.code, str)]
    lock = [d for d in ours if d.code in LOCK_CODES]
    env = [d for d in ours if d.code in ENV_CODES and d.code != PYTHON_MISMATCH]
    python = [d for d in ours if d.code == PYTHON_MISMATCH]
    root = project["root"]
    actions = []
    if lock:
        actions.append(_quick_fix("Update lockfile", "lockstep.updateLock", root, lock))
    if env:
        actions.append(_quick_fix("Sync environment", "lockstep.syncEnvironment", root, env))
    if python:
        label = await asyncio.to_thread(_fitting_python, ls, project)
        actions.append(
            _quick_fix(f"Recreate environment with {label}", "lockstep.recreateEnvironment", root, python)
        )
    if actions:
        actions[0].is_preferred = True
    return actions or None


async def on_hover(ls: LockstepServer, params: types.HoverParams) -> types.Hover | None:
    path = to_fs_path(params.text_document.uri)
    if path is None or Path(path).name != "pyproject.toml":
        return None
    document = ls.workspace.get_text_document(params.text_document.uri)
    doc = parse_toml(Path(path), document.source)
    if not isinstance(doc, TomlDocument):
        return None
    codec = ls.workspace.position_codec
    position = codec.position_from_client_units(document.lines, params.position)
    found = requirement_at(doc, position.line, position.character)
    project = _project_for_file(ls, Path(path))
    if found is None or project is None:
        return None
    name, where = found
    drift = session(ls)
    result = drift.results.get(Path(project["root"]))
    lockfile = Path(project["lockfile"]) if project["lockfile"] else None
    selection = result.selection if result else None
    locked = selection.packages.get(name) if selection else None
    versions = await asyncio.to_thread(drift.locked_versions, lockfile, name) if lockfile else []
    text = describe_requirement(name, lockfile, locked, versions, result.snapshot if result else None)
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


async def on_check_drift(ls: LockstepServer, params: Any) -> protocol.ProjectsResult:
    """Re-check every project now (the Check Lockfile Drift command); answers with their states."""
    scan = await ls.current_scan(refresh=True)
    await check_now(ls)
    return {"projects": annotate(ls, scan.projects)}


async def on_update_lock(ls: LockstepServer, params: Any) -> protocol.UpdateLockResult:
    from pyhelper.locking import lock_project
    from pyhelper.lsp.environments import project_to_change, python_to_lock_with

    values = params_dict(params)
    project = await project_to_change(ls, values, doing="re-locks")
    if isinstance(project, str):
        return {"status": "failed", "message": project}
    python = values.get("python") or await asyncio.to_thread(python_to_lock_with, ls, project)
    cwd = Path(project["root"])
    lock_root = Path(project["workspaceRoot"] or project["root"])
    fmt = format_for_manager(project["manager"])
    lock_name = fmt.lock_name if fmt is not None else "the lockfile"
    progress = WorkDone(ls, values.get("workDoneToken"), f"Updating {lock_name}")

    def work(cancel: threading.Event) -> protocol.UpdateLockResult:
        def line(text: str) -> None:
            progress.tool_output.add(text)
            progress.report(text)

        done = lock_project(
            project["manager"],
            cwd,
            lock_root,
            Path(python) if python else None,
            uv_path=ls.settings.uv_path,
            environ=os.environ,
            on_line=line,
            cancel=cancel,
        )
        return {"status": done.status, "message": done.message}

    try:
        answer = await run_blocking(work)
    except asyncio.CancelledError:
        progress.end("Cancelled")
        raise
    progress.end(answer["message"])
    log_answer(answer["status"], answer["message"])
    # The lock changed: re-check now rather than wait for the file event.
    schedule(ls, projects_of(ls, lock_root / lock_name) or [project], delay=0)
    return answer


HANDLERS: dict[str, Any] = {
    types.TEXT_DOCUMENT_CODE_ACTION: on_code_action,
    types.TEXT_DOCUMENT_HOVER: on_hover,
    protocol.CHECK_DRIFT: on_check_drift,
    protocol.UPDATE_LOCK: on_update_lock,
}
