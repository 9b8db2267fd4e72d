"""Where a venv may be, as an attacker's repository would try it (issue 18, items 3-5).

The real helper over stdio, real venvs made by real uv, real symbolic links. The editor sends
`lockstep.venv.path` with its origin (`venvPathOrigin`) as the extension does; a repository can ship
the workspace's settings and links, never the user's settings or the helper's environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from helper.helper_support import Helper, make_uv_venv, plain, within, write_tree
from support.projects import installed, uv_project

PROJECT = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.8"\n'
LOCKED = {"alpha": "2.0", "beta": "1.1", "gamma": "0.1", "delta": "1.0"}


async def request(helper: Helper, method: str, params: dict[str, Any]) -> Any:
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry below `folder` with its inode and size, links not followed: any change shows."""
    found = {}
    for directory, names, files in os.walk(folder):
        for name in names + files:
            path = Path(directory) / name
            status = path.lstat()
            found[str(path.relative_to(folder))] = (status.st_ino, status.st_size)
    return found


def victim(folder: Path) -> Path:
    """A real venv outside the project, with something of the user's in it."""
    make_uv_venv(folder)
    (folder / "precious.txt").write_text("mine")
    return folder


def isolated(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Lockstep's journal and locks inside tmp_path, so each test starts with none."""
    return {
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        **extra,
    }


def all_refused(answers: list[dict[str, Any]], resolved: Path) -> None:
    for answer in answers:
        assert answer["status"] == "failed", answer
        assert str(resolved) in answer["message"] and "outside the project" in answer["message"], answer


async def every_operation(helper: Helper, root: str) -> list[dict[str, Any]]:
    return [
        await request(helper, "lockstep/createEnvironment", {"root": root}),
        await request(helper, "lockstep/createEnvironment", {"root": root, "replace": True}),
        await request(helper, "lockstep/syncEnvironment", {"root": root}),
        await request(helper, "lockstep/deleteEnvironment", {"root": root, "confirmed": True}),
    ]


@pytest.mark.parametrize("spelling", ["relative", "absolute"])
async def test_a_workspace_venv_path_outside_the_project_is_refused_and_nothing_outside_changes(
    session: Any, tmp_path: Path, spelling: str
) -> None:
    project = write_tree(tmp_path / "repo" / "app", {"pyproject.toml": PROJECT})
    outside = victim(tmp_path / "elsewhere" / "env")
    before = snapshot(tmp_path / "elsewhere")
    value = "../../elsewhere/env" if spelling == "relative" else str(outside)
    options = {"trusted": True, "venvPath": value, "venvPathOrigin": "workspace"}
    async with session([project], initialization_options=options, env=isolated(tmp_path)) as helper:
        (listed,) = await helper.projects()
        assert listed["venv"] is None  # not shown as the project's venv either
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(project)})
        assert "from the workspace settings" in plan["refusal"] and str(outside) in plan["refusal"]
        answers = await every_operation(helper, str(project))
    all_refused(answers, outside)
    assert all("from the workspace settings" in answer["message"] for answer in answers)
    assert snapshot(tmp_path / "elsewhere") == before
    assert (outside / "precious.txt").read_text() == "mine"


async def test_create_makes_no_folders_outside_the_project(session: Any, tmp_path: Path) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    nowhere = tmp_path / "nowhere"
    options = {"trusted": True, "venvPath": str(nowhere / "deep" / "env"), "venvPathOrigin": "workspace"}
    async with session([project], initialization_options=options, env=isolated(tmp_path)) as helper:
        await helper.projects()
        created = await request(helper, "lockstep/createEnvironment", {"root": str(project)})
    all_refused([created], nowhere / "deep" / "env")
    assert not nowhere.exists()


async def test_a_venv_path_without_an_origin_counts_as_the_workspaces(session: Any, tmp_path: Path) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    outside = victim(tmp_path / "elsewhere")
    before = snapshot(outside)
    options = {"trusted": True, "venvPath": str(outside)}
    async with session([project], initialization_options=options, env=isolated(tmp_path)) as helper:
        await helper.projects()
        deleted = await request(
            helper, "lockstep/deleteEnvironment", {"root": str(project), "confirmed": True}
        )
    all_refused([deleted], outside)
    assert snapshot(outside) == before


async def test_the_users_own_venv_path_outside_the_project_is_honoured_until_the_workspace_sets_it(
    session: Any, tmp_path: Path
) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    mine = victim(tmp_path / "home" / ".venvs" / "app")
    options = {"trusted": True, "venvPath": str(mine), "venvPathOrigin": "user"}
    async with session([project], initialization_options=options, env=isolated(tmp_path)) as helper:
        (listed,) = await helper.projects()
        assert listed["venv"]["path"] == str(mine)
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(project)})
        assert plan["refusal"] is None and plan["venvPath"] == str(mine)

        # The same value now comes from the workspace (the user removed theirs, the repository has one).
        (changed,) = await helper.next_projects_changed(
            lambda: helper.notify(
                types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                types.DidChangeConfigurationParams(
                    settings={"lockstep": {"venvPath": str(mine), "venvPathOrigin": "workspace"}}
                ),
            )
        )
        assert changed["venv"] is None
        refused = await request(
            helper, "lockstep/deleteEnvironment", {"root": str(project), "confirmed": True}
        )
        all_refused([refused], mine)
        assert (mine / "pyvenv.cfg").is_file()

        helper.notify(
            types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            types.DidChangeConfigurationParams(
                settings={"lockstep": {"venvPath": str(mine), "venvPathOrigin": "user"}}
            ),
        )
        await helper.projects(refresh=True)
        deleted = await request(
            helper, "lockstep/deleteEnvironment", {"root": str(project), "confirmed": True}
        )
    assert deleted["status"] == "ok", deleted
    assert not mine.exists()


