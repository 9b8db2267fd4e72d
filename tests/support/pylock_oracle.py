"""uv's verdict on a pylock.toml that records no inputs: does it install what the project requires?

Used by the recorders (`tests/fixtures/drift/generate.py`, `tests/corpus/record.py`, both run by hand)
for a pylock.toml written by any tool but PDM (uv, pip, a person), where no tool compares the file with
pyproject.toml. PEP 751's own promise is asked of uv instead, on the lowest Python the project admits
and on the recorders' Python:

    uv venv --python P .venv
    uv pip sync pylock.toml                    # exactly what the lock installs there
    uv pip install --dry-run --offline --no-index --cache-dir EMPTY -r pyproject.toml

The last step passes ("Would make no changes") only when the packages just installed satisfy
`[project] dependencies`: with no index and an empty cache nothing else is available to uv.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import tomllib
from packaging.specifiers import SpecifierSet

Run = Callable[[list[str]], "subprocess.CompletedProcess[str]"]
"""Runs a command in the project's folder."""

COMMAND = (
    "uv pip sync pylock.toml, then uv pip install --dry-run --offline --no-index -r pyproject.toml "
    "(lowest admitted Python, and 3.12 if admitted)"
)


def pythons_admitted(root: Path, versions: Path, also: str) -> list[str]:
    """The lowest CPython under `versions` (pyenv's; 3.8 or newer: uv's floor) that the project's
    requires-python admits, and `also` (a Python under `versions`) when it admits that too."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = SpecifierSet(project.get("requires-python", ""))
    installed = sorted(
        (tuple(int(part) for part in path.name.split(".")), path)
        for path in versions.iterdir()
        if re.fullmatch(r"3\.\d+\.\d+", path.name)
    )
    admitted = [path for version, path in installed if version >= (3, 8) and wanted.contains(path.name)]
    chosen = [str(admitted[0] / "bin" / "python3")]
    return [*chosen, also] if Path(also).parents[1] in admitted[1:] else chosen


def install_check(
    uv: str, root: Path, pythons: list[str], run: Run, lock: str = "pylock.toml"
) -> tuple[int, str]:
    """(exit code, why): 0 when the lock installs what the project requires on every one of `pythons`."""
    venv = root / ".venv"
    for python in pythons:
        steps = [
            [uv, "venv", "-q", "--python", python, str(venv)],
            [uv, "pip", "sync", "-q", "--python", str(venv), lock],
            [uv, "pip", "install", "--dry-run", "--offline", "--no-index", "--python", str(venv),
             "--cache-dir", str(root / ".empty-cache"), "-r", "pyproject.toml"],
        ]  # fmt: skip
        for step in steps:
            done = run(step)
            if done.returncode or (step[2] == "install" and "Would make no changes" not in done.stderr):
                lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
                why = next((line for line in lines if line.startswith("cause:")), lines[-1] if lines else "")
                return done.returncode or 1, f"Python {Path(python).parents[1].name}: {why}"
        shutil.rmtree(venv)
    return 0, "Would make no changes"
