"""The tools the tests run, located once.

uv is the one Lockstep itself runs (`pyhelper.uvtool.find_uv`: the bundled wheel's binary), so a test
locks, syncs and makes venvs with exactly the uv the product uses. Tests take the session fixture `uv`
(tests/conftest.py); helpers that are not fixtures call `uv_binary()`. Poetry and PDM are the real
tools scripts/dev-setup installs under `.dev/tools` (`tool_path`), run in `manager_environ`
(or `tool_home_environ`, PATH left as given).
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from pyhelper.uvtool import find_uv


@functools.cache
def uv_binary() -> Path:
    found = find_uv()
    assert found is not None, "the uv package (a pyhelper dependency) must provide a runnable uv"
    return found.path


def uv_offline(uv: Path, root: Path, *args: str) -> int:
    """`uv ARGS` in `root`, offline and quiet, with a cache beside the project; its exit status (the
    verdict of `uv lock --check`)."""
    env = {**os.environ, "UV_CACHE_DIR": str(root.parent / "uv-cache")}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [str(uv), *args, "--offline", "--no-python-downloads", "-q"], cwd=root, env=env, capture_output=True
    )
    return done.returncode


TOOLS = Path(__file__).resolve().parents[2] / ".dev" / "tools"


def tool_path(name: str) -> Path:
    """`poetry` or `pdm`, as scripts/dev-setup installs it."""
    path = TOOLS / name / "bin" / name
    assert path.is_file(), f"{path} is missing: run scripts/dev-setup"
    return path


def manager_environ(base: Mapping[str, str], home: Path) -> dict[str, str]:
    """`tool_home_environ`, with PATH holding the two tools only."""
    return {
        **tool_home_environ(base, home),
        "PATH": f"{tool_path('poetry').parent}:{tool_path('pdm').parent}:/usr/bin:/bin",
    }


def tool_home_environ(base: Mapping[str, str], home: Path) -> dict[str, str]:
    """`base` (an index's `environ`) for Poetry and PDM: their caches, config and home in `home`,
    nothing interactive, no keyring, no update check."""
    return {
        **base,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "NO_COLOR": "1",
        "POETRY_NO_INTERACTION": "1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "PDM_CHECK_UPDATE": "false",
        "PDM_IGNORE_SAVED_PYTHON": "1",
        "PDM_NON_INTERACTIVE": "1",
    }