async def test_uv_project_environment_of_the_helpers_own_environment_may_point_outside(
    session: Any, tmp_path: Path
) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT, "uv.lock": ""})
    mine = victim(tmp_path / "home" / ".venvs" / "app")
    env = isolated(tmp_path, UV_PROJECT_ENVIRONMENT=str(mine))
    async with session([project], initialization_options={"trusted": True}, env=env) as helper:
        (listed,) = await helper.projects()
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(project)})
    assert listed["venv"]["path"] == str(mine)
    assert plan["refusal"] is None


@pytest.mark.parametrize("origin", ["default", "user"])
async def test_a_committed_venv_link_to_outside_is_refused_and_neither_link_nor_target_changes(
    session: Any, tmp_path: Path, origin: str
) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    outside = victim(tmp_path / "elsewhere" / "env")
    (project / ".venv").symlink_to(outside)
    before = snapshot(tmp_path / "elsewhere")
    # The user's own `.venv` names a place in the project, where the repository's links still apply.
    options = {"trusted": True, "venvPath": ".venv", "venvPathOrigin": origin}
    async with session([project], initialization_options=options, env=isolated(tmp_path)) as helper:
        (listed,) = await helper.projects()
        assert listed["venv"] is None
        answers = await every_operation(helper, str(project))
    all_refused(answers, outside)
    assert "through a symbolic link" in answers[0]["message"]
    assert os.readlink(project / ".venv") == str(outside)
    assert snapshot(tmp_path / "elsewhere") == before
    assert [p.name for p in project.iterdir() if ".lockstep-" in p.name] == []


async def test_deleting_a_venv_that_is_a_link_removes_the_link_and_keeps_its_target(
    session: Any, tmp_path: Path
) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    target = victim(project / "envs" / "py312")
    (project / ".venv").symlink_to("envs/py312")
    before = snapshot(target)
    async with session([project], initialization_options={"trusted": True}, env=isolated(tmp_path)) as helper:
        (listed,) = await helper.projects()
        assert listed["venv"]["link"] is True and listed["venv"]["resolved"] == str(target)
        deleted = await request(
            helper, "lockstep/deleteEnvironment", {"root": str(project), "confirmed": True}
        )
        assert deleted["status"] == "ok", deleted
        assert str(target) in deleted["message"]
        (after,) = await helper.projects(refresh=True)
        assert after["venv"] is None
    assert not os.path.lexists(project / ".venv")
    assert snapshot(target) == before
    assert [p.name for p in project.iterdir() if ".lockstep-" in p.name] == []


async def test_recreating_a_venv_that_is_a_link_replaces_the_link_and_keeps_its_target(
    session: Any, tmp_path: Path, uv: Path, index_env: dict[str, str]
) -> None:
    project = uv_project(tmp_path / "app", uv, index_env)
    target = victim(project / "envs" / "old")
    (project / ".venv").symlink_to("envs/old")
    before = snapshot(target)
    env = {**index_env, **isolated(tmp_path)}
    async with session([project], initialization_options={"trusted": True}, env=env) as helper:
        await helper.projects()
        python = str(Path(sys.executable).resolve())
        recreated = await request(
            helper, "lockstep/createEnvironment", {"root": str(project), "replace": True, "python": python}
        )
    assert recreated["status"] == "ok", recreated
    assert not (project / ".venv").is_symlink() and installed(project / ".venv") == LOCKED
    assert snapshot(target) == before
    assert [p.name for p in project.iterdir() if ".lockstep-" in p.name] == []


async def test_a_shipped_lockstep_old_venv_is_never_adopted_nor_deleted(
    session: Any, tmp_path: Path, uv: Path, index_env: dict[str, str]
) -> None:
    project = uv_project(tmp_path / "app", uv, index_env)
    ran = tmp_path / "the-pth-ran"
    shipped = make_uv_venv(project / ".venv.lockstep-old-1234")
    (site,) = shipped.glob("lib/python*/site-packages")
    (site / "evil.pth").write_text(f"import pathlib; pathlib.Path({str(ran)!r}).write_text('ran')\n")
    build = make_uv_venv(project / ".venv.lockstep-build-5678")
    # The bait works: the shipped venv's interpreter runs the .pth.
    subprocess.run([str(shipped / "bin" / "python"), "-c", "pass"], check=True)
    assert ran.read_text() == "ran"
    ran.unlink()
    shipped_before, build_before = snapshot(shipped), snapshot(build)

    env = {**index_env, **isolated(tmp_path)}
    async with session([project], initialization_options={"trusted": True}, env=env) as helper:
        (listed,) = await helper.projects()
        assert listed["venv"] is None
        created = await request(helper, "lockstep/createEnvironment", {"root": str(project)})

    assert created["status"] == "ok" and created["message"].startswith("Created .venv"), created
    venv = project / ".venv"
    assert installed(venv) == LOCKED
    assert not list(venv.glob("lib/python*/site-packages/evil.pth"))
    subprocess.run([str(venv / "bin" / "python"), "-c", "pass"], check=True)
    assert not ran.exists()
    # The repository's folders are the user's files: left exactly as they came.
    assert snapshot(shipped) == shipped_before and snapshot(build) == build_before
