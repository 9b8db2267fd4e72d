"""Finding a uv that runs, and running tools (uv, an interpreter) as streamed, cancellable children.

Which uv, in order: the one the user chose (setting `lockstep.uv.path`, machine scope, passed in);
the binary of the `uv` package pyhelper depends on (`uv.find_uv_bin()`, which also finds it when the
dependencies were installed with `pip install --target`, as the extension bundles them); `uv` on PATH,
pyenv-style shim folders excluded. A candidate counts only when `uv --version` runs and reports at
least `MIN_VERSION`; the probe is cached per binary (path, size, mtime).

Children get the user's environment as it is (index URLs, uv.toml, SSL_CERT_FILE, proxies are theirs)
minus what belongs to the helper: its PYTHONPATH (the bundled libraries must never leak into a user's
tools) and VIRTUAL_ENV (every command names its target explicitly). UV_PYTHON_DOWNLOADS=never keeps
uv from fetching an interpreter behind the user's back: Lockstep always passes one by absolute path.
Every command is an argument list; nothing goes through a shell.
"""

from __future__ import annotations

import contextlib
import errno
import ntpath
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from packaging.version import InvalidVersion, Version

from pyhelper.cancellation import CancelToken

# `uv sync --locked` exit codes, `uv pip sync` of pylock files and `uv venv --allow-existing`.
MIN_VERSION = Version("0.8.0")
# How often a running child is checked for cancellation, and how long it may take to stop politely.
_CANCEL_POLL = 0.05
_TERMINATE_GRACE = 5.0
# Output kept for messages and logs; uv prints a line per package, so this is plenty.
_MAX_LINES = 2000
_VERSION_LINE = re.compile(r"^uv (\d+\.\d+\.\d+\S*)")

UvSource = Literal["setting", "bundled", "path"]
LineCallback = Callable[[str], None]


@dataclass(frozen=True)
class Uv:
    path: Path
    version: Version
    source: UvSource


@dataclass(frozen=True)
class ToolResult:
    returncode: int
    lines: tuple[str, ...]
    """stdout and stderr, interleaved as printed, without line ends."""
    cancelled: bool

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.cancelled

    def tail(self, count: int = 8) -> str:
        """The last lines, for an error message (uv puts the cause last)."""
        return "\n".join(line for line in self.lines[-count:] if line.strip())


class ToolNotRunnable(Exception):
    """The executable could not be started (missing, not executable, wrong architecture)."""


