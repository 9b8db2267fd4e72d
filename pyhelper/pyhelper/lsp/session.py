"""One editor session's state, and what keeps it current: the workspace scan, the published diagnostics,
the live drift checks; plus what the handlers share for long requests (blocking work, progress).

Every handler receives the `Session` as its first argument (`server.py` binds it). The workspace is
scanned after `initialized` (never before answering `initialize`: start-up time matters), again when
a watched file, a workspace folder or a setting changes, and the client hears of a changed project list
through `lockstep/projectsChanged`. Drift is re-checked per project (debounced) when its pyproject
buffer, its lock or its venv changes, and after a scan for the projects it finds new or changed and
those whose files were reported changed (all, when that is not known): the engine's `DriftSession`
checks, this module publishes the findings on every file they concern and tells the client when a
project's drift state changed (`ProjectInfo.drift`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from pyhelper import codes
from pyhelper.findings import Finding, Severity
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lsp import protocol
from pyhelper.lsp.payloads import project_info
from pyhelper.lsp.settings import EditorSettings
from pyhelper.lsp.venvwatch import VenvWatchers
from pyhelper.tomlfile import TomlDocument, parse_toml

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from pyhelper.drift.session import DriftSession, ProjectDrift
    from pyhelper.environments import EnvironmentOptions, Environments, Event
    from pyhelper.interpreters.choice import InterpreterDecision
    from pyhelper.interpreters.discovery import Discovery
    from pyhelper.lsp.health import HealthChecks
    from pyhelper.lsp.scripts import OpenScripts
    from pyhelper.projects import Project, Scan

log = logging.getLogger(__name__)
T = TypeVar("T")

# A checkout or `uv sync` touches many watched files at once: one rescan for the whole burst.
RESCAN_DELAY = 0.1
# Typing pauses shorter than this are one edit; the check itself takes a few ms (bench/livedrift.py).
DEBOUNCE = 0.05
DOCUMENT_PART = "document"
"""The findings of a pyproject file's own check (the others are each project's drift: `_drift_part`)."""

_LEVELS = {severity.label: severity for severity in Severity}

UNTRUSTED = (
    "Lockstep {doing} only in a trusted workspace: installing runs code from the project. Trust the "
    "workspace to continue."
)


class Session:
    """The helper's state for one editor: settings, scan, published diagnostics, engine caches."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.settings = EditorSettings()
        self.scan: Scan | None = None
        self.last_good_pyprojects: dict[Path, Mapping[str, Any]] = {}
        """Each project's last pyproject.toml that parsed: a broken one keeps its name and manager."""
        self.published: dict[Path, list[types.Diagnostic]] = {}
        """What the client currently shows per file, so unchanged results are not sent again."""
        self.parts: dict[Path, dict[str, tuple[Finding, ...]]] = {}
        """Each file's findings by where they come from (the document check, each project's drift)."""
        # Made on first use: their imports are not paid at start-up.
        self._discovery: Discovery | None = None
        self._environments: Environments | None = None
        self._drift: DriftSession | None = None
        self._scan_lock = asyncio.Lock()
        self._scan_task: asyncio.Task[None] | None = None
        self._scan_timer: asyncio.TimerHandle | None = None
        self._rechecks: set[Path] | None = None
        """The files changed since the last scan started: its drift check is for their projects (and
        those it finds new or changed); None: for every project (the first scan, a setting, Refresh)."""
        self._drift_timers: dict[Path, asyncio.TimerHandle] = {}
        self._parsed: dict[Path, tuple[str, TomlDocument | Finding]] = {}
        """Each open pyproject buffer parsed, with the text it was parsed from."""
        self.scripts: OpenScripts | None = None
        """The PEP 723 scripts the editor showed (`pyhelper.lsp.scripts`), made on first use."""
        self.venv_watchers = VenvWatchers(server)
        self._health: HealthChecks | None = None
        self.sync_choices: dict[Path, SyncChoice] = {}
        """The groups and extras chosen for each project's venv (`lockstep/syncChoices`); absent: the
        manager's defaults."""

    # The engine's long-lived parts ----------------------------------------------------------------

    def discovery(self) -> Discovery:
        """The session's interpreter discovery, configured for the current folders and settings."""
        from pyhelper.interpreters.discovery import Discovery, DiscoveryOptions

        options = DiscoveryOptions(
            workspace_roots=tuple(str(folder) for folder in self.folders()),
            lockstep_install_dir=self.settings.python_install_dir,
        )
        if self._discovery is None:
            self._discovery = Discovery(options=options)
        else:
            self._discovery.configure(options)
        return self._discovery

    def refresh_interpreters(self, paths: Iterable[str]) -> None:
        """Watched files changed: interpreter discovery (when made) forgets what they touch."""
        if self._discovery is not None:
            self._discovery.refresh(paths)

    def environments(self) -> Environments:
        from pyhelper.environments import Environments

        if self._environments is None:
            self._environments = Environments()
        return self._environments

    def environment_options(self, project: Project | None = None) -> EnvironmentOptions:
        """The settings for an operation, with the groups and extras chosen for `project`'s venv."""
        from pyhelper.environments import EnvironmentOptions

        settings = self.settings
        choice = self.sync_choices.get(project.root, SyncChoice()) if project is not None else SyncChoice()
        return EnvironmentOptions(
            venv=settings.venv, seed=settings.venv_seed, uv_path=settings.uv_path, choice=choice
        )

    def health(self) -> HealthChecks:
        if self._health is None:
            from pyhelper.lsp.health import HealthChecks

            self._health = HealthChecks(self)
        return self._health

    def drift(self) -> DriftSession:
        from pyhelper.drift.session import DriftSession

        if self._drift is None:
            self._drift = DriftSession()
        return self._drift

    def choose_python(self, project: Project) -> InterpreterDecision:
        from pyhelper.interpreters.choice import choose_interpreter

        return choose_interpreter(
            self.discovery().interpreters(),
            requires_python=project.requires_python,
            python_version=project.python_version,
            preference=self.settings.python_preference,
        )

    # The workspace scan ---------------------------------------------------------------------------

    def folders(self) -> list[Path]:
        workspace = self.server.workspace
        uris = [folder.uri for folder in workspace.folders.values()] or [workspace.root_uri]
        return [Path(path) for uri in uris if uri and (path := to_fs_path(uri))]

    def request_scan(self, delay: float = RESCAN_DELAY, changed: Iterable[Path] | None = None) -> None:
        """Rescan after `delay` seconds; another request within that time replaces this one, the files
        they name adding up. `changed`: the files known to have changed, so that the projects they concern
        are the ones whose drift is checked again (with those the scan finds new or changed: in a
        workspace of 2,000 projects, one project's change does not re-check the 1,999); None: all."""
        if self._scan_timer is not None:
            self._scan_timer.cancel()
        if changed is None:
            self._rechecks = None
        elif self._rechecks is not None:
            self._rechecks.update(changed)
        self._scan_timer = asyncio.get_running_loop().call_later(delay, self._start_scan)

    def _start_scan(self) -> None:
        self._scan_timer = None
        rechecks, self._rechecks = self._rechecks, set()
        self._scan_task = asyncio.ensure_future(self._rescan(rechecks))
        self._scan_task.add_done_callback(functools.partial(_log_failure, "Scanning the workspace failed"))

    async def current_scan(self, refresh: bool = False) -> Scan:
        """The latest scan, waiting for one in progress; `refresh` scans now."""
        if refresh or self._scan_task is None:
            if self._scan_timer is not None:
                self._scan_timer.cancel()
            if refresh:
                self._rechecks = None
            self._start_scan()
        assert self._scan_task is not None
        await asyncio.shield(self._scan_task)
        assert self.scan is not None
        return self.scan

    async def _rescan(self, rechecks: Collection[Path] | None) -> None:
        from pyhelper.projects import scan_workspace

        async with self._scan_lock:
            settings = self.settings
            scan = await asyncio.to_thread(
                scan_workspace,
                self.folders(),
                settings.exclude,
                settings.venv,
                remembered=self.last_good_pyprojects,
            )
            previous, self.scan = self.scan, scan
            self.venv_watchers.follow(scan.projects, self.schedule_drift)
            self._publish_scan_findings(previous, scan)
            self._forget_removed_drift()
            # Drift states go out with the project list they belong to: one notification, not two.
            roots = None if rechecks is None or previous is None else self._to_recheck(previous, rechecks)
            drift_changed = await self.check_drift(roots, notify=False)
            if previous is not None and previous.projects == scan.projects:
                if drift_changed:
                    self.notify_projects()
                return
            log.info(
                "Found %d project(s) in %d workspace folder(s).", len(scan.projects), len(self.folders())
            )
            if previous is not None:
                self.notify_projects()

    def _to_recheck(self, previous: Scan, changed: Collection[Path]) -> list[Path]:
        """After a rescan: the projects new or changed since `previous`, unchecked, or concerned by
        `changed`."""
        assert self.scan is not None
        before, results = set(previous.projects), self.drift().results
        touched = {project.root for path in changed for project in self.projects_of(path)}
        return [
            p.root
            for p in self.scan.projects
            if p not in before or p.root not in results or p.root in touched
        ]

    async def find_project(self, root: object) -> Project | None:
        """The project whose root is `root` as the client spells it (`ProjectInfo.root`)."""
        scan = await self.current_scan()
        return next((project for project in scan.projects if str(project.root) == root), None)

    async def project_to_change(
        self,
        root: str | None,
        doing: str = "creates, syncs and deletes environments",
        needs_pyproject: bool = True,
    ) -> Project | str:
        """The project an operation is for, or why the operation cannot run (one sentence)."""
        if not self.settings.trusted:
            return UNTRUSTED.format(doing=doing)
        project = await self.find_project(root)
        if project is None:
            return f"No project at {root}: refresh the projects and try again."
        if needs_pyproject and project.pyproject_error:
            return f"{project.pyproject_error}. Fix it first; Lockstep carries on once it parses."
        return project

    def projects_of(self, path: Path) -> list[Project]:
        """The projects a changed file concerns: its pyproject, lockfile or venv."""
        from pyhelper.drift.session import projects_of

        return projects_of(self.scan.projects, path) if self.scan is not None else []

    def project_infos(self, projects: Sequence[Project]) -> list[protocol.ProjectInfo]:
        """The projects as the client sees them, with their latest drift state (for the status bar) and
        their last health check's summary."""
        results = self._drift.results if self._drift is not None else {}
        health = self._health.summaries() if self._health is not None else {}
        return [
            project_info(
                project,
                result.summary if (result := results.get(project.root)) else None,
                health.get(project.root),
            )
            for project in projects
        ]

    def notify_projects(self) -> None:
        """Tell the client the project list (or a project's drift state) changed."""
        if self.scan is not None:
            result: protocol.ProjectsResult = {"projects": self.project_infos(self.scan.projects)}
            self.server.protocol.notify(protocol.PROJECTS_CHANGED, result)

    # Diagnostics ----------------------------------------------------------------------------------

    def open_documents(self) -> dict[Path, TextDocument]:
        documents = self.server.workspace.text_documents.values()
        return {Path(document.path): document for document in documents}

    def parsed_document(self, path: Path) -> TomlDocument | Finding | None:
        """The editor's buffer of the TOML file `path`, parsed once per change for all the checks that
        read it (the document's own, lock and environment drift, hover); None when it is not open."""
        document = self.open_documents().get(path)
        if document is None:
            self._parsed.pop(path, None)
            return None
        text = document.source
        parsed = self._parsed.get(path)
        if parsed is None or parsed[0] != text:
            parsed = text, parse_toml(path, text)
            self._parsed[path] = parsed
        return parsed[1]

    def lines_of(self, path: Path) -> Sequence[str]:
        document = self.open_documents().get(path)
        if document is not None:
            return document.lines
        from pyhelper import boundedread

        try:
            text = boundedread.read_text(path, boundedread.DIAGNOSED_FILE, errors="replace")
            return text.splitlines(keepends=True)
        except OSError:  # also refused: a finding may be about a FIFO, which must never be read
            return []

    def publish_part(self, path: Path, part: str, findings: Sequence[Finding]) -> None:
        """Publish `path`'s findings from one source, keeping those of the others."""
        parts = self.parts.setdefault(path, {})
        if findings:
            parts[part] = tuple(findings)
        else:
            parts.pop(part, None)
        if not parts:
            del self.parts[path]
        self.publish(path, list(dict.fromkeys(f for found in parts.values() for f in found)))

    def publish(self, path: Path, findings: Sequence[Finding]) -> None:
        from pyhelper.lsp.diagnostics import file_uri, to_diagnostic

        codec = self.server.workspace.position_codec
        # Many findings point into one file (a lock of 1.5 MB): read each file once per publish.
        lines_of = functools.cache(self.lines_of)
        diagnostics = [to_diagnostic(finding, codec, lines_of) for finding in findings]
        if self.published.get(path, []) == diagnostics:
            return
        if diagnostics:
            self.published[path] = diagnostics
        else:
            self.published.pop(path, None)
        document = self.open_documents().get(path)
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=file_uri(path), diagnostics=diagnostics, version=document.version if document else None
            )
        )

    def _publish_scan_findings(self, previous: Scan | None, scan: Scan) -> None:
        """Findings for the pyproject files on disk; an open file's findings come from its buffer."""
        open_paths = self.open_documents().keys()
        gone: Collection[Path] = previous.findings.keys() - scan.findings.keys() if previous else ()
        for path in gone:
            if path not in open_paths:
                self.publish_part(path, DOCUMENT_PART, ())
        for path, findings in scan.findings.items():
            if path not in open_paths:
                self.publish_part(path, DOCUMENT_PART, findings)

    # Live drift -----------------------------------------------------------------------------------

    def schedule_drift(self, projects: Iterable[Project], delay: float = DEBOUNCE) -> None:
        """Check these projects after `delay`; a new request for a project within that time replaces it."""
        loop = asyncio.get_running_loop()
        for project in projects:
            root = project.root
            timer = self._drift_timers.pop(root, None)
            if timer is not None:
                timer.cancel()
            self._drift_timers[root] = loop.call_later(delay, self._start_drift, root)

    async def check_drift_now(
        self, projects: Iterable[Project], made: Mapping[Path, ProjectDrift] | None = None
    ) -> None:
        """Check these projects at once, from a request whose own tool just changed their files: the
        client hears the new state with the answer, not after it. A failure is logged, the answer kept.
        `made`: checks already made from the files on disk (`check_drift`)."""
        try:
            await self.check_drift([project.root for project in projects], made=made)
        except Exception:
            log.exception("Checking drift failed")

    def _start_drift(self, root: Path) -> None:
        self._drift_timers.pop(root, None)
        task = asyncio.ensure_future(self.check_drift([root]))
        task.add_done_callback(functools.partial(_log_failure, "Checking drift failed"))

    async def check_drift(
        self,
        roots: Sequence[Path] | None = None,
        *,
        notify: bool = True,
        made: Mapping[Path, ProjectDrift] | None = None,
    ) -> bool:
        """Check the projects at `roots` (all when None) and publish what changed; returns whether any
        project's drift state changed (and, with `notify`, has told the client). A project in `made`
        (checked from the files on disk since they last changed) takes that check instead, unless the
        editor has its pyproject.toml open, whose buffer the check reads."""
        if self.scan is None:
            return False
        drift = self.drift()
        projects = [p for p in self.scan.projects if roots is None or p.root in roots]
        changed = False
        for project in projects:
            choice = self.sync_choices.get(project.root, SyncChoice())
            document = self.parsed_document(project.pyproject)
            result = made.get(project.root) if made is not None and document is None else None
            if result is None:
                result = await asyncio.to_thread(drift.check, project, document, choice)
            previous = drift.results.get(result.root)
            drift.results[result.root] = result
            self._publish_drift(result, previous)
            # Health is asked of the network: its own debounced task, never in drift's way.
            self.health().schedule(result.root)
            changed |= previous is None or previous.summary != result.summary
        if changed and notify:
            self.notify_projects()
        return changed

    def _publish_drift(self, result: ProjectDrift, previous: ProjectDrift | None) -> None:
        """Publish what changed since `previous` (None: everything)."""
        part = _drift_part(result.root)
        for path in previous.findings.keys() - result.findings.keys() if previous else ():
            self.publish_part(path, part, ())
        for path, findings in result.findings.items():
            if previous is None or previous.findings.get(path) != findings:
                self.publish_part(path, part, shown(findings, self.settings))

    def republish_drift(self) -> None:
        """Settings changed: show the latest results as they now want."""
        if self._drift is not None:
            for result in self._drift.results.values():
                self._publish_drift(result, None)
                # Trust or the network setting may have changed: check again (fresh answers cost nothing).
                self.health().schedule(result.root)
        if self._health is not None:
            self._health.republish()

    def _forget_removed_drift(self) -> None:
        """After a scan: drop the results (and their diagnostics) of projects that no longer exist."""
        if self.scan is None or self._drift is None:
            return
        roots = {p.root for p in self.scan.projects}
        results = self._drift.results
        for root in [root for root in results if root not in roots]:
            for path in results.pop(root).findings:
                self.publish_part(path, _drift_part(root), ())


