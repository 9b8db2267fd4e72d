"""Creating, syncing, recreating and deleting a project's venv with uv, without ever losing one.

Design (why it is safe):
- A new venv is always built in a sibling folder `<venv>.lockstep-build-<random>` next to the target
  (same filesystem, so renames are atomic). `pyhelper.venvs.describe_venv` treats any folder named
  `*.lockstep-*` as no venv, so nothing half-made is ever shown as valid, and the target path only
  ever holds a complete venv (it gets one by a single rename).
- Packages are installed into the build folder too. Only when it is complete are the absolute paths
  uv and venv wrote into text files (entry-point shebangs and activate scripts in `bin/`, stdlib's
  `command` line in pyvenv.cfg: a venv is not relocatable) rewritten from the build path to the
  target path. Binaries are never patched: on Windows, where console scripts are `.exe` launchers
  holding the interpreter's path, uv builds a relocatable venv (`uv venv --relocatable`), whose
  launchers name the interpreter relative to themselves (uv's trampoline resolves it against its own
  folder), so they are right wherever the venv moves; pyvenv.cfg then drops the `relocatable` mark, so
  later installs write ordinary, now final, paths. (Not on POSIX, where relocatable scripts are
  `/bin/sh` wrappers needing `realpath`, which macOS 12 lacks: there the text rewrite is exact.)
  Then the swap: an existing venv is renamed aside to `<venv>.lockstep-old-<random>`, the build is
  renamed into place, the old venv deleted. Cancel or failure before the swap
  deletes the build folder only; the existing venv is never touched.
- On Windows a rename is refused while a file in the folder is open (a python.exe of the venv, a
  virus scan): each is retried briefly, then the message names the program that runs from the folder
  (`pyhelper.renaming`). When the build cannot take the venv's place, the venv is renamed back.
- A crash (SIGKILL) can leave a build folder (deleted at the next operation), or an old venv aside
  with no complete venv in place (renamed back at the next operation: the user's venv is restored).
  Recovery acts only on folders this machine's Lockstep recorded in its journal before making them
  (`pyhelper.venvjournal`): a `.venv.lockstep-old-*` that came with the project's files is never
  adopted as the venv, nor deleted. It runs under the file lock, so it never touches another
  process's work in progress.
- The venv's place must resolve (links followed) inside the project unless the user chose a place
  outside it (`pyhelper.venvs.venv_location`); every operation refuses a place that does not.
- A venv that is a symbolic link is removed as a link by Delete (and replaced as one by Recreate):
  what it points to is never deleted.
- An existing venv is replaced only by `create(replace=True)` (the caller's confirmation, e.g. the
  user chose "Recreate"), and deleted only by `delete(confirmed=True)`. A folder at the target that is
  not a venv is never replaced or deleted.
- One operation per venv at a time: in this process a second request for the same work joins the
  first (same result, its progress callback attached), other work gets `busy`; across processes
  (two editor windows) a file lock in Lockstep's cache dir serialises, and a create that finds a venv
  with the requested interpreter just built by the other window syncs it instead of rebuilding.
- Syncing an existing venv runs in place, as uv itself does, with the venv's own interpreter named
  (`--python <venv>/bin/python`): uv then never replaces the venv on its own (it would for a
  `.python-version` or `requires-python` it does not satisfy); it reports the mismatch instead.

Installing from the lock, by manager:
- No lock yet (uv, Poetry, PDM): the project is locked first with the operation's interpreter
  (`pyhelper.locking`), as `uv sync` does in a terminal. When the manager is not installed (Poetry,
  PDM) the answer is `lock-tool-missing`; with `unlocked=True` (the user's confirmation) the venv gets
  pyproject.toml's declared dependencies instead, unpinned. A lock made here and then undone by Cancel
  is removed again; when installing fails after locking, the lock stays (it is what `uv lock` would
  write, and the message says so) while the venv is left as it was.
- uv: `uv sync --locked` (a stale lock gives `needs-lock`; nothing is re-locked). For a new
  venv without seed packages uv sync creates it itself (`--python <interpreter>`), one process instead
  of `uv venv` + `uv sync`; otherwise (and on Windows, where it must be relocatable, which only
  `uv venv` makes) `uv venv --python <interpreter> [--seed] [--relocatable]` comes first.
- poetry / pdm: the lock's packages for this venv (`pyhelper.lockfiles.selection`) become a pinned,
  hashed requirements list that `uv pip sync` installs exactly, then the project itself editable when
  the manager would install it. pylock.toml: `uv pip sync` reads it itself. No lock (PEP 621, Hatch):
  `uv pip install -e .` with the chosen groups and extras.
- The groups and extras are the user's choice (`pyhelper.lockfiles.choice`): `uv sync`'s flags, the
  same selection from poetry.lock / pdm.lock that the environment drift check compares with.
- Without a uv that runs, the venv is created with the standard library's venv and packages are
  installed by that venv's pip from the same pinned list (uv projects included, from uv.lock).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pyhelper.cancellation import CancelToken
from pyhelper.lockfiles.choice import SyncChoice, uv_sync_flags
from pyhelper.lockfiles.format import Install
from pyhelper.lockfiles.registry import format_for_manager
from pyhelper.locking import LockBackup, lock_project, lockfile_of, missing_tool
from pyhelper.projects import Project
from pyhelper.renaming import FolderInUse, Renamer
from pyhelper.uvtool import ToolNotRunnable, ToolResult, Uv, child_environment, find_uv, run_tool
from pyhelper.venvjournal import Entry, Journal, Kind, identity, sibling
from pyhelper.venvs import (
    UV_PROJECT_ENVIRONMENT,
    VenvRefused,
    VenvSetting,
    describe_venv,
    read_pyvenv_cfg,
    venv_location,
    venv_python,
)
from pyhelper.walk import PYVENV_CFG

_BUILD = ".lockstep-build-"
_OLD = ".lockstep-old-"
_RELOCATABLE = re.compile(rb"\s*relocatable\s*=")
_STALE_LOCK_SIGNS = ("needs to be updated, but `--locked` was provided",)

EnvironmentStatus = Literal[
    "ok", "cancelled", "failed", "needs-lock", "lock-tool-missing", "needs-python", "busy"
]
"""How an operation ended. `lock-tool-missing`: no lock and the manager (Poetry, PDM) is not installed;
`unlocked` would go on."""


@dataclass(frozen=True)
class EnvironmentOptions:
    """The user's choices (editor settings) that shape an operation."""

    venv: VenvSetting = field(default_factory=VenvSetting)
    """`lockstep.venv.path` (relative to the project's or uv workspace's root; default `.venv`) and who
    set it."""
    seed: bool = False
    """`lockstep.venv.seed`: install pip (and setuptools/wheel where uv would) into a new venv."""
    uv_path: str | None = None
    """`lockstep.uv.path`: the uv to use instead of the bundled one."""
    choice: SyncChoice = SyncChoice()
    """`lockstep.sync.groups` / `lockstep.sync.extras` (or the project's stored choice): the groups and
    extras the venv gets."""


