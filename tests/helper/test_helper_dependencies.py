"""Add / Remove / Upgrade Dependency (`lockstep/changeDependency`), end to end: the real helper over
stdio runs real uv on a project locked against the loopback index; a failed resolution leaves
pyproject.toml and uv.lock byte for byte as they were and answers with uv's own explanation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomllib

from helper.helper_support import Helper, plain, within
from support.projects import uv_project

TRUSTED = {"trusted": True}


async def change(helper: Helper, **params: Any) -> Any:
    method = "lockstep/changeDependency"
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


def locked(root: Path) -> dict[str, str]:
    lock = tomllib.loads((root / "uv.lock").read_text())
    return {package["name"]: package.get("version", "") for package in lock["package"]}


@pytest.fixture
def project(tmp_path: Path, index_env: dict[str, str], uv: Path) -> Path:
    return uv_project(tmp_path / "app", uv, index_env, ["alpha>=1"])


async def test_add_to_a_group_then_remove_goes_through_uv(
    session: Any, project: Path, index_env: dict[str, str]
) -> None:
    async with session([project], initialization_options=TRUSTED, env=index_env) as helper:
        root = str(project)
        added = await change(helper, root=root, change="add", package="delta>=1", kind="group", group="test")
        assert added == {
            "status": "ok",
            "message": "Added delta>=1 to the test group.",
            "environmentSynced": False,
        }
        pyproject = tomllib.loads((project / "pyproject.toml").read_text())
        assert pyproject["dependency-groups"] == {"test": ["delta>=1"]}
        assert locked(project)["delta"] == "1.0"

        removed = await change(helper, root=root, change="remove", package="alpha")
        assert removed["status"] == "ok"
        assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"] == []
        assert "alpha" not in locked(project)


async def test_upgrade_to_a_chosen_version_moves_the_lock_only(
    session: Any, project: Path, index_env: dict[str, str]
) -> None:
    assert locked(project)["alpha"] == "2.0"
    before = (project / "pyproject.toml").read_bytes()
    async with session([project], initialization_options=TRUSTED, env=index_env) as helper:
        answer = await change(helper, root=str(project), change="upgrade", package="alpha", version="1.0")
    assert answer == {"status": "ok", "message": "Upgraded alpha to 1.0.", "environmentSynced": False}
    assert locked(project)["alpha"] == "1.0"
    assert (project / "pyproject.toml").read_bytes() == before


async def test_a_failed_resolution_leaves_every_file_as_it_was_and_says_why(
    session: Any, project: Path, index_env: dict[str, str]
) -> None:
    files = {name: (project / name).read_bytes() for name in ("pyproject.toml", "uv.lock")}
    async with session([project], initialization_options=TRUSTED, env=index_env) as helper:
        answer = await change(helper, root=str(project), change="add", package="alpha>=3")
    assert answer["status"] == "failed"
    assert answer["message"].startswith(
        "Adding alpha>=3 failed; pyproject.toml and the lock were left as they were."
    )
    assert "No solution found" in answer["message"] and "alpha>=3" in answer["message"]
    assert {name: (project / name).read_bytes() for name in files} == files


async def test_an_untrusted_workspace_changes_nothing(
    session: Any, project: Path, index_env: dict[str, str]
) -> None:
    files = {name: (project / name).read_bytes() for name in ("pyproject.toml", "uv.lock")}
    async with session([project], env=index_env) as helper:
        answer = await change(helper, root=str(project), change="add", package="delta")
    assert answer["status"] == "failed" and "trusted workspace" in answer["message"]
    assert {name: (project / name).read_bytes() for name in files} == files


async def test_a_package_s_place_in_the_lock_is_its_entry_s_name_line(session: Any, project: Path) -> None:
    lines = (project / "uv.lock").read_text().splitlines()
    async with session([project]) as helper:  # only reads: answered untrusted too
        method = "lockstep/lockEntry"

        async def place(**params: Any) -> Any:
            return plain(await within(helper.client.protocol.send_request_async(method, params), method))

        root = str(project)
        alpha = await place(root=root, package="Alpha", version="2.0")
        beta = await place(root=root, package="beta")
        missing = await place(root=root, package="delta")
    assert alpha == {"path": str(project / "uv.lock"), "line": lines.index('name = "alpha"'), "character": 0}
    assert lines[beta["line"]] == 'name = "beta"' and lines[beta["line"] + 1].startswith("version = ")
    assert missing is None
