"""The real interpreters of this machine for tests: pyenv's installed versions, never its shims.

Each is the versioned executable inside `$(pyenv root)/versions/X.Y.Z/bin`, the file a shim would
finally run, so a test names an interpreter exactly as Lockstep does (by absolute path).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_VERSION_DIR = re.compile(r"^(3)\.(\d+)\.(\d+)$")


def pyenv_root() -> Path:
    return Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")


def real_interpreters() -> dict[str, Path]:
    """`"3.12"` -> `/root/.pyenv/versions/3.12.1/bin/python3.12`, for every installed CPython 3.10+."""
    found: dict[str, tuple[tuple[int, ...], Path]] = {}
    for folder in (pyenv_root() / "versions").iterdir() if (pyenv_root() / "versions").is_dir() else []:
        match = _VERSION_DIR.match(folder.name)
        if not match or int(match.group(2)) < 10:
            continue
        minor = f"3.{match.group(2)}"
        executable = folder / "bin" / f"python{minor}"
        version = tuple(int(part) for part in match.groups())
        if executable.is_file() and (minor not in found or found[minor][0] < version):
            found[minor] = (version, executable)
    return {minor: path for minor, (_, path) in sorted(found.items())}


def full_version(python: Path) -> str:
    """`3.12.1` for `.../versions/3.12.1/bin/python3.12`."""
    return python.parent.parent.name
