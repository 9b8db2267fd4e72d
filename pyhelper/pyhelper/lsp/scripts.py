"""PEP 723 scripts in the editor: a `.py` buffer with a `# /// script` block checked as typed (its block,
its lock drift), `lockstep/scriptStatus`, Lock Script and Create Script Environment.

A script's findings are published on the script and on its `NAME.py.lock`; after each check whose
status changed the client hears `lockstep/scriptChanged`. Nothing runs before trust: the status reads
files only there, and finding the script's environment (which asks uv) waits for trust too.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from pyhelper.codes import QuickFix, lookup
from pyhelper.drift.environment import EnvReport, VenvCache
from pyhelper.drift.lock import is_drift
from pyhelper.lockfiles import LockCache
from pyhelper.lsp import protocol
from pyhelper.lsp.session import UNTRUSTED, Session, WorkDone, run_reported, shown
from pyhelper.scripts.block import lock_path, might_be_script
from pyhelper.scripts.drift import ScriptCheck, check_script, check_script_environment
from pyhelper.scripts.tools import ScriptPython, find_script_python, lock_script, run_command, sync_script

if TYPE_CHECKING:
    from pyhelper.interpreters.choice import InterpreterDecision

LOCK_SCRIPT_COMMAND = "lockstep.lockScript"
CREATE_ENVIRONMENT_COMMAND = "lockstep.createScriptEnvironment"
_FIXES = {
    QuickFix.UPDATE_LOCK: ("Lock Script", LOCK_SCRIPT_COMMAND),
    QuickFix.SYNC_ENVIRONMENT: ("Sync Script Environment", CREATE_ENVIRONMENT_COMMAND),
    # uv makes the environment again when its Python no longer fits: the same command.
    QuickFix.RECREATE_ENVIRONMENT: ("Recreate Script Environment", CREATE_ENVIRONMENT_COMMAND),
}
_DOING = "locks scripts and creates their environments"


class OpenScripts:
    """What the session knows of the scripts the editor showed it."""

    def __init__(self) -> None:
        self.locks = LockCache()
        self.checks: dict[Path, ScriptCheck] = {}
        self.pythons: dict[Path, ScriptPython | None] = {}
        """Where uv runs each script, once asked (trusted only)."""
        self.sent: dict[Path, protocol.ScriptStatus] = {}
        self.venvs = VenvCache()


def _scripts(session: Session) -> OpenScripts:
    if session.scripts is None:
        session.scripts = OpenScripts()
    found: OpenScripts = session.scripts
    return found


def _part(script: Path) -> str:
    return f"script:{script}"


def check_document(session: Session, path: Path) -> None:
    """Check a `.py` document as the editor has it (as on disk once closed) and publish its findings."""
    document = session.open_documents().get(path)
    text = document.source if document is not None else None
    state = _scripts(session)
    if text is not None and not might_be_script(text) and path not in state.checks:
        return  # an ordinary module: one substring test per change
    _record(session, path, _check(state, path, text))


def _check(state: OpenScripts, path: Path, text: str | None) -> ScriptCheck | None:
    checked = check_script(path, text=text, cache=state.locks)
    return checked if isinstance(checked, ScriptCheck) else None


def _record(session: Session, path: Path, checked: ScriptCheck | None) -> None:
    state = _scripts(session)
    state.checks.pop(path, None)
    if checked is not None:
        state.checks[path] = checked
    report = _environment_report(state, path, checked) if checked is not None else None
    every = (*checked.findings, *(report.findings if report else ())) if checked is not None else ()
    findings = shown(every, session.settings)
    for file in (path, lock_path(path)):
        session.publish_part(file, _part(path), [f for f in findings if f.path == file])
    if checked is None:
        state.sent.pop(path, None)
        return
    status = _status(session, path, checked, report)
    if state.sent.get(path) != status:
        state.sent[path] = status
        session.server.protocol.notify(protocol.SCRIPT_CHANGED, status)


def recheck_locks(session: Session, paths: Sequence[Path]) -> list[Path]:
    """Watched `NAME.py.lock` files changed: re-check the scripts beside them that the editor showed;
    returns the other paths."""
    state = _scripts(session)
    rest = []
    for path in paths:
        script = path.with_name(path.name.removesuffix(".lock"))
        if not path.name.endswith(".py.lock"):
            rest.append(path)
        elif script in state.checks:
            state.locks.forget(path)
            check_document(session, script)
    return rest


def _environment_report(state: OpenScripts, path: Path, checked: ScriptCheck) -> EnvReport | None:
    """The script's environment against its lock, once uv said where the environment is."""
    found = state.pythons.get(path)
    if found is None or found.environment is None:
        return None
    return check_script_environment(checked, found.environment.path, cache=state.locks, venvs=state.venvs)


