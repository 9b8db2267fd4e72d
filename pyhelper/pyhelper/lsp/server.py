"""The language server: translates between LSP and the engine, and holds the session's state.

Handlers are plain functions taking the server first; `build_server` wires them up. The workspace is
scanned after `initialized` (never before answering `initialize`: start-up time matters), again when a
watched file, a workspace folder or a setting changes, and the client hears of a changed project list
through `lockstep/projectsChanged`. pyproject.toml files get their findings as diagnostics: from the
editor's buffer while open, else from disk.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import threading
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import FeatureRequestError
from pygls.io_ import StdinAsyncReader, StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from pyhelper import __version__
from pyhelper.lockfiles.registry import watch_globs
from pyhelper.lsp import drift as livedrift
from pyhelper.lsp import environments as operations
from pyhelper.lsp import protocol, transport
from pyhelper.settings import Settings, read_settings

if TYPE_CHECKING:
    from pygls.server import ServerErrors
    from pygls.workspace import TextDocument

    from pyhelper.environments import Environments
    from pyhelper.findings import Finding
    from pyhelper.interpreters.discovery import Discovery
    from pyhelper.lsp.drift import DriftSession
    from pyhelper.projects import Scan

log = logging.getLogger(__name__)

# A checkout or `uv sync` touches many watched files at once: one rescan for the whole burst.
RESCAN_DELAY = 0.1
WATCH_REGISTRATION_ID = "lockstep-project-files"
WATCHED_GLOBS = (
    "**/pyproject.toml",
    *watch_globs(),
    "**/.python-version",
    "**/pyvenv.cfg",
    "**/hatch.toml",
    # Deleting a venv reports the folder, not the pyvenv.cfg inside it.
    "**/.venv",
    # An install or uninstall (`uv pip install`, `pip`) adds or removes a dist-info folder and its RECORD:
    # environment drift is re-checked for that venv only, without a rescan.
    "**/site-packages/*.dist-info",
    "**/site-packages/*.dist-info/RECORD",
)


class LockstepServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lockstep", __version__)
        self.settings = Settings()
        # Made on first use (pyhelper.lsp.environments): their imports are not paid at start-up.
        self.discovery: Discovery | None = None
        self.environments: Environments | None = None
        self.drift: DriftSession | None = None
        self.scan: Scan | None = None
        self.last_good_pyprojects: dict[Path, Mapping[str, Any]] = {}
        """Each project's last pyproject.toml that parsed: a broken one keeps its name and manager."""
        self.published: dict[Path, list[types.Diagnostic]] = {}
        """What the client currently shows per file, so unchanged results are not sent again."""
        self.parts: dict[Path, dict[str, tuple[Finding, ...]]] = {}
        """Each file's findings by where they come from (the document check, each project's drift)."""
        self._scan_lock = asyncio.Lock()
        self._scan_task: asyncio.Task[None] | None = None
        self._scan_timer: asyncio.TimerHandle | None = None

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
        """Serve over stdio until `exit` or end of input; returns the process exit code."""
        self._stop_event = stop = threading.Event()
        reader = StdinAsyncReader(stdin or sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self._serve(reader, stop))
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else 1
        except BrokenPipeError:
            log.error("The editor closed the connection; stopping.")
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]  # pygls leaves it unannotated
        return 0

    async def _serve(self, reader: StdinAsyncReader, stop: threading.Event) -> None:
        from pyhelper.lsp.logging_setup import to_editor

        with to_editor(self.window_log_message):
            await transport.serve(reader, self.protocol, stop, protocol.REQUEST_PARAMS)

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        # pygls would pop up a message in the editor; the log is the place for the helper's own errors.
        # A failed request was answered with its error already.
        if source is not FeatureRequestError:
            log.error("%s", error)

    # The workspace scan ---------------------------------------------------------------------------

    def folders(self) -> list[Path]:
        uris = [folder.uri for folder in self.workspace.folders.values()] or [self.workspace.root_uri]
        return [Path(path) for uri in uris if uri and (path := to_fs_path(uri))]

    def request_scan(self, delay: float = RESCAN_DELAY) -> None:
        """Rescan after `delay` seconds; another request within that time replaces this one."""
        if self._scan_timer is not None:
            self._scan_timer.cancel()
        self._scan_timer = asyncio.get_running_loop().call_later(delay, self._start_scan)

    def _start_scan(self) -> None:
        self._scan_timer = None
        self._scan_task = asyncio.ensure_future(self._rescan())
        self._scan_task.add_done_callback(_log_failure)

    async def current_scan(self, refresh: bool = False) -> Scan:
        """The latest scan, waiting for one in progress; `refresh` scans now."""
        if refresh or self._scan_task is None:
            if self._scan_timer is not None:
                self._scan_timer.cancel()
            self._start_scan()
        assert self._scan_task is not None
        await asyncio.shield(self._scan_task)
        assert self.scan is not None
        return self.scan

    async def _rescan(self) -> None:
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
            publish_scan_findings(self, previous, scan)
            livedrift.forget_removed(self)
            # Drift states go out with the project list they belong to: one notification, not two.
            drift_changed = await livedrift.check_now(self, notify=False)
            if previous is not None and previous.projects == scan.projects:
                if drift_changed:
                    livedrift.notify_projects(self)
                return
            log.info(
                "Found %d project(s) in %d workspace folder(s).", len(scan.projects), len(self.folders())
            )
            if previous is not None:
                result: protocol.ProjectsResult = {"projects": livedrift.annotate(self, scan.projects)}
                self.protocol.notify(protocol.PROJECTS_CHANGED, result)

    # Diagnostics ----------------------------------------------------------------------------------

    def open_documents(self) -> dict[Path, TextDocument]:
        return {Path(document.path): document for document in self.workspace.text_documents.values()}

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

        codec = self.workspace.position_codec
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
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=file_uri(path), diagnostics=diagnostics, version=document.version if document else None
            )
        )


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("Scanning the workspace failed", exc_info=error)


