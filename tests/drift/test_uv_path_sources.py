"""A requirement served by a `[tool.uv.sources]` path: uv records the source, not the specifier, so the
engine must compare it as uv does. Each verdict here is real uv's own, asked live: the project is
locked with `uv lock --offline` (a local package with static metadata needs no index) and checked with
`uv lock --check --offline`, then the engine checks the same files.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from pyhelper.drift.lock import check_project, is_drift

PYPROJECT = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["local>=0.5", "other"]

[tool.uv.sources]
local = { path = "libs/local" }
other = { path = "libs/other", editable = true }
"""
LOCAL = """\
[project]
name = "{name}"
version = "1.0"
requires-python = ">=3.8"
dependencies = []

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""


def _uv(uv: Path, root: Path, *args: str) -> int:
    env = {**os.environ, "UV_CACHE_DIR": str(root.parent / "uv-cache")}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [str(uv), *args, "--offline", "--no-python-downloads", "-q"], cwd=root, env=env, capture_output=True
    )
    return done.returncode


@pytest.fixture
def project(tmp_path: Path, uv: Path) -> Path:
    root = tmp_path / "app"
    for name in ("local", "other"):
        (root / "libs" / name).mkdir(parents=True)
        (root / "libs" / name / "pyproject.toml").write_text(LOCAL.format(name=name), encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    assert _uv(uv, root, "lock") == 0
    return root


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"local>=0.5"', '"local>=0.5"'),
        ('"local>=0.5"', '"local>=0.7"'),  # uv records the path, not the specifier
        ('"local>=0.5"', '"local"'),
        ('"other"', '"other>=1"'),
        ('"local>=0.5", "other"', '"other", "local>=0.5"'),
        ('"local>=0.5", "other"', '"local>=0.5"'),
        ('local = { path = "libs/local" }', 'local = { path = "libs/other" }'),
    ],
)
def test_the_verdict_is_uvs(project: Path, uv: Path, old: str, new: str) -> None:
    path = project / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stale = _uv(uv, project, "lock", "--check") != 0
    findings = check_project(project)
    assert is_drift(findings) == stale, [f"{f.code} {f.message}" for f in findings]


def test_a_package_removed_from_the_lock_by_hand_is_missing(project: Path, uv: Path) -> None:
    lock = project / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    edited = re.sub(r'\n\[\[package\]\]\nname = "other"\n(?:.+\n)*', "\n", text)
    assert edited != text
    lock.write_text(edited, encoding="utf-8")
    assert _uv(uv, project, "lock", "--check") != 0
    findings = [f for f in check_project(project) if f.code == "lock-missing-package"]
    assert [(f.path.name, f.message) for f in findings] == [
        ("pyproject.toml", "other is required here but not in uv.lock — run `uv lock`")
    ]