def _drift(report: EnvReport | None) -> protocol.ScriptEnvironmentDrift | None:
    if report is None or report.problem is not None:
        return None
    return {
        "inSync": report.in_sync,
        "missing": report.missing,
        "mismatched": report.mismatched,
        "extraneous": report.extraneous,
        "pythonMismatch": report.python_mismatch,
    }


def _status(
    session: Session, path: Path, checked: ScriptCheck, report: EnvReport | None
) -> protocol.ScriptStatus:
    from pyhelper.uvtool import find_uv

    block = checked.block
    found = _scripts(session).pythons.get(path)
    environment = found.environment if found is not None else None
    python = found.python if found is not None else None
    uv = find_uv(session.settings.uv_path, os.environ)
    return {
        "path": str(path),
        "requiresPython": block.requires_python,
        "dependencies": len(block.dependencies),
        "blockStart": block.start,
        "blockEnd": block.end,
        "problem": block.problem,
        "lockfile": str(checked.lockfile),
        "lockState": checked.state,
        "lockIssues": sum(1 for f in checked.findings if is_drift([f])),
        "environment": {
            "path": str(environment.path),
            "python": str(environment.python or python),
            "version": environment.version,
        }
        if environment is not None
        else None,
        "environmentDrift": _drift(report),
        "python": str(python) if python is not None else None,
        "runCommand": run_command(uv.path, path, python) if uv is not None else [],
    }


def _choice(session: Session, checked: ScriptCheck) -> InterpreterDecision:
    """What Lockstep's rules choose for the block's requires-python among the installed interpreters."""
    from pyhelper.interpreters.choice import choose_interpreter

    return choose_interpreter(
        session.discovery().interpreters(),
        requires_python=checked.block.requires_python,
        preference=session.settings.python_preference,
    )


def _find_python(session: Session, path: Path, checked: ScriptCheck) -> ScriptPython | None:
    """Where uv runs the script: its environment's interpreter when it exists, else the interpreter
    Lockstep's rules choose for the block's requires-python (uv is never left to search the helper's
    PATH). Runs uv: trusted workspaces only."""
    from pyhelper.requirements import version_satisfies

    if checked.block.doc is None:
        return None
    requires = checked.block.requires_python
    found = find_script_python(path, uv_path=session.settings.uv_path, environ=os.environ)
    environment = found.environment if found is not None else None
    if (
        found is not None
        and environment is not None
        and (requires is None or version_satisfies(environment.version, requires))
    ):
        return found
    # No environment, or one whose Python the block refuses (uv makes it again with this one).
    choice = _choice(session, checked)
    if choice.chosen is not None:
        return ScriptPython(Path(choice.chosen.path), environment)
    return found if environment is not None else None


async def _refresh(session: Session, path: Path) -> ScriptCheck | None:
    """Check the script now (the buffer when open) and, trusted, find where uv runs it."""
    state = _scripts(session)
    document = session.open_documents().get(path)
    text = document.source if document is not None else None
    checked = await asyncio.to_thread(_check, state, path, text)
    if checked is not None and session.settings.trusted:
        state.pythons[path] = await asyncio.to_thread(_find_python, session, path, checked)
    _record(session, path, checked)
    return checked


async def on_script_status(
    session: Session, params: protocol.ScriptStatusParams
) -> protocol.ScriptStatus | None:
    """The status of the script at `uri` (checked now, so an opened document never answers None
    before its first check); None when it is no script."""
    fs_path = to_fs_path(params["uri"])
    if fs_path is None:
        return None
    path = Path(fs_path)
    checked = await _refresh(session, path)
    return _scripts(session).sent.get(path) if checked is not None else None


async def on_lock_script(
    session: Session, params: protocol.ScriptActionParams
) -> protocol.ScriptActionResult:
    return await _act(session, params, "Locking", lock_script)