def publish_scan_findings(server: LockstepServer, previous: Scan | None, scan: Scan) -> None:
    """Findings for the pyproject files on disk; an open file's findings come from its buffer instead."""
    open_paths = server.open_documents().keys()
    gone: Collection[Path] = previous.findings.keys() - scan.findings.keys() if previous else ()
    for path in gone:
        if path not in open_paths:
            server.publish_part(path, DOCUMENT_PART, ())
    for path, findings in scan.findings.items():
        if path not in open_paths:
            server.publish_part(path, DOCUMENT_PART, findings)


DOCUMENT_PART = "document"


def check_document(server: LockstepServer, uri: str) -> None:
    """Check one document as the editor has it (or, once closed, as on disk) and publish the findings.

    The single place where document checks plug in.
    """
    from pyhelper.projects import PYPROJECT, document_findings
    from pyhelper.tomlfile import parse_toml, read_toml

    fs_path = to_fs_path(uri)
    if fs_path is None or Path(fs_path).name != PYPROJECT:
        return
    path = Path(fs_path)
    document = server.open_documents().get(path)
    if document is not None:
        server.publish_part(path, DOCUMENT_PART, document_findings(parse_toml(path, document.source)))
    elif path.is_file():
        server.publish_part(path, DOCUMENT_PART, document_findings(read_toml(path)))
    else:
        server.publish_part(path, DOCUMENT_PART, ())
    # Lock and environment drift, from the buffer as typed (debounced).
    livedrift.schedule(server, livedrift.projects_of(server, path))


def register_file_watchers(server: LockstepServer) -> None:
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


# Handlers: pygls passes the server as the first argument because it is named `ls`. -------------


def on_initialize(ls: LockstepServer, params: types.InitializeParams) -> None:
    ls.settings = read_settings(params.initialization_options, ls.settings)


def on_initialized(ls: LockstepServer, params: types.InitializedParams) -> None:
    register_file_watchers(ls)
    ls.request_scan(delay=0)


def on_watched_files(ls: LockstepServer, params: types.DidChangeWatchedFilesParams) -> None:
    if ls.discovery is not None:
        ls.discovery.refresh(to_fs_path(change.uri) or change.uri for change in params.changes)
    paths = [Path(path) for change in params.changes if (path := to_fs_path(change.uri))]
    if not livedrift.on_watched(ls, paths):
        ls.request_scan()


def on_workspace_folders(ls: LockstepServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    ls.request_scan()


def on_configuration(ls: LockstepServer, params: types.DidChangeConfigurationParams) -> None:
    section = params.settings.get("lockstep") if isinstance(params.settings, dict) else None
    settings = read_settings(section, ls.settings)
    if settings != ls.settings:
        ls.settings = settings
        livedrift.republish(ls)
        ls.request_scan()


def on_document(
    ls: LockstepServer,
    params: types.DidOpenTextDocumentParams
    | types.DidChangeTextDocumentParams
    | types.DidSaveTextDocumentParams
    | types.DidCloseTextDocumentParams,
) -> None:
    check_document(ls, params.text_document.uri)


async def on_projects(ls: LockstepServer, params: Any) -> protocol.ProjectsResult:
    # pygls hands custom params over as a namedtuple (or None).
    scan = await ls.current_scan(refresh=bool(getattr(params, "refresh", False)))
    return {"projects": livedrift.annotate(ls, scan.projects)}


def build_server() -> LockstepServer:
    server = LockstepServer()
    handlers: dict[str, Any] = {
        types.INITIALIZE: on_initialize,
        types.INITIALIZED: on_initialized,
        types.WORKSPACE_DID_CHANGE_WATCHED_FILES: on_watched_files,
        types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS: on_workspace_folders,
        types.WORKSPACE_DID_CHANGE_CONFIGURATION: on_configuration,
        types.TEXT_DOCUMENT_DID_OPEN: on_document,
        types.TEXT_DOCUMENT_DID_CHANGE: on_document,
        types.TEXT_DOCUMENT_DID_SAVE: on_document,
        types.TEXT_DOCUMENT_DID_CLOSE: on_document,
        protocol.PROJECTS: on_projects,
        **operations.HANDLERS,
        **livedrift.HANDLERS,
    }
    for method, handler in handlers.items():
        server.feature(method)(handler)
    return server


def serve() -> int:
    from pyhelper.lsp.logging_setup import configure, startup_line

    configure()
    server = build_server()
    log.info(startup_line())
    return server.start_io()
