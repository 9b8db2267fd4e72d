"""Real uv projects for the live-drift tests: locked and synced by real uv against the loopback index."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from livedrift.livedrift_support import Run


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
