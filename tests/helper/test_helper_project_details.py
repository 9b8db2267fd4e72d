"""`lockstep/projectDetails`, end to end: the real helper over stdio on projects locked and synced by
real uv against the loopback index, and a Poetry project with its lock as Poetry writes it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from lsprotocol import types

from helper.helper_support import Helper, plain, within
from support.index import PackageIndex
from support.projects import poetry_project, uv_project


async def details(helper: Helper, root: str) -> Any:
    method = "lockstep/projectDetails"
    return plain(await within(helper.client.protocol.send_request_async(method, {"root": root}), method))


def rows(answer: dict[str, Any]) -> dict[str, dict[str, tuple[Any, ...]]]:
    return {
        f"{group['kind']} {group['name'] or ''}".strip(): {
            d["name"]: (d["requirement"], d["locked"], d["installed"], d["code"])
            for d in group["dependencies"]
        }
        for group in answer["groups"]
    }


async def test_a_synced_uv_project_lists_locked_and_installed_versions_and_follows_the_venv(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    root = uv_project(tmp_path / "app", uv, index_env, ["alpha>=2"], dev=["gamma"])
    subprocess.run([str(uv), "sync", "--quiet"], cwd=root, env=index_env, check=True)

    async with session([tmp_path], env=index_env) as helper:
        (project,) = await helper.projects()
        answer = await details(helper, project["root"])
        assert rows(answer) == {
            "main": {"alpha": ("alpha>=2", "2.0", "2.0", None)},
            "group dev": {"gamma": ("gamma", "0.1", "0.1", None)},
        }
        assert answer["environment"]["packages"] == 3  # alpha, beta (alpha's) and gamma
        assert answer["lockfile"] == {"path": str(root / "uv.lock"), "selected": 3}
        before = project["drift"]["revision"]

        # An install from outside: the revision moves with it, and so does the row.
        env = {**index_env, "VIRTUAL_ENV": str(root / ".venv")}

        def install() -> None:
            run = [str(uv), "pip", "install", "--quiet", "alpha==1.0"]
            subprocess.run(run, cwd=root, env=env, check=True)
            # What the editor's file watcher reports for it.
            helper.watched_change(*(root / ".venv").glob("lib/python*/site-packages/alpha-1.0.dist-info"))

        changed = await helper.next_projects_changed(install)
        assert changed[0]["drift"]["revision"] != before
        alpha = rows(await details(helper, project["root"]))["main"]["alpha"]
        assert alpha == ("alpha>=2", "2.0", "1.0", "venv-version-mismatch")


async def test_a_poetry_project_lists_its_groups_without_an_environment(
    session: Any, tmp_path: Path, package_index: PackageIndex
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index)

    async with session([tmp_path]) as helper:
        (project,) = await helper.projects()
        answer = await details(helper, project["root"])
    assert rows(answer) == {
        "main": {
            "alpha": ("alpha>=2", "2.0", None, None),
            "epsilon": ("epsilon>=1; python_version >= '3.99'", "1.0", None, None),
        },
        "group dev": {"gamma": ('gamma = "*"', "0.1", None, None)},
        "group docs": {"delta": ('delta = "*"', "1.0", None, None)},
    }
    assert answer["environment"] is None
    assert answer["lockfile"] == {"path": str(root / "poetry.lock"), "selected": None}


async def test_an_unknown_root_has_no_details(session: Any, tmp_path: Path) -> None:
    async with session([tmp_path]) as helper:
        assert await details(helper, str(tmp_path / "nowhere")) is None


def site_packages_watches(helper: Helper) -> dict[str, list[Any]]:
    """The helper's live registrations of watchers anchored at venvs: id -> their glob patterns."""
    return {
        r.id: [w["globPattern"] for w in plain(r.register_options)["watchers"]]
        for r in helper.registrations
        if r.id.startswith("lockstep-venv-site-packages") and r.id not in helper.unregistered
    }


async def test_each_venvs_own_site_packages_is_watched_even_outside_the_workspace(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    # The editor's workspace watcher never sees a venv outside the workspace, and can go on naming a
    # venv renamed into place by its build folder's old name: the helper asks for a watcher based at
    # each venv's own site-packages, and asks again when the venv is replaced.
    venv = tmp_path / "envs" / "app"
    env = {**index_env, "UV_PROJECT_ENVIRONMENT": str(venv)}
    root = uv_project(tmp_path / "ws" / "app", uv, env, ["alpha>=2"])
    subprocess.run([str(uv), "sync", "--quiet"], cwd=root, env=env, check=True)
    (site,) = venv.glob("lib/python*/site-packages")

    async with session([tmp_path / "ws"], env=env) as helper:
        (project,) = await helper.projects()
        expected = [{"baseUri": site.as_uri(), "pattern": "*.dist-info"}]
        await helper.registered(lambda h: list(site_packages_watches(h).values()) == [expected], "the watch")
        (first,) = site_packages_watches(helper)
        before = project["drift"]["revision"]

        # What that watcher reports for an install from a terminal: its base and the name it saw.
        def install() -> None:
            run = [
                str(uv),
                "pip",
                "install",
                "--quiet",
                "alpha==1.0",
                "--python",
                str(venv / "bin" / "python"),
            ]
            subprocess.run(run, env=env, check=True)
            helper.watched_change(site / "alpha-1.0.dist-info", kind=types.FileChangeType.Created)

        changed = await helper.next_projects_changed(install)
        assert changed[0]["drift"]["revision"] != before
        alpha = rows(await details(helper, project["root"]))["main"]["alpha"]
        assert alpha == ("alpha>=2", "2.0", "1.0", "venv-version-mismatch")

        # The venv replaced by another renamed into place: the same path is a new folder to watch.
        fresh = tmp_path / "envs" / "app.new"
        subprocess.run(
            [str(uv), "venv", "--quiet", "--python", str(venv / "bin" / "python"), str(fresh)],
            env=env,
            check=True,
        )
        shutil.rmtree(venv)
        fresh.rename(venv)
        helper.watched_change(venv / "pyvenv.cfg", kind=types.FileChangeType.Created)
        await helper.registered(
            lambda h: first in h.unregistered and list(site_packages_watches(h).values()) == [expected],
            "the new venv's watch to replace the old one's",
        )