async def on_sync_script(
    session: Session, params: protocol.ScriptActionParams
) -> protocol.ScriptActionResult:
    return await _act(session, params, "Creating the environment of", sync_script)


def _answer(
    status: protocol.ScriptActionStatus,
    message: str,
    script: protocol.ScriptStatus | None = None,
    python_request: str | None = None,
    download: protocol.PythonDownload | None = None,
) -> protocol.ScriptActionResult:
    return {
        "status": status,
        "message": message,
        "script": script,
        "pythonRequest": python_request,
        "download": download,
    }


async def _act(
    session: Session, params: protocol.ScriptActionParams, doing: str, action: Callable[..., Any]
) -> protocol.ScriptActionResult:
    from pyhelper.lsp.environments import python_download, python_or_download

    fs_path = to_fs_path(params["uri"])
    if not session.settings.trusted:
        return _answer("failed", UNTRUSTED.format(doing=_DOING))
    path = Path(fs_path) if fs_path else None
    checked = await _refresh(session, path) if path is not None else None
    if path is None or checked is None:
        return _answer("failed", f"{params['uri']} is not a PEP 723 script.")
    sent = _scripts(session).sent.get(path)
    if checked.block.problem is not None:
        message = f"The script block of {path.name} is malformed ({checked.block.problem}): fix it first."
        return _answer("failed", message, sent)
    chosen = params.get("python")
    found = _scripts(session).pythons.get(path)
    python: Path | None = Path(chosen) if chosen else found.python if found is not None else None
    # Nothing installed fits requires-python: a managed build may, as for a project's environment.
    choice = _choice(session, checked) if python is None else None
    allow_download = bool(params.get("allowDownload"))
    if choice is not None and choice.install is None:
        message = (
            f"No installed Python satisfies {path.name}'s requires-python ({checked.block.requires_python}): "
            "select an interpreter and try again."
        )
        return _answer("failed", message, sent)
    if choice is not None and choice.install is not None and not allow_download:
        offer = await asyncio.to_thread(python_download, session, choice.install)
        return _answer("needs-python", choice.message, sent, choice.install.label, offer)
    progress = WorkDone(session.server, params.get("workDoneToken"), f"{doing} {path.name}")

    def work(cancel: threading.Event) -> protocol.ScriptActionResult:
        def line(text: str) -> None:
            progress.tool_output.add(text)
            progress.report(text)

        use = python
        if use is None and choice is not None:
            got = python_or_download(session, choice, True, progress, cancel)
            if isinstance(got, dict):
                # The download failed or was cancelled.
                return _answer("cancelled" if got["status"] == "cancelled" else "failed", got["message"])
            use = Path(got)
        done = action(
            path, use, uv_path=session.settings.uv_path, environ=os.environ, on_line=line, cancel=cancel
        )
        return _answer(done.status, done.message)

    answer = await run_reported(work, progress)
    _scripts(session).locks.forget(lock_path(path))
    await _refresh(session, path)
    return {**answer, "script": _scripts(session).sent.get(path)}


def code_actions(
    session: Session, path: Path, diagnostics: Sequence[types.Diagnostic]
) -> list[types.CodeAction]:
    """Quick fixes on a script's diagnostics: one per family (Lock Script, Sync Script Environment)."""
    from pyhelper.lsp.diagnostics import SOURCE

    script = path.with_name(path.name.removesuffix(".lock")) if path.name.endswith(".py.lock") else path
    if script not in _scripts(session).checks:
        return []
    families: dict[QuickFix, list[types.Diagnostic]] = {}
    for diagnostic in diagnostics:
        entry = lookup(diagnostic.code) if diagnostic.source == SOURCE else None
        if entry is not None and entry.fix in _FIXES:
            families.setdefault(entry.fix, []).append(diagnostic)
    actions = [
        types.CodeAction(
            title=_FIXES[fix][0],
            kind=types.CodeActionKind.QuickFix,
            diagnostics=found,
            command=types.Command(title=_FIXES[fix][0], command=_FIXES[fix][1], arguments=[str(script)]),
        )
        for fix, found in families.items()
    ]
    if actions:
        actions[0].is_preferred = True
    return actions


HANDLERS: dict[str, Callable[..., Any]] = {
    protocol.SCRIPT_STATUS: on_script_status,
    protocol.LOCK_SCRIPT: on_lock_script,
    protocol.SYNC_SCRIPT: on_sync_script,
}