@dataclass(frozen=True)
class Event:
    """What the editor shows while an operation runs: a phase (with counts when known) or a tool line."""

    kind: Literal["phase", "output"]
    message: str
    done: int | None = None
    total: int | None = None


Progress = Callable[[Event], None]


@dataclass(frozen=True)
class Outcome:
    status: EnvironmentStatus
    message: str
    """One sentence for the user."""
    venv: Path
    """The venv the operation was about (whether or not it exists now)."""
    output: tuple[str, ...] = ()
    """The tools' output, for the log."""


def default_journal_dir(environ: Mapping[str, str]) -> Path:
    """Where the journal of Lockstep's own folders lives: its data folder, outside every project."""
    from pyhelper.interpreters.locations import Host, lockstep_data_dir

    return Path(lockstep_data_dir(Host.current(environ))) / "journal"


def default_lock_dir(environ: Mapping[str, str]) -> Path:
    """Lockstep's cache dir for lock files: they must not appear in the user's project."""
    if sys.platform == "win32":
        base = environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "lockstep" / "cache" / "locks"
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lockstep" / "locks"


class _Operation:
    """One running operation: the callers that wait for it, their progress callbacks and cancel tokens.

    As a cancel token it is set once every caller has cancelled: one window giving up does not stop
    the work another still waits for.
    """

    def __init__(self, key: tuple[object, ...]) -> None:
        self.key = key
        self.result: Future[Outcome] = Future()
        self._lock = threading.Lock()
        self._callbacks: list[Progress] = []
        self._tokens: list[CancelToken | None] = []
        self._phase: Event | None = None

    def attach(self, progress: Progress | None, cancel: CancelToken | None) -> None:
        with self._lock:
            self._tokens.append(cancel)
            if progress is not None:
                self._callbacks.append(progress)
            phase = self._phase
        if progress is not None and phase is not None:
            progress(phase)

    def is_set(self) -> bool:
        with self._lock:
            tokens = list(self._tokens)
        return all(token is not None and token.is_set() for token in tokens)

    def emit(self, event: Event) -> None:
        with self._lock:
            if event.kind == "phase":
                self._phase = event
            callbacks = list(self._callbacks)
        for callback in callbacks:
            callback(event)

    def phase(self, message: str, done: int | None = None, total: int | None = None) -> None:
        self.emit(Event("phase", message, done, total))

    def line(self, text: str) -> None:
        self.emit(Event("output", text))


