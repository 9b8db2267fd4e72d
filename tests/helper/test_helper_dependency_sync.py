"""Add / Remove / Upgrade Dependency on a uv project with a venv in sync: the real helper over stdio
runs real uv once, with uv's own sync (`environmentSynced` in the answer, and the editor sends no Sync
Environment), only when that leaves pyproject.toml, uv.lock and the venv exactly as the two steps
(`uv add --no-sync`, then Sync Environment's `uv sync --locked`) do. Each condition that does not hold
takes the two steps, whose first leaves the venv untouched; a failed change, whether the resolution or
the sync after it fails, leaves everything as it was."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from helper.helper_support import Helper, plain, within
from support.index import PackageIndex
from support.projects import installed, uv_project

TRUSTED = {"trusted": True}
STEPS: list[dict[str, Any]] = [
    {"change": "add", "package": "delta>=1"},
    {"change": "add", "package": "gamma", "kind": "group", "group": "dev"},
    {"change": "upgrade", "package": "alpha", "version": "1.0"},
    {"change": "remove", "package": "alpha"},
]
"""Each kind of change, the last one dropping alpha's beta too (`uv remove`'s sync is exact)."""


async def request(helper: Helper, method: str, params: dict[str, Any]) -> Any:
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


async def change(helper: Helper, root: Path, **params: Any) -> Any:
    return await request(helper, "lockstep/changeDependency", {"root": str(root), **params})


async def as_the_editor_does(helper: Helper, root: Path, **params: Any) -> Any:
    """The change, then Sync Environment unless the answer says the venv is synced already."""
    answer = await change(helper, root, **params)
    assert answer["status"] == "ok", answer
    if not answer["environmentSynced"]:
        synced = await request(helper, "lockstep/syncEnvironment", {"root": str(root)})
        assert synced["status"] == "ok", synced
    return answer


def synced_project(root: Path, uv: Path, environ: dict[str, str]) -> Path:
    uv_project(root, uv, environ, ["alpha>=1"])
    subprocess.run([str(uv), "sync", "--quiet"], cwd=root, env=environ, check=True)
    return root


def files(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in ("pyproject.toml", "uv.lock")}


def base_python(root: Path) -> str:
    """The venv's interpreter by another path: the same Python, not the venv's."""
    return os.path.realpath(root / ".venv" / "bin" / "python")


async def test_one_uv_process_leaves_what_the_two_steps_leave(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    one, two = (synced_project(tmp_path / name, uv, index_env) for name in ("one", "two"))
    async with session([one, two], initialization_options=TRUSTED, env=index_env) as helper:
        in_one = []
        for step in STEPS:
            single = await as_the_editor_does(helper, one, **step)
            # Told before the answer: the view shows the new state as the command returns. (Only the
            # drift: a health check, a second after the last change, may tell its summary meanwhile.)
            told = [p["drift"] for p in helper.projects_changed[-1]["projects"] if p["root"] == str(one)]
            now = [p["drift"] for p in await helper.projects() if p["root"] == str(one)]
            assert told == now
            double = await as_the_editor_does(helper, two, python=base_python(two), **step)
            assert not double["environmentSynced"]
            in_one.append(single["environmentSynced"])
            assert files(one) == files(two)
            assert installed(one / ".venv") == installed(two / ".venv")
            checked = await request(helper, "lockstep/checkDrift", {})
            assert {p["drift"]["state"] for p in checked["projects"]} == {"in-sync"}
    assert in_one == [True, True, True, True]
    assert installed(one / ".venv") == {"delta": "1.0", "gamma": "0.1"}


@pytest.mark.parametrize(
    "condition", ["groups", "drift", "interpreter", "uv-project-environment", "uv-no-sync"]
)
async def test_each_condition_not_met_takes_the_two_steps(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path, condition: str
) -> None:
    environ = dict(index_env)
    if condition == "uv-project-environment":
        environ["UV_PROJECT_ENVIRONMENT"] = "env"  # the venv uv (and Lockstep) use is not .venv
    root = synced_project(tmp_path / "app", uv, environ)
    if condition == "uv-no-sync":
        environ["UV_NO_SYNC"] = "1"  # uv's own sync skipped: found by the check after the change
    venv = root / ("env" if condition == "uv-project-environment" else ".venv")
    if condition == "drift":
        pip = [str(uv), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "epsilon"]
        subprocess.run(pip, cwd=root, env=environ, check=True)
    before = installed(venv)
    python = {"python": os.path.realpath(venv / "bin" / "python")} if condition == "interpreter" else {}
    async with session([root], initialization_options=TRUSTED, env=environ) as helper:
        if condition == "groups":
            no_default_groups = {"choices": [{"root": str(root), "groups": [], "extras": []}]}
            await request(helper, "lockstep/syncChoices", no_default_groups)
        answer = await change(helper, root, change="add", package="delta>=1", **python)
    assert answer == {
        "status": "ok",
        "message": "Added delta>=1 to the dependencies.",
        "environmentSynced": False,
    }
    assert installed(venv) == before  # `uv add --no-sync`: Sync Environment comes next


async def assert_changes_nothing(
    session: Any, root: Path, environ: dict[str, str], package: str, during: Callable[[], Any] | None = None
) -> str:
    before, venv = files(root), installed(root / ".venv")
    async with session([root], initialization_options=TRUSTED, env=environ) as helper:
        answer = await change(helper, root, change="add", package=package)
    assert answer["status"] == "failed" and not answer["environmentSynced"]
    assert answer["message"].startswith(f"Adding {package} failed; pyproject.toml and the lock were left")
    assert files(root) == before and installed(root / ".venv") == venv
    return str(answer["message"])


async def test_a_conflict_with_uv_s_own_sync_changes_nothing(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    root = synced_project(tmp_path / "app", uv, index_env)
    message = await assert_changes_nothing(session, root, index_env, "alpha>=3")
    assert "No solution found" in message


async def test_a_sync_that_fails_after_the_lock_changes_nothing(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path, package_index: PackageIndex
) -> None:
    # delta's metadata resolves (the index serves it apart), but its wheel, never cached here, is garbage.
    environ = {**index_env, "UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    root = synced_project(tmp_path / "app", uv, environ)
    package_index.misbehave("/delta-1.0-py3-none-any.whl", "malformed")
    try:
        message = await assert_changes_nothing(session, root, environ, "delta>=1")
    finally:
        package_index.misbehave("/delta-1.0-py3-none-any.whl", None)
    assert "Resolved" in message and "Failed to download `delta==1.0`" in message


async def test_the_progress_bar_ends_on_uv_s_last_line(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    # uv prints its `+ name==version` lines in a burst; the reports that come faster than the helper
    # sends them are one, and the last is never the one left out.
    root = synced_project(tmp_path / "app", uv, index_env)
    token = "add-delta"
    async with session([root], initialization_options=TRUSTED, env=index_env) as helper:
        helper.client.progress_reports[token] = []
        answer = await change(helper, root, change="add", package="delta>=1", workDoneToken=token)
        assert answer["environmentSynced"], answer
        reports = helper.client.progress_reports[token]
    begin, *middle, end = reports
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.title == "Adding delta>=1"
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert middle and all(isinstance(report, types.WorkDoneProgressReport) for report in middle)
    assert middle[-1].message == " + delta==1.0"


async def test_with_pyproject_open_uv_s_own_sync_is_still_seen(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    # The editor's buffer shows uv's edit only once the editor has read the file again: until then the
    # lock looks out of sync with it, yet the venv is what the lock selects (the check reads the buffer).
    root = synced_project(tmp_path / "app", uv, index_env)
    before = installed(root / ".venv")
    async with session([root], initialization_options=TRUSTED, env=index_env) as helper:
        helper.open(root / "pyproject.toml")
        answer = await change(helper, root, change="add", package="gamma", kind="group", group="dev")
        assert answer["environmentSynced"], answer
        (project,) = [p for p in helper.projects_changed[-1]["projects"] if p["root"] == str(root)]
        assert project["drift"]["state"] == "lock-out-of-sync"  # the buffer's verdict, until it changes
    assert installed(root / ".venv") == {**before, "gamma": "0.1"}
