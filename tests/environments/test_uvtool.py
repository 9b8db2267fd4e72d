"""Finding uv (user path, bundled package, PATH) and running tools as streamed, cancellable children."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import uv as uv_package

from pyhelper import uvtool
from pyhelper.uvtool import ToolNotRunnable, ToolResult, child_environment, find_uv, run_tool


def test_a_user_path_that_cannot_run_falls_back_to_the_bundled_uv(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "uv"
    broken.write_text("not a program")
    broken.chmod(0o755)
    found = find_uv(str(broken))
    assert found is not None
    assert found.source == "bundled"
    assert found.path == Path(uv_package.find_uv_bin())


def test_a_user_path_that_runs_wins(tmp_path: Path) -> None:
    chosen = tmp_path / "bin" / "uv"
    chosen.parent.mkdir()
    chosen.symlink_to(uv_package.find_uv_bin())
    found = find_uv(str(chosen))
    assert found is not None and found.source == "setting" and found.path == chosen


@pytest.mark.parametrize("runner", ["pyenv 3.12", "a Python whose scripts folder has a uv"])
def test_bundled_with_pip_install_target_layout(
    tmp_path: Path, pythons: dict[str, Path], runner: str
) -> None:
    """The extension bundles dependencies with `pip install --target`: <libs>/uv and <libs>/bin/uv.
    That uv wins even over one in the running interpreter's own scripts folder (the dev venv has one)."""
    libs = tmp_path / "libs"
    shutil.copytree(Path(uv_package.__file__).parent, libs / "uv")
    (libs / "bin").mkdir()
    (libs / "bin" / "uv").symlink_to(uv_package.find_uv_bin())
    pyhelper_source = Path(__file__).resolve().parents[2] / "pyhelper"
    dev_site = next(p for p in sys.path if p.endswith("site-packages"))
    script = "import json; from pyhelper.uvtool import find_uv; u = find_uv(); print(json.dumps([str(u.path), u.source]))"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(libs), str(pyhelper_source), dev_site]),
        "PATH": "/usr/bin:/bin",
    }
    python = pythons["3.12"] if runner == "pyenv 3.12" else Path(sys.executable)
    output = subprocess.run(
        [str(python), "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(output) == [str(libs / "bin" / "uv"), "bundled"]


def test_children_do_not_inherit_the_helpers_pythonpath() -> None:
    env = child_environment(
        {
            "PYTHONPATH": "/bundled/libs",
            "SSL_CERT_FILE": "/ca.pem",
            "VIRTUAL_ENV": "/x",
            "A": "b",
        }
    )
    assert env == {"SSL_CERT_FILE": "/ca.pem", "A": "b", "UV_PYTHON_DOWNLOADS": "never"}


def test_run_tool_streams_lines_and_stops_on_cancel(tmp_path: Path) -> None:
    # A tool that runs until it is stopped: only the cancel can end it.
    script = "import signal\nprint('started', flush=True)\nsignal.pause()\n"
    cancel = threading.Event()
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        cancel.set()

    result = run_tool(
        [sys.executable, "-c", script],
        env=child_environment(os.environ),
        on_line=on_line,
        cancel=cancel,
    )
    assert result.cancelled and not result.ok
    assert lines == ["started"]


def gone(pid: int) -> bool:
    """The process has exited (a zombie left for init to reap counts as gone)."""
    try:
        return Path(f"/proc/{pid}/status").read_text().count("State:\tZ") == 1
    except FileNotFoundError:
        return True


def ends(pid: int) -> bool:
    """Wait for `pid` to exit (SIGKILL is delivered, not instant): a pidfd turns readable when it does."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], 30)  # a bound, not a budget: it ends in milliseconds
    finally:
        os.close(fd)
    return bool(readable) or gone(pid)


def test_a_tool_that_ignores_sigterm_is_killed_with_its_children(tmp_path: Path) -> None:
    # The tool and the child it started both ignore SIGTERM, as a stuck build backend may: after the
    # grace period the whole process group gets SIGKILL, so nothing it started survives the cancel.
    script = (
        "import signal, subprocess, sys\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "child = subprocess.Popen([sys.executable, '-c', "
        "'import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(1, flush=True); signal.pause()'],"
        " stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)\n"
        "child.stdout.readline()\n"
        "print(child.pid, flush=True)\n"
        "signal.pause()\n"
    )
    cancel = threading.Event()
    pids: list[int] = []

    def on_line(line: str) -> None:
        pids.append(int(line))
        cancel.set()

    result = run_tool(
        [sys.executable, "-c", script], env=child_environment(os.environ), on_line=on_line, cancel=cancel
    )
    try:
        assert result.cancelled and result.returncode == -9  # SIGKILL: SIGTERM was ignored
        assert len(pids) == 1 and ends(pids[0])
    finally:
        for pid in pids:  # a survivor would ignore SIGTERM forever
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)


# A helper that runs a tool through run_tool, prints the tool's pid, and is then killed; without
# setpriv (argv[1] == "preexec") through the preexec_fn that other systems get.
_HELPER = """
import os, signal, sys
from pyhelper import uvtool
if sys.argv[1] == "preexec":
    uvtool._death_signal_wrapper = lambda: None
tool = [sys.executable, "-c", "import os, signal; print(os.getpid(), flush=True); signal.pause()"]
uvtool.run_tool(tool, env=dict(os.environ), on_line=lambda line: print(line, flush=True))
"""


def test_tools_ask_for_the_death_signal_through_setpriv_here() -> None:
    # Debian's util-linux: the fast path (Popen's vfork), which the test below and every tool run take.
    assert uvtool._death_signal_wrapper() == ("/usr/bin/setpriv", "--pdeathsig", "KILL", "--")


@pytest.mark.parametrize("way", ["setpriv", "preexec"])
def test_a_tool_dies_with_the_helper_that_started_it(way: str) -> None:
    helper = subprocess.Popen([sys.executable, "-c", _HELPER, way], stdout=subprocess.PIPE, text=True)
    assert helper.stdout is not None
    tool = int(helper.stdout.readline())
    assert _running(tool), "the tool is running while its helper is"
    helper.kill()
    helper.wait()
    deadline = time.monotonic() + 30
    while _running(tool) and time.monotonic() < deadline:
        time.sleep(0.02)  # polling for a condition, bounded by the deadline
    assert not _running(tool), "the tool outlived the SIGKILLed helper"


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting for init counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_cancel_returns_even_when_something_outside_the_tree_holds_the_output(tmp_path: Path) -> None:
    # The tool starts a process in a session of its own (out of reach of the group kill) that keeps
    # the output pipe open: once the tool itself is gone, run_tool stops waiting for the pipe.
    script = (
        "import subprocess, sys, signal\n"
        "held = subprocess.Popen([sys.executable, '-c', 'import signal; signal.pause()'],"
        " stdin=subprocess.DEVNULL, start_new_session=True)\n"
        "print(held.pid, flush=True)\n"
        "signal.pause()\n"
    )
    cancel = threading.Event()
    pids: list[int] = []
    results: list[ToolResult] = []

    def on_line(line: str) -> None:
        pids.append(int(line))
        cancel.set()

    def run() -> None:
        results.append(
            run_tool(
                [sys.executable, "-c", script],
                env=child_environment(os.environ),
                on_line=on_line,
                cancel=cancel,
            )
        )

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    try:
        runner.join(30)  # a bound, not a budget: it returns within the cancel poll
        assert not runner.is_alive(), "run_tool kept waiting for a pipe the tool no longer holds"
        assert results[0].cancelled and not results[0].ok
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)


@pytest.mark.parametrize("kind", ["missing", "not executable", "neither binary nor script", "a folder"])
def test_a_program_that_cannot_start_is_refused_as_popen_refuses_it(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "tool"
    if kind == "a folder":
        program.mkdir()
    elif kind != "missing":
        program.write_text("touch ran\n")  # what /bin/sh would run, were it given the file
        program.chmod(0o644 if kind == "not executable" else 0o755)
    env = child_environment(os.environ)

    def refusal() -> str:
        with pytest.raises(ToolNotRunnable) as refused:
            run_tool([str(program)], env=env, cwd=tmp_path)
        return str(refused.value)

    through_setpriv = refusal()
    monkeypatch.setattr(uvtool, "_death_signal_wrapper", lambda: None)
    assert through_setpriv == refusal()  # Popen's own words, without setpriv in between
    assert not (tmp_path / "ran").exists()


def test_a_program_found_on_path_runs_through_setpriv(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "hello").write_text('#!/bin/sh\necho hello "$0"\n')
    (tmp_path / "bin" / "hello").chmod(0o755)
    env = child_environment(os.environ, PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.defpath}")
    result = run_tool(["hello"], env=env, cwd=tmp_path)
    assert result.returncode == 0 and result.lines == (f"hello {tmp_path / 'bin' / 'hello'}",)
