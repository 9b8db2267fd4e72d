"""The helper writes only inside the project's venv path, its own data and cache dirs, and TMPDIR.

A real helper, with HOME, the XDG dirs and TMPDIR pointed at fresh folders and uv's cache inside that
home, lists interpreters, creates the venv of a uv project locked against the loopback index, syncs it
and checks drift. File trees (names, sizes, mtimes) of the project's parent folder (also the helper's
working directory), the home and TMPDIR are compared before and after.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyhelper.lsp.protocol import CHECK_DRIFT
from reliability.reliability_support import start_helper
from support.index import PackageIndex
from support.projects import uv_project
from support.pythons import pyenv_root

Tree = dict[str, tuple[bool, int, int]]


def snapshot(*roots: Path) -> Tree:
    """Every path under `roots`: is it a folder, its size, its mtime (ns); links are not followed."""
    tree: Tree = {}
    for root in roots:
        for current, dirs, files in os.walk(root):
            for name in [*dirs, *files]:
                stat = os.lstat(os.path.join(current, name))
                tree[os.path.join(current, name)] = (
                    name in dirs,
                    stat.st_size,
                    stat.st_mtime_ns,
                )
    return tree


def changed(before: Tree, after: Tree) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def inside(path: str, folder: Path) -> bool:
    return path == str(folder) or path.startswith(f"{folder}{os.sep}")


async def test_the_helper_writes_only_where_it_may(
    tmp_path: Path, package_index: PackageIndex, pythons: dict[str, Path], uv: Path
) -> None:
    parent, home, tmp = (tmp_path / name for name in ("parent", "home", "tmp"))
    for folder in (parent, home, tmp):
        folder.mkdir()
    env = package_index.environ(home / ".cache" / "uv")
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TMPDIR=str(tmp),
        # Interpreter discovery still finds this machine's pyenv versions, as it would in the real home.
        PYENV_ROOT=str(pyenv_root()),
    )
    project = uv_project(parent / "app", uv, env)
    venv = project / ".venv"
    allowed = [
        venv,
        home / ".cache" / "lockstep",
        home / ".local" / "share" / "lockstep",
        home / ".cache" / "uv",
        tmp,
    ]
    before = snapshot(parent, home, tmp)

    helper = await start_helper(parent, env)
    try:
        await helper.start(project, {"trusted": True})
        assert "interpreters" in (await helper.request("lockstep/interpreters", {}))["result"]
        root = {"root": str(project)}
        created = await helper.request("lockstep/createEnvironment", {**root, "python": str(pythons["3.12"])})
        assert created["result"]["status"] == "ok", created
        synced = await helper.request("lockstep/syncEnvironment", root)
        assert synced["result"]["status"] == "ok", synced
        drift = await helper.request(CHECK_DRIFT, {})
        assert drift["result"]["projects"][0]["drift"]["state"] == "in-sync", drift
        assert await helper.close() == 0
    finally:
        await helper.stop()

    after = snapshot(parent, home, tmp)
    # Folders above an allowed path change too (an entry was added); nothing else may.
    ancestors = {str(folder) for path in allowed for folder in path.parents}
    unexpected = sorted(
        path
        for path in changed(before, after)
        if not any(inside(path, folder) for folder in allowed)
        and not (path in ancestors and after.get(path, (False,))[0])
    )
    assert unexpected == []
    # The work was done where it should be (the comparison above would pass for a helper doing nothing).
    assert (venv / "pyvenv.cfg").is_file()
    assert after[str(project / "uv.lock")] == before[str(project / "uv.lock")]
