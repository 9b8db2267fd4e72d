"""Fixtures for the interpreter tests; the sandbox itself lives in interp_sandbox.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from interpreters.interp_sandbox import Sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    box = Sandbox(tmp_path)
    box.home.mkdir()
    return box
