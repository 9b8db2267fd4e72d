"""Real interpreter layouts for discovery tests, built in tmp folders from the interpreters on this machine.

A layout holds a copy of a real executable (pyenv's are small, dynamically linked binaries), its real
`patchlevel.h` (or a written one, for builds this machine lacks) and a link to the real standard
library, so the copy runs as itself: `sys.prefix` is the layout, the version is the real one.

`ProcessSpy` observes process creation through Python's audit hooks (`subprocess.Popen`, `os.exec`,
`os.posix_spawn`, `os.fork`, `os.system`...), the events every process-starting API of the standard
library raises: a test asserts on what discovery really did, not on a replaced function.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyhelper.interpreters.locations import Host, pyenv_versions_dir
from support.tools import uv_binary

_SPAWN_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.exec",
        "os.posix_spawn",
        "os.fork",
        "os.forkpty",
        "os.spawn",
        "os.system",
    }
)


def real_prefix(minor: str) -> Path:
    """The machine's pyenv installation of `minor` (e.g. "3.12"); this machine kind has 3.10 to 3.13."""
    versions = Path(pyenv_versions_dir(Host.current()))
    found = sorted(p for p in versions.glob(f"{minor}.*") if (p / "bin" / f"python{minor}").is_file())
    assert found, f"this test needs pyenv's Python {minor} under {versions}"
    return found[-1]


def real_version(executable: Path | str) -> str:
    """The first word of `sys.version`, asked of the interpreter itself."""
    out = subprocess.run(
        [str(executable), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()[0]


def copy_install(
    source: Path,
    dest: Path,
    minor: str,
    *,
    suffix: str = "",
    header: str | None = "copy",
    exe_name: str | None = None,
) -> Path:
    """An installation at `dest` made from the real one at `source`; returns its versioned executable.

    `suffix` ("t") names a free-threaded layout; `header` is "copy" (the real patchlevel.h), a
    PY_VERSION to write, or None for no headers at all.
    """
    name = exe_name or f"python{minor}{suffix}"
    bin_dir = dest / "bin"
    bin_dir.mkdir(parents=True)
    executable = bin_dir / name
    shutil.copy2(source / "bin" / f"python{minor}", executable)
    (bin_dir / "python3").symlink_to(name)
    (bin_dir / "python").symlink_to("python3")
    (dest / "lib").mkdir()
    (dest / "lib" / f"python{minor}{suffix}").symlink_to(source / "lib" / f"python{minor}")
    if header is not None:
        include = dest / "include" / f"python{minor}{suffix}"
        include.mkdir(parents=True)
        if header == "copy":
            shutil.copy2(
                source / "include" / f"python{minor}" / "patchlevel.h",
                include / "patchlevel.h",
            )
        else:
            (include / "patchlevel.h").write_text(f'#define PY_VERSION "{header}"\n')
    return executable


def write_shim(path: Path) -> Path:
    """A launcher script in pyenv's style: what discovery must never count as an interpreter."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('#!/usr/bin/env bash\nset -e\nexec pyenv exec "${0##*/}" "$@"\n')
    path.chmod(0o755)
    return path


def make_venv(venv: Path, python: Path | str, *, tool: str = "uv") -> Path:
    """A real venv made by uv (`uv venv --python ABS`) or the standard library's venv module."""
    if tool == "uv":
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_CONFIG": "1"}
        subprocess.run(
            [str(uv_binary()), "venv", "-q", "--python", str(python), str(venv)],
            check=True,
            env=env,
        )
    else:
        subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True)
    return venv


class ProcessSpy:
    """Records process-creation audit events raised by the recording thread while active."""

    _installed = False
    _active: ProcessSpy | None = None

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self._thread = threading.get_ident()

    @classmethod
    def _hook(cls, event: str, args: tuple[object, ...]) -> None:
        spy = cls._active
        if spy is not None and event in _SPAWN_EVENTS and threading.get_ident() == spy._thread:
            spy.events.append((event, repr(args[:2])))

    @classmethod
    @contextmanager
    def watching(cls) -> Iterator[ProcessSpy]:
        if not cls._installed:
            sys.addaudithook(cls._hook)
            cls._installed = True
        spy = cls()
        cls._active = spy
        try:
            yield spy
        finally:
            cls._active = None