class Environments:
    """The environment operations, safe to call from several threads (the server's workers)."""

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        lock_dir: Path | None = None,
        journal_dir: Path | None = None,
        platform: str = sys.platform,
        renamer: Renamer | None = None,
    ) -> None:
        self.environ: Mapping[str, str] = dict(os.environ if environ is None else environ)
        # Windows' console scripts are `.exe` launchers that embed the interpreter's path: never
        # patched, so uv writes them relative to themselves (`platform` is a seam for tests).
        self._relocatable_builds = platform == "win32"
        self._renamer = renamer or Renamer(platform)
        self._lock_dir = lock_dir or default_lock_dir(self.environ)
        self._journal_dir = journal_dir or default_journal_dir(self.environ)
        self._guard = threading.Lock()
        self._running: dict[Path, _Operation] = {}

    def location(self, project: Project, settings: EnvironmentOptions = EnvironmentOptions()) -> Path:
        """The project's venv; `VenvRefused` for a place outside the project the user did not pick."""
        return venv_location(project.env_root, project.manager, self.environ, settings.venv)

    # Public operations ------------------------------------------------------------------------------

    def create(
        self,
        project: Project,
        python: Path,
        *,
        replace: bool = False,
        python_version: str | None = None,
        settings: EnvironmentOptions = EnvironmentOptions(),
        unlocked: bool = False,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> Outcome:
        """Create the project's venv with the interpreter at `python` (an absolute path) and sync it.

        With a venv already there: using the same interpreter, it is synced; otherwise only
        `replace=True` (Recreate, confirmed by the user) builds a new one and swaps it in.
        `python_version` (as discovery found it) is only for the progress message. `unlocked`: a
        project without a lock and without the tool to make one gets its declared dependencies.
        """
        try:
            venv = self.location(project, settings)
        except VenvRefused as refused:
            return Outcome("failed", str(refused), refused.venv)
        started = time.time()
        return self._exclusive(
            venv,
            ("create", str(python), replace, settings, unlocked),
            progress,
            cancel,
            lambda op: self._create(
                project, venv, python, replace, python_version, settings, unlocked, op, started
            ),
        )

    def sync(
        self,
        project: Project,
        *,
        settings: EnvironmentOptions = EnvironmentOptions(),
        unlocked: bool = False,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> Outcome:
        """Install exactly what the lock says into the existing venv (locking first when there is none)."""
        if listed := _listed_elsewhere(project, "synced"):
            return listed
        try:
            venv = self.location(project, settings)
        except VenvRefused as refused:
            return Outcome("failed", str(refused), refused.venv)
        return self._exclusive(
            venv,
            ("sync", settings, unlocked),
            progress,
            cancel,
            lambda op: self._sync(project, venv, settings, unlocked, op),
        )

    def delete(
        self, project: Project, *, confirmed: bool, settings: EnvironmentOptions = EnvironmentOptions()
    ) -> Outcome:
        """Delete the project's venv (of a link, the link) only with `confirmed=True` (the user's word)."""
        if listed := _listed_elsewhere(project, "deleted"):
            return listed
        try:
            venv = self.location(project, settings)
        except VenvRefused as refused:
            return Outcome("failed", str(refused), refused.venv)
        if not confirmed:
            return Outcome(
                "failed", f"{venv.name} was not deleted: deleting needs the user's confirmation.", venv
            )
        return self._exclusive(venv, ("delete",), None, None, lambda op: self._delete(venv))

    def _journal(self, venv: Path) -> Journal:
        return Journal(self._journal_dir, venv)

    # Serialising ------------------------------------------------------------------------------------

    def _exclusive(
        self,
        venv: Path,
        key: tuple[object, ...],
        progress: Progress | None,
        cancel: CancelToken | None,
        work: Callable[[_Operation], Outcome],
    ) -> Outcome:
        with self._guard:
            running = self._running.get(venv)
            if running is not None and running.key != key:
                return Outcome(
                    "busy", f"Lockstep is already working on {venv.name}; try again when it is done.", venv
                )
            operation = running or self._running.setdefault(venv, _Operation(key))
            operation.attach(progress, cancel)
        if running is not None:
            return operation.result.result()

        from pyhelper.filelocks import LockWaitCancelled, hold_file_lock

        try:
            with hold_file_lock(self._lock_file(venv), operation):
                outcome = work(operation)
        except LockWaitCancelled:
            outcome = Outcome(
                "cancelled", "Cancelled while another window was working on it; nothing changed.", venv
            )
        except FolderInUse as error:
            outcome = Outcome("failed", f"{error} {venv.name} was left as it was.", venv)
        except OSError as error:
            where = error.filename or venv
            outcome = Outcome("failed", f"Cannot use {where}: {error.strerror or error}.", venv)
        except BaseException as error:
            operation.result.set_exception(error)
            raise
        finally:
            with self._guard:
                del self._running[venv]
        operation.result.set_result(outcome)
        return outcome

    @contextmanager
    def holding(self, venv: Path, cancel: CancelToken | None = None) -> Iterator[bool]:
        """`venv` to itself for work that changes it outside these operations (`uv add` with its own
        sync): True once held, as Create, Sync and Delete hold it (they are `busy` meanwhile); False at
        once when this process is already working on it. Waiting for another window's work raises
        `LockWaitCancelled` once `cancel` is set."""
        from pyhelper.filelocks import hold_file_lock

        with self._guard:
            busy = venv in self._running
            if not busy:
                self._running[venv] = _Operation(("held",))
        if busy:
            yield False
            return
        try:
            with hold_file_lock(self._lock_file(venv), cancel):
                yield True
        finally:
            with self._guard:
                del self._running[venv]

    def _lock_file(self, venv: Path) -> Path:
        import hashlib

        digest = hashlib.sha256(os.fsencode(os.path.abspath(venv))).hexdigest()[:32]
        return self._lock_dir / f"venv-{digest}.lock"

    # Create -----------------------------------------------------------------------------------------

    def _create(
        self,
        project: Project,
        venv: Path,
        python: Path,
        replace: bool,
        python_version: str | None,
        settings: EnvironmentOptions,
        unlocked: bool,
        op: _Operation,
        started: float,
    ) -> Outcome:
        journal = self._journal(venv)
        _recover(venv, journal, self._renamer)
        if not python.is_absolute():
            return Outcome("failed", f"The interpreter must be given by absolute path, not {python}.", venv)
        existing = describe_venv(venv)
        if existing is None and (venv.exists() or venv.is_symlink()):
            return Outcome(
                "failed", f"{venv} exists and is not a virtual environment; move it away and try again.", venv
            )
        if existing is not None:
            same = _made_from(venv, python)
            if same and (not replace or _built_since(venv, started)):
                return self._sync(project, venv, settings, unlocked, op)
            if not replace:
                return Outcome(
                    "failed",
                    f"{venv.name} exists already (Python {existing.version or 'unknown'}); "
                    f"recreate it to use {python}.",
                    venv,
                )

        locked = self._locked(project, venv, python, python_version, settings, unlocked, op)
        if isinstance(locked, Outcome):
            return _nothing_changed(locked, venv)
        project, made_lock = locked
        uv = find_uv(settings.uv_path, self.environ)
        with _build_folder(venv, journal) as build:
            name = venv.name
            op.phase(
                f"Creating {name} with " + (f"Python {python_version}" if python_version else str(python))
            )
            uv_sync_creates = (
                uv is not None
                and _installs_by(project) == "uv-sync"
                and not settings.seed
                and not self._relocatable_builds
            )
            made = None if uv_sync_creates else self._make_venv(build, python, project, settings, uv, op)
            if made is not None:
                return _undone(_nothing_changed(made, venv), made_lock)
            installed = self._install(project, build, python, settings, uv, op)
            if installed.status != "ok":
                return _undone(_nothing_changed(installed, venv), made_lock)
            if op.is_set():
                cancelled = Outcome("cancelled", f"Cancelled; {venv.name} was left as it was.", venv)
                return _undone(cancelled, made_lock)
            op.phase(f"Moving the new {name} into place")
            _relocate(build, venv)
            _swap(build, venv, journal, self._renamer)
        made_venv = describe_venv(venv)
        created = f"{name} with Python {made_venv.version if made_venv else 'unknown'}"
        return Outcome("ok", _done(f"Created {created}", project, made_lock), venv, installed.output)

    def _locked(
        self,
        project: Project,
        venv: Path,
        python: Path,
        python_version: str | None,
        settings: EnvironmentOptions,
        unlocked: bool,
        op: _Operation,
    ) -> tuple[Project, LockBackup | None] | Outcome:
        """The project as it is to be installed: with its lock, or one made now with `python` (then
        with the backup that undoes it), or without (`unlocked`, the caller's confirmation)."""
        lockfile = lockfile_of(project.manager, project.env_root)
        if lockfile is None:
            return project, None
        if lockfile.is_file():
            return project._replace(lockfile=lockfile), None
        if unlocked and missing_tool(project.manager) is not None:
            return project._replace(lockfile=None), None
        with_python = f"Python {python_version}" if python_version else str(python)
        op.phase(f"Locking the dependencies with {with_python} (no {lockfile.name} yet)")
        try:
            backup = LockBackup(lockfile)
        except OSError as error:
            return Outcome("failed", f"Cannot read {lockfile}: {error.strerror or error}.", venv, ())
        outcome = lock_project(
            project.manager,
            project.root,
            project.env_root,
            python,
            uv_path=settings.uv_path,
            environ=self.environ,
            on_line=op.line,
            cancel=op,
        )
        if outcome.status == "missing-tool" and missing_tool(project.manager) is not None:
            message = (
                f"There is no {lockfile.name} and {missing_tool(project.manager)}, so the dependencies "
                "cannot be locked. Install it, or create the environment unlocked, from the dependencies "
                "pyproject.toml declares."
            )
            return Outcome("lock-tool-missing", message, venv, outcome.lines)
        if outcome.status == "cancelled":
            return Outcome("cancelled", outcome.message, venv, outcome.lines)
        if outcome.status != "ok":
            return Outcome(
                "failed", f"Could not lock the dependencies: {outcome.message}", venv, outcome.lines
            )
        return project._replace(lockfile=lockfile), backup

    def _make_venv(
        self,
        build: Path,
        python: Path,
        project: Project,
        settings: EnvironmentOptions,
        uv: Uv | None,
        op: _Operation,
    ) -> Outcome | None:
        """Create a bare venv at `build`; None when done, else why not."""
        env = child_environment(self.environ)
        prompt = ["--prompt", project.name] if project.name else []
        if uv is not None:
            argv = [str(uv.path), "venv", "--python", str(python), *prompt]
            argv += ["--relocatable"] if self._relocatable_builds else []
            argv += ["--seed"] if settings.seed else []
            try:
                result = run_tool([*argv, str(build)], env=env, cwd=project.root, on_line=op.line, cancel=op)
                return _failure(result, "Creating the venv failed", build)
            except ToolNotRunnable as error:
                op.line(f"{error}; falling back to Python's venv module")
        # No uv: the standard library's venv, always with pip, which then installs the packages.
        argv = [str(python), "-m", "venv", *prompt, str(build)]
        try:
            result = run_tool(argv, env=env, cwd=project.root, on_line=op.line, cancel=op)
        except ToolNotRunnable as error:
            return Outcome("failed", f"{error}.", build)
        return _failure(result, "Creating the venv failed", build)

    # Sync -------------------------------------------------------------------------------------------

    def _sync(
        self, project: Project, venv: Path, settings: EnvironmentOptions, unlocked: bool, op: _Operation
    ) -> Outcome:
        _recover(venv, self._journal(venv), self._renamer)
        info = describe_venv(venv)
        if info is None:
            return Outcome("failed", f"There is no venv at {venv} to sync; create one first.", venv)
        if info.python is None:
            return Outcome("failed", f"The interpreter of {venv.name} is gone; recreate the venv.", venv)
        python = venv_python(venv)
        locked = self._locked(project, venv, python, info.version, settings, unlocked, op)
        if isinstance(locked, Outcome):
            return locked
        project, made_lock = locked
        uv = find_uv(settings.uv_path, self.environ)
        outcome = self._install(project, venv, python, settings, uv, op)
        if outcome.status == "ok":
            return Outcome("ok", _done(f"{venv.name} is in sync", project, made_lock), venv, outcome.output)
        return _undone(outcome, made_lock)

    def _install(
        self,
        project: Project,
        venv: Path,
        interpreter: Path,
        settings: EnvironmentOptions,
        uv: Uv | None,
        op: _Operation,
    ) -> Outcome:
        """Install what the project's lock (or, without one, its pyproject) says into `venv`.

        `interpreter` is what uv sync is told to use: the venv's own (an existing venv, which uv must
        then keep) or the base interpreter of a new venv that uv sync creates.
        """
        env = child_environment(self.environ)
        python = str(venv_python(venv))
        if _installs_by(project) == "uv-sync" and uv is not None and project.lockfile is not None:
            op.phase("Installing the locked packages (uv sync)")
            argv = [str(uv.path), "sync", "--locked", "--python", str(interpreter)]
            argv += uv_sync_flags(settings.choice)
            env[UV_PROJECT_ENVIRONMENT] = str(venv)
            result = self._run(argv, env, project.root, op)
            if not result.ok and _says_lock_is_stale(result.lines):
                return Outcome(
                    "needs-lock",
                    "uv.lock is out of date with pyproject.toml; update the lockfile first.",
                    venv,
                    result.lines,
                )
            return _failure(result, "uv sync failed", venv) or Outcome("ok", "Synced.", venv, result.lines)

        pylock = _pylock_of(project)
        if pylock is not None and uv is not None:
            op.phase(f"Installing the packages locked in {pylock.name}")
            argv = [
                str(uv.path),
                "pip",
                "sync",
                "--preview-features",
                "pylock",
                "--python",
                python,
                str(pylock),
            ]
            result = self._run(argv, env, project.root, op)
            return _failure(result, "uv pip sync failed", venv) or Outcome(
                "ok", "Synced.", venv, result.lines
            )

        # A pylock of another manager's project (`_pylock_of` gives none) is no lock of its own: without
        # that lock (`unlocked`, the user's word) the declared dependencies are installed.
        if _uses_lock(project) and (project.lockfile is not None or pylock is not None):
            return self._install_pinned(project, venv, settings, uv, op)
        if _uses_lock(project):
            return self._install_unlocked(project, venv, uv, op)

        op.phase(f"Installing {project.name or project.root.name} (no lockfile)")
        chosen_groups, extras = _declared_choice(project, settings.choice)
        groups = [f"--group={group}" for group in chosen_groups]
        target = f"{project.root}[{','.join(extras)}]" if extras else str(project.root)
        if uv is not None:
            argv = [str(uv.path), "pip", "install", "--python", python, *groups, "-e", target]
        else:
            argv = [python, "-m", "pip", "install", *groups, "-e", target]
        result = self._run(argv, env, project.root, op)
        return _failure(result, "Installing the project failed", venv) or Outcome(
            "ok", "Synced.", venv, result.lines
        )

    def _install_unlocked(self, project: Project, venv: Path, uv: Uv | None, op: _Operation) -> Outcome:
        """pyproject.toml's declared dependencies, unpinned: for a lock-using project that has no lock
        and no tool to make one, when the user asked for it."""
        from pyhelper.requirements import requirement_list
        from pyhelper.tomlfile import TomlDocument, read_toml

        doc = read_toml(project.root / "pyproject.toml")
        if not isinstance(doc, TomlDocument):
            return Outcome("failed", doc.message, venv)
        declared = [item.text for item in requirement_list(doc, ("project", "dependencies"))]
        if not declared and "dependencies" in doc.data.get("tool", {}).get(project.manager, {}):
            return Outcome(
                "failed",
                f"pyproject.toml declares its dependencies in [tool.{project.manager}], which only "
                f"{project.manager} reads: install it to lock them.",
                venv,
            )
        op.phase(f"Installing {len(declared)} declared dependencies (unlocked)", 0, len(declared))
        python = str(venv_python(venv))
        result = ToolResult(0, (), False)
        if declared:
            argv = (
                [str(uv.path), "pip", "install", "--python", python]
                if uv
                else [python, "-m", "pip", "install"]
            )
            result = self._run([*argv, *declared], child_environment(self.environ), project.root, op)
        return _failure(result, "Installing the declared dependencies failed", venv) or Outcome(
            "ok", "Synced.", venv, result.lines
        )

    def _install_pinned(
        self, project: Project, venv: Path, settings: EnvironmentOptions, uv: Uv | None, op: _Operation
    ) -> Outcome:
        from pyhelper.lockfiles.selection import LockSelectionError, pinned_install

        lock = project.lockfile or _pylock_of(project)
        if lock is None or not lock.is_file():
            fmt = format_for_manager(project.manager)
            lockname = fmt.lock_name if fmt is not None else "lockfile"
            return Outcome("needs-lock", f"There is no {lockname} yet; create the lockfile first.", venv)
        try:
            plan = pinned_install(lock, project.root, venv, settings.choice)
        except LockSelectionError as error:
            return Outcome(error.status, str(error), venv)
        env = child_environment(self.environ)
        python = str(venv_python(venv))
        with tempfile.TemporaryDirectory(prefix="lockstep-sync-") as scratch:
            requirements = Path(scratch) / "requirements.txt"
            requirements.write_text(plan.requirements_text(), encoding="utf-8")
            op.phase(f"Installing {len(plan.packages)} locked packages", 0, len(plan.packages))
            indexes = [arg for url in plan.indexes for arg in ("--index", url)]
            if uv is not None:
                argv = [str(uv.path), "pip", "sync", "--python", python, *indexes, str(requirements)]
            else:
                extra = [arg for url in plan.indexes for arg in ("--extra-index-url", url)]
                argv = [python, "-m", "pip", "install", "--no-deps", *extra, "-r", str(requirements)]
            result = self._run(argv, env, project.root, op, total=len(plan.packages))
        return _failure(result, "Installing the locked packages failed", venv) or Outcome(
            "ok", "Synced.", venv, result.lines
        )

    def _run(
        self, argv: Sequence[str], env: Mapping[str, str], cwd: Path, op: _Operation, total: int | None = None
    ) -> ToolResult:
        installed = 0

        def on_line(line: str) -> None:
            nonlocal installed
            op.line(line)
            # uv prints ` + name==version` per installed package.
            if line.startswith(" + "):
                installed += 1
                op.phase("Installing packages", installed, total)

        try:
            return run_tool(argv, env=env, cwd=cwd, on_line=on_line, cancel=op)
        except ToolNotRunnable as error:
            return ToolResult(127, (str(error),), False)

    # Delete -----------------------------------------------------------------------------------------

    def _delete(self, venv: Path) -> Outcome:
        journal = self._journal(venv)
        _recover(venv, journal, self._renamer)
        if not (venv / PYVENV_CFG).is_file():
            if venv.exists() or venv.is_symlink():
                return Outcome("failed", f"{venv} is not a virtual environment; it was not deleted.", venv)
            return Outcome("ok", f"There was no {venv.name} to delete.", venv)
        if venv.is_symlink():
            # One atomic step that either happens or changes nothing; what the link points to stays.
            target = os.path.realpath(venv)
            venv.unlink()
            return Outcome("ok", f"Removed the link {venv.name}; {target} was left as it was.", venv)
        # Set aside first so the venv disappears at once, whatever the deletion meets; an interrupted
        # deletion is finished by the next operation's recovery.
        aside = _set_aside(venv, journal, "deleting", self._renamer)
        shutil.rmtree(aside)
        journal.forget(aside)
        return Outcome("ok", f"Deleted {venv.name}.", venv)


# Helpers ----------------------------------------------------------------------------------------------


def _listed_elsewhere(project: Project, what: str) -> Outcome | None:
    """A refusal for the environment a `.python-envs` file names (`pyhelper.pythonenvs`): read only."""
    venv = project.venv
    if venv is None or venv.listed_in is None:
        return None
    return Outcome(
        "failed",
        f"{venv.path} was not {what}: it is the environment {venv.listed_in.name} names (PEP 832), which "
        "Lockstep reads but never changes. Use the tool that made it, or Create Environment to give the "
        "project its own venv, which then comes first.",
        venv.path,
    )


def _says_lock_is_stale(lines: Sequence[str]) -> bool:
    """Whether uv's output says the lock is stale. uv wraps its messages at $COLUMNS (which a terminal
    may export, and a long lock path makes any width too narrow), so the words are matched with all
    whitespace, line breaks included, collapsed."""
    text = " ".join(" ".join(lines).split())
    return any(sign in text for sign in _STALE_LOCK_SIGNS)


def _failure(result: ToolResult, what: str, venv: Path) -> Outcome | None:
    if result.cancelled:
        return Outcome("cancelled", "Cancelled.", venv, result.lines)
    if result.returncode != 0:
        return Outcome(
            "failed", f"{what}: {result.tail(3) or f'exit status {result.returncode}'}", venv, result.lines
        )
    return None


def _undone(outcome: Outcome, made_lock: LockBackup | None) -> Outcome:
    """A failed or cancelled outcome after this operation locked the project: a cancel takes the new
    lock back too; a failure keeps it (a correct lock of pyproject.toml) and says so."""
    if made_lock is None:
        return outcome
    message = outcome.message.rstrip(".")
    if outcome.status == "cancelled":
        made_lock.restore()
        return dataclasses.replace(outcome, message=f"{message}; {made_lock.as_before()}.")
    lock = made_lock.lockfile.name
    return dataclasses.replace(outcome, message=f"{lock} was written, but installing failed: {message}.")


def _done(what: str, project: Project, made_lock: LockBackup | None) -> str:
    """The success sentence, saying what was locked (or that nothing was)."""
    from pyhelper.lockfiles import count_locked_packages

    if made_lock is not None:
        count = count_locked_packages(made_lock.lockfile)
        packages = f"{count} package{'' if count == 1 else 's'}" if count is not None else "the dependencies"
        return f"Locked {packages} in {made_lock.lockfile.name}. {what}."
    lock_name = lockfile_of(project.manager, project.env_root)
    if lock_name is not None and project.lockfile is None:
        return f"{what}, unlocked: pyproject.toml's dependencies were installed without a {lock_name.name}."
    return f"{what}."


def _nothing_changed(outcome: Outcome, venv: Path) -> Outcome:
    """An outcome about the build folder, restated about the venv the user knows (which is unchanged)."""
    suffix = f" {venv.name} was left as it was." if venv.exists() else " No venv was created."
    return Outcome(outcome.status, outcome.message.rstrip(".") + "." + suffix, venv, outcome.output)


def _installs_by(project: Project) -> Install | None:
    """How the lock of the project's manager installs (None: the manager keeps no lock)."""
    fmt = format_for_manager(project.manager)
    return fmt.install if fmt is not None else None


def _declared_choice(project: Project, choice: SyncChoice) -> tuple[list[str], list[str]]:
    """The groups and extras to name for a project without a lock (which has no default groups), the
    choice's `:all:` as the names pyproject.toml declares (those that are names: `SyncChoice`)."""
    from pyhelper.requirements import table
    from pyhelper.tomlfile import TomlDocument, read_toml

    doc = read_toml(project.pyproject)
    data = doc.data if isinstance(doc, TomlDocument) else {}
    groups = list(table(data.get("dependency-groups"))) if choice.all_groups else choice.groups
    declared_extras = table(table(data.get("project")).get("optional-dependencies"))
    named = SyncChoice.from_names(groups, list(declared_extras) if choice.all_extras else choice.extras)
    return list(named.groups), list(named.extras)


def _uses_lock(project: Project) -> bool:
    return format_for_manager(project.manager) is not None or bool(project.pylock)


def _pylock_of(project: Project) -> Path | None:
    """The pylock file to install from, for projects whose manager has no lock of its own."""
    if format_for_manager(project.manager) is not None or not project.pylock:
        return None
    preferred = [path for path in project.pylock if path.name == "pylock.toml"]
    return (preferred or sorted(project.pylock))[0]


def _made_from(venv: Path, python: Path) -> bool:
    """Whether the venv was made from the interpreter at `python`.

    A venv interpreter that is a link says so by resolving to it. A copy (always on Windows, and
    `--copies`) resolves to itself, so pyvenv.cfg decides: the standard library's `executable`, else
    `home`, the base interpreter's folder (all uv writes).
    """
    own = venv_python(venv)
    try:
        if own.is_symlink():
            return own.resolve() == python.resolve()
        config = read_pyvenv_cfg(venv) or {}
        base = python.resolve()
        if config.get("executable"):
            return _same_path(Path(config["executable"]), base)
        return bool(config.get("home")) and _same_path(Path(config["home"]), base.parent)
    except OSError:
        return False


def _same_path(recorded: Path, actual: Path) -> bool:
    # Windows paths compare without case; pyvenv.cfg may hold a linked spelling of the folder.
    return os.path.normcase(recorded.resolve()) == os.path.normcase(actual)


def _built_since(venv: Path, started: float) -> bool:
    """Whether the venv was swapped into place after `started`, i.e. by another window doing the same
    work meanwhile (removing the marker at the swap is the last change to the venv's own folder)."""
    try:
        return venv.stat().st_mtime >= started
    except OSError:
        return False


@contextmanager
def _build_folder(venv: Path, journal: Journal) -> Iterator[Path]:
    """A sibling path of `venv` to build at (recorded, not created); removed on the way out unless
    moved into place."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    build = sibling(venv, _BUILD)
    journal.add(Entry(build, "build"))
    try:
        yield build
    finally:
        if os.path.lexists(build):
            _remove(build)
        if not os.path.lexists(build):
            journal.forget(build)


def _relocate(build: Path, venv: Path) -> None:
    """Make the complete build right for its final place `venv`: the build path rewritten to the final
    path where a venv records it in text (scripts in bin/, pyvenv.cfg), and uv's `relocatable` mark
    dropped from pyvenv.cfg. Never in a binary: uv's Windows launchers end with the interpreter path
    and its length, so a patched one points at garbage (a NUL byte tells a binary from a script);
    the venv is built relocatable there instead."""
    old, new = os.fsencode(build), os.fsencode(venv)
    scripts = build / ("Scripts" if sys.platform == "win32" else "bin")
    config = build / PYVENV_CFG
    for path in [*scripts.iterdir(), config]:
        if path.is_symlink() or not path.is_file():
            continue
        original = data = path.read_bytes()
        if path == config:
            data = b"".join(line for line in data.splitlines(keepends=True) if not _RELOCATABLE.match(line))
        if old in data and b"\0" not in data:
            data = data.replace(old, new)
        if data != original:
            path.write_bytes(data)


def _swap(build: Path, venv: Path, journal: Journal, renamer: Renamer) -> None:
    """Put the complete build at `venv`; an existing venv (or link) goes aside first and is removed last.
    When the build cannot take its place, the venv comes back from aside at once."""
    aside = _set_aside(venv, journal, "aside", renamer) if os.path.lexists(venv) else None
    try:
        renamer.move(build, venv)
    except OSError:
        if aside is not None:
            renamer.move(aside, venv)
            journal.forget(aside)
        raise
    journal.forget(build)
    if aside is not None:
        _remove(aside)
        if not os.path.lexists(aside):
            journal.forget(aside)


def _set_aside(venv: Path, journal: Journal, kind: Kind, renamer: Renamer) -> Path:
    """Rename `venv` to a fresh sibling name, recorded in the journal (with its inode) beforehand."""
    aside = sibling(venv, _OLD)
    journal.add(Entry(aside, kind, identity(venv)))
    try:
        renamer.move(venv, aside)
    except OSError:
        journal.forget(aside)
        raise
    return aside


def _remove(path: Path) -> None:
    """Delete a folder of Lockstep's own; a link is removed as a link, never what it points to."""
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _recover(venv: Path, journal: Journal, renamer: Renamer) -> None:
    """Tidy what an interrupted operation left next to `venv` (call only while holding its file lock).

    Only folders the journal names, and still the very folder recorded, are touched. Build folders go.
    A venv set aside by a swap comes back when nothing took its place (killed between the swap's two
    renames), else it goes (its replacement was confirmed and is complete); one set aside for deletion
    goes. Anything else named `*.lockstep-*` is not Lockstep's and stays as it is.
    """
    kept: list[Entry] = []
    for entry in journal.entries():
        if not os.path.lexists(entry.path):
            continue
        if entry.identity is not None and identity(entry.path) != entry.identity:
            continue  # the name was reused by someone else's folder: not ours to touch
        if entry.kind == "aside" and not os.path.lexists(venv):
            renamer.move(entry.path, venv)
            continue
        _remove(entry.path)
        if os.path.lexists(entry.path):
            kept.append(entry)
    journal.replace(kept)


__all__ = [
    "EnvironmentOptions",
    "Environments",
    "Event",
    "Outcome",
    "Progress",
    "Project",
    "default_journal_dir",
    "default_lock_dir",
]