def child_environment(environ: Mapping[str, str], **overrides: str) -> dict[str, str]:
    """The environment for a child tool: the user's, minus the helper's own, plus `overrides`."""
    env = {key: value for key, value in environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.update(overrides)
    return env


def find_uv(user_path: str | None = None, environ: Mapping[str, str] | None = None) -> Uv | None:
    """The first uv candidate that runs and is recent enough, or None."""
    environ = os.environ if environ is None else environ
    for source, path in _candidates(user_path, environ):
        version = _probe(path, environ)
        if version is not None and version >= MIN_VERSION:
            return Uv(path, version, source)
    return None


def _candidates(user_path: str | None, environ: Mapping[str, str]) -> Iterator[tuple[UvSource, Path]]:
    """In order of preference, each worked out only when the ones before it did not run: the PATH
    search is skipped whenever the bundled uv does (every operation asks)."""
    if user_path:
        yield ("setting", Path(user_path).expanduser())
    try:
        import uv
    except ImportError:
        pass
    else:
        # The extension installs pyhelper's dependencies with `--target`: the binary is `<target>/bin/uv`.
        # uv.find_uv_bin() looks in the running Python's scripts folder first, where an unrelated (older)
        # uv of the user's system Python would be taken for ours.
        beside = Path(uv.__file__).parent.parent / "bin" / ("uv.exe" if os.name == "nt" else "uv")
        if beside.is_file():
            yield ("bundled", beside)
        else:
            try:
                found = Path(uv.find_uv_bin())
            except FileNotFoundError:
                pass
            else:
                yield ("bundled", found)
    from pyhelper.interpreters.locations import Host, shim_dirs

    host = Host.current(environ)
    shims = {os.path.normcase(os.path.abspath(folder)) for folder in shim_dirs(host)}
    search = os.pathsep.join(
        folder for folder in host.search_path() if os.path.normcase(os.path.abspath(folder)) not in shims
    )
    on_path = shutil.which("uv", path=search)
    if on_path:
        yield ("path", Path(on_path))


def _probe(path: Path, environ: Mapping[str, str]) -> Version | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _probe_cached(str(path), stat.st_size, stat.st_mtime_ns, _safe_environment(environ))


def _safe_environment(environ: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    # Hashable for the cache; the version probe only needs what lets the binary start.
    return tuple(sorted((k, v) for k, v in environ.items() if k in ("PATH", "HOME", "SYSTEMROOT", "TMPDIR")))


@lru_cache(maxsize=16)
def _probe_cached(path: str, size: int, mtime_ns: int, env: tuple[tuple[str, str], ...]) -> Version | None:
    try:
        completed = subprocess.run(
            [path, "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            env=child_environment(dict(env)),
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION_LINE.match(completed.stdout.strip())
    if completed.returncode != 0 or match is None:
        return None
    try:
        return Version(match.group(1))
    except InvalidVersion:
        return None


def run_tool(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path | None = None,
    on_line: LineCallback | None = None,
    cancel: CancelToken | None = None,
) -> ToolResult:
    """Run `argv`, calling `on_line` with each output line as it comes; stop it when `cancel` is set.

    The child runs in its own process group (session on POSIX) so that cancelling stops what it started
    too (uv's build backends). Raises ToolNotRunnable when it cannot be started at all.
    """
    popen_options: dict[str, object] = {}
    command = list(argv)
    if sys.platform == "win32":
        popen_options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        popen_options["start_new_session"] = True
        wrapper = _death_signal_wrapper()
        if wrapper is not None:
            _check_runnable(command[0], env, cwd)
            command = [*wrapper, *command]
        elif (die_with_helper := _parent_death_signal()) is not None:
            popen_options["preexec_fn"] = die_with_helper
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=cwd,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            **popen_options,  # type: ignore[call-overload]
        )
    except OSError as error:
        raise ToolNotRunnable(f"cannot run {argv[0]}: {error.strerror or error}") from error

    stopped = threading.Event()
    finished = threading.Event()
    if cancel is not None:
        threading.Thread(
            target=_stop_on_cancel, args=(process, cancel, stopped, finished), name="tool-cancel", daemon=True
        ).start()
    lines: list[str] = []
    received = _Lines(process)
    try:
        while (raw := received.get()) is not None:
            if isinstance(raw, _Idle):
                if stopped.is_set() and process.poll() is not None:
                    # Cancelled and the tool is gone, yet the pipe stays open: something it started
                    # outside its process tree holds it. Waiting for that would never end.
                    break
                continue
            line = raw.rstrip("\r\n")
            if len(lines) < _MAX_LINES:
                lines.append(line)
            if on_line is not None:
                on_line(line)
        returncode = process.wait()
    finally:
        finished.set()
        if process.poll() is None:
            # The caller's callback raised: do not leave the tool running.
            _terminate(process)
    return ToolResult(returncode, tuple(lines), stopped.is_set())


class _Idle:
    """What `_Lines.get` gives when no line came for a while."""


_IDLE = _Idle()


class _Lines:
    """The tool's output lines, read by a thread of their own so that the caller can stop waiting."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=_MAX_LINES)
        self._stream = process.stdout
        threading.Thread(target=self._pump, name="tool-output", daemon=True).start()

    def _pump(self) -> None:
        assert self._stream is not None
        try:
            for raw in self._stream:
                self._queue.put(raw)
        finally:
            self._queue.put(None)

    def get(self) -> str | _Idle | None:
        """The next line, `_IDLE` after a short wait without one, None at the end."""
        try:
            return self._queue.get(timeout=_CANCEL_POLL)
        except queue.Empty:
            return _IDLE


@lru_cache(maxsize=1)
def _death_signal_wrapper() -> tuple[str, ...] | None:
    """On Linux, util-linux's `setpriv --pdeathsig KILL --` when the system has one that takes the flag:
    it asks the kernel for SIGKILL when the helper dies, then execs the tool. Popen can then vfork;
    `_parent_death_signal`'s preexec_fn makes it fork the whole helper and run Python in the child,
    which took 5-30 ms per tool run (Add Dependency's uv among them) against 0.2 ms.

    The tool's parent is still the helper's thread that waits for it (the signal follows that thread).
    Unlike the preexec_fn, setpriv cannot see a helper that died in the moment before its call took
    effect: a tool started in that millisecond runs on."""
    if not sys.platform.startswith("linux"):
        return None
    for folder in ("/usr/bin", "/bin"):  # the system's own, never one a PATH entry could supply
        setpriv = os.path.join(folder, "setpriv")
        wrapper = (setpriv, "--pdeathsig", "KILL", "--")
        try:
            # busybox's setpriv has no --pdeathsig: it must run itself through the flag.
            probe = subprocess.run(
                [*wrapper, setpriv, "--version"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return wrapper
    return None


def _check_runnable(program: str, env: Mapping[str, str], cwd: Path | None) -> None:
    """Raise ToolNotRunnable where Popen would refuse to start `program` itself: through setpriv, a
    missing program would be setpriv's failure instead, and a file that is neither a binary nor a `#!`
    script would be run by /bin/sh (execvp's fallback), which Popen never does."""
    from pyhelper import boundedread

    if os.sep in program:
        found: str | None = os.path.join(cwd, program) if cwd is not None else program
    else:
        found = shutil.which(program, path=env.get("PATH", os.defpath))
    try:
        if found is None or not os.path.exists(found):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
        if os.path.isdir(found) or not os.access(found, os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        if not boundedread.read_head(found, 4).startswith((b"#!", b"\x7fELF")):
            raise OSError(errno.ENOEXEC, os.strerror(errno.ENOEXEC))
    except OSError as error:
        raise ToolNotRunnable(f"cannot run {program}: {error.strerror or error}") from error


def _parent_death_signal() -> Callable[[], None] | None:
    """On Linux, a function for the forked child that makes the kernel SIGKILL it when the helper dies,
    so a killed helper never leaves a uv running on the user's venv; None elsewhere.

    The signal follows the thread that forked, and run_tool's thread waits for the child to end, so it
    fires only when the whole helper is gone. The child runs nothing but one prctl call and a getppid
    before exec (what preexec_fn may safely do in a threaded process), and exits at once if the helper
    died before the call took effect.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = _libc_prctl()
    if prctl is None:
        return None
    helper = os.getpid()

    def die_with_helper() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != helper:
            os._exit(1)

    return die_with_helper


_PR_SET_PDEATHSIG = 1


@lru_cache(maxsize=1)
def _libc_prctl() -> Callable[[int, int], int] | None:
    import ctypes

    # The running program's own symbols include libc's; no library search (which starts processes).
    prctl: Callable[[int, int], int] | None = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    return prctl


def _stop_on_cancel(
    process: subprocess.Popen[str], cancel: CancelToken, stopped: threading.Event, finished: threading.Event
) -> None:
    # Looked at before the first wait: a tool cancelled before it began is stopped at once, where a
    # quick one (`uv sync` of an empty project) would run to its end during the poll.
    while not cancel.is_set():
        if finished.wait(_CANCEL_POLL):
            return
    if not finished.is_set():
        stopped.set()
        _terminate(process)


def _terminate(process: subprocess.Popen[str], platform: str = sys.platform) -> None:
    """Stop the tool and everything it started (uv's build backends), politely first on POSIX.

    POSIX: the child leads its own process group, which gets SIGTERM, then SIGKILL after a grace
    period. Windows has no process group signal that reaches console children, so taskkill ends the
    tree by parent links (`/T`), at once (`/F`); were it unable to run, at least the tool itself is
    killed. A child that survived would keep the output pipe open and the read loop waiting.
    """
    if platform == "win32":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                tree_kill_command(process.pid, os.environ),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=_TERMINATE_GRACE,
                check=False,
            )
        if process.poll() is None:
            process.kill()
        process.wait()
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(_TERMINATE_GRACE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def tree_kill_command(pid: int, environ: Mapping[str, str]) -> list[str]:
    """The Windows command that ends process `pid` and all its descendants: System32's own taskkill
    by absolute path (never one a workspace puts on PATH)."""
    root = next((v for k, v in environ.items() if k.upper() == "SYSTEMROOT" and v), r"C:\Windows")
    return [ntpath.join(root, "System32", "taskkill.exe"), "/T", "/F", "/PID", str(pid)]