def shown(findings: Iterable[Finding], settings: EditorSettings) -> list[Finding]:
    """The findings as the user's settings want them: off, re-levelled, extraneous packages only asked for."""
    if not settings.diagnostics_enabled:
        return []
    overrides = dict(settings.diagnostics_severity)
    result = []
    for finding in findings:
        if finding.code == codes.VENV_EXTRANEOUS and not settings.diagnostics_extraneous:
            continue
        level = overrides.get(finding.code)
        if level == "off":
            continue
        if level in _LEVELS:
            finding = finding._replace(severity=_LEVELS[level])
        result.append(finding)
    return result


def _drift_part(root: Path) -> str:
    return f"drift:{root}"


def _log_failure(what: str, task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("%s", what, exc_info=error)


# What long requests share ---------------------------------------------------------------------------


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


Answer = TypeVar("Answer", bound=Mapping[str, object])


async def run_reported(work: Callable[[threading.Event], Answer], progress: WorkDone) -> Answer:
    """`run_blocking` for an operation with progress: the progress ends with its answer's message (or
    "Cancelled"), and the answer is logged at the level its status deserves."""
    try:
        answer = await run_blocking(work)
    except asyncio.CancelledError:
        progress.end("Cancelled")
        raise
    progress.end(str(answer["message"]))
    log_answer(str(answer["status"]), str(answer["message"]))
    return answer


_ANSWER_LEVELS = {"failed": logging.ERROR, "missing-tool": logging.ERROR, "needs-lock": logging.WARNING}


def log_answer(status: str, message: str) -> None:
    """An operation's outcome in the log, at the level it deserves: a failure is an error."""
    log.log(_ANSWER_LEVELS.get(status, logging.INFO), "%s", message)


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

    def __init__(self, server: LanguageServer, token: str | int | None, title: str) -> None:
        self._server = server
        self._token = token
        self._loop = asyncio.get_running_loop()
        self._percentage: int | None = None
        self._pending: types.WorkDoneProgressReport | None = None
        self._pending_guard = threading.Lock()
        self.tool_output = ToolOutputLog()
        if token is not None:
            server.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True))

    def report(self, message: str, done: int | None = None, total: int | None = None) -> None:
        percentage = min(100, done * 100 // total) if done is not None and total else None
        if self._token is None or (percentage is not None and percentage == self._percentage):
            return  # downloads report every chunk: only a new percentage is news
        self._percentage = percentage
        # The latest report only: lines that come faster than the event loop turns (uv's burst of
        # `+ name==version`) are one message to the client, and the progress bar shows the last anyway.
        with self._pending_guard:
            scheduled = self._pending is not None
            self._pending = types.WorkDoneProgressReport(message=message, percentage=percentage)
        if not scheduled:
            self._loop.call_soon_threadsafe(self._send_pending)

    def _send_pending(self) -> None:
        with self._pending_guard:
            value, self._pending = self._pending, None
        if value is not None and self._token is not None:
            self._server.work_done_progress.report(self._token, value)

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
            self._server.work_done_progress.end(self._token, types.WorkDoneProgressEnd(message=message))
