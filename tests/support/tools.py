"""The tools the tests run, located once.

uv is the one Lockstep itself runs (`pyhelper.uvtool.find_uv`: the bundled wheel's binary), so a test
locks, syncs and makes venvs with exactly the uv the product uses. Tests take the session fixture `uv`
(tests/conftest.py); helpers that are not fixtures call `uv_binary()`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pyhelper.uvtool import find_uv


@functools.cache
def uv_binary() -> Path:
    found = find_uv()
    assert found is not None, "the uv package (a pyhelper dependency) must provide a runnable uv"
    return found.path
