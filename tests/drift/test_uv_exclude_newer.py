"""`[tool.uv] exclude-newer` spelled and changed as people write it: the verdict is real uv's, asked
live (`uv lock --offline`, then `uv lock --check --offline` after the edit; the project's one
dependency is a local package, so no index is needed), and the engine must give the same.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pyhelper.drift.lock import check_project, is_drift

PYPROJECT = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["local"]

[tool.uv]
exclude-newer = "{cutoff}"

[tool.uv.sources]
local = {{ path = "libs/local" }}
"""
LOCAL = '[project]\nname = "local"\nversion = "1.0"\ndependencies = []\n'

PAIRS = [
    ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00+00:00"),  # the same moment
    ("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),  # later: the lock still holds
    ("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z"),  # earlier: re-resolves
    ("2024-01-02T00:00:00Z", "2024-01-02T01:00:00+02:00"),
    ("1 week", "P1W"),
    ("1 week", "1w"),
    ("1 week", "1 weeks"),
    ("1 week", "7 days"),
    ("1 week", "2 weeks"),
    ("P1W", "p1w"),
    ("3 days", "P3D"),
    ("1 week", "2024-01-01T00:00:00Z"),
]


def _uv(uv: Path, root: Path, *args: str) -> int:
    env = {**os.environ, "UV_CACHE_DIR": str(root.parent / "uv-cache")}
    env.pop("VIRTUAL_ENV", None)
    command = [str(uv), *args, "--offline", "--no-python-downloads", "-q"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True).returncode


@pytest.mark.parametrize(("locked", "now"), PAIRS)
def test_the_verdict_is_uvs(tmp_path: Path, uv: Path, locked: str, now: str) -> None:
    root = tmp_path / "app"
    (root / "libs" / "local").mkdir(parents=True)
    (root / "libs" / "local" / "pyproject.toml").write_text(LOCAL, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT.format(cutoff=locked), encoding="utf-8")
    assert _uv(uv, root, "lock") == 0
    assert check_project(root) == []
    (root / "pyproject.toml").write_text(PYPROJECT.format(cutoff=now), encoding="utf-8")
    stale = _uv(uv, root, "lock", "--check") != 0
    findings = check_project(root)
    assert is_drift(findings) == stale, [f"{f.code} {f.message}" for f in findings]
