"""Which uv workspace each project of a real repository belongs to, as real uv says when run in the
project's folder (where Lockstep runs it): the scan's `workspace_root` and the drift check's
`lockfiles.uv.workspace_root` must name the same folder. uv is asked offline and verbose for the
workspace it found (`Found workspace root: ...`), which it says before it resolves anything.

The corpus has members below another member that is a plain project (modelcontextprotocol/python-sdk's
`examples/clients/*` below `examples`): the root lists them, but uv run in their folder stops at
`examples` and takes each for a project of its own.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from corpus.corpus_cases import Project, load_manifest
from pyhelper.lockfiles.uv import workspace_root
from pyhelper.projects import scan_workspace
from pyhelper.tomlfile import read_toml

WORKSPACES = [
    project
    for project in load_manifest()
    if project.format == "uv"
    and "[tool.uv.workspace]" in (project.root / "pyproject.toml").read_text(encoding="utf-8")
]
FOUND = re.compile(r"Found workspace root: `?(.+?)`?$", re.MULTILINE)


def uv_workspace_root(uv: Path, folder: Path, cache: Path) -> Path:
    env = {**os.environ, "UV_CACHE_DIR": str(cache)}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [str(uv), "lock", "--check", "--offline", "--no-python-downloads", "-v"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    found = FOUND.search(done.stderr)
    assert found is not None, done.stderr[-2000:]
    return Path(found.group(1))


@pytest.mark.parametrize("project", WORKSPACES, ids=[project.name for project in WORKSPACES])
def test_each_project_is_in_the_workspace_uv_finds_from_its_folder(
    project: Project, uv: Path, tmp_path: Path
) -> None:
    for found in scan_workspace([project.root], environ={}).projects:
        expected = uv_workspace_root(uv, found.root, tmp_path / "uv-cache")
        assert (found.workspace_root or found.root) == expected, found.root
        assert workspace_root(found.root, read_toml, {}) == expected, found.root


def test_the_corpus_holds_members_uv_takes_alone_and_members_it_takes_in() -> None:
    """What the test above stands on: both kinds of member occur (from uv's answers, recorded here)."""
    (sdk,) = [project for project in WORKSPACES if project.name == "uv-mcp-python-sdk"]
    roots = {found.root: found.workspace_root for found in scan_workspace([sdk.root], environ={}).projects}
    assert roots[sdk.root / "src" / "mcp-types"] == sdk.root
    assert roots[sdk.root / "examples"] == sdk.root
    assert roots[sdk.root / "examples" / "snippets"] is None
