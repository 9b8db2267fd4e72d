"""Real uv projects for the live-drift tests: locked and synced by real uv against the loopback index."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from livedrift.livedrift_support import Run, Tool
from support.tools import tool_home_environ, tool_path


@pytest.fixture
def run_uv(uv: Path, index_env: dict[str, str]) -> Run:
    """`run_uv(root, "sync", ...)`: real uv in `root` against the loopback index; fails on error unless
    `check=False`."""

    def run(
        root: Path, *args: str, check: bool = True, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(uv), *args],
            cwd=root,
            env={**index_env, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"uv {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done

    return run


@pytest.fixture(scope="module")
def run_tool(index_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Tool:
    """`run_tool("poetry", root, "sync", ...)`: the real tool in `root`, its caches, config and home in
    one folder of the test module's (warm caches after the first case), the loopback index the only
    source."""
    home = tmp_path_factory.mktemp("tool-home")
    env = {**tool_home_environ(index_env, home), "POETRY_VIRTUALENVS_IN_PROJECT": "true"}

    def run(name: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        extra = {"PDM_PYTHON": str(root / ".venv" / "bin" / "python")} if name == "pdm" else {}
        done = subprocess.run(
            [str(tool_path(name)), *args],
            cwd=root,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, (
            f"{name} {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
        return done

    return run
