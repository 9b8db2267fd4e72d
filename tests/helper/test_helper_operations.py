"""The interpreter and environment requests, end to end: the real helper over stdio, real uv, real venvs,
packages from the loopback index (tests/support/index.py)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from helper.helper_support import Helper, plain, within
from pyhelper.lockfiles import count_locked_packages
from support.index import PackageIndex
from support.projects import installed, uv_project

TRUSTED = {"trusted": True}
LOCKED = {"alpha": "2.0", "beta": "1.1", "gamma": "0.1", "delta": "1.0"}


async def request(helper: Helper, method: str, params: dict[str, Any]) -> Any:
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


def progress_token(helper: Helper) -> str:
    token = str(uuid.uuid4())
    # The token comes with the request (client-initiated progress), as vscode-languageclient sends it.
    helper.client.progress_reports[token] = []
    return token


@pytest.fixture
def project(tmp_path: Path, index_env: dict[str, str], uv: Path) -> Path:
    """A uv project locked by real uv against the loopback index."""
    return uv_project(tmp_path / "app", uv, index_env)


async def test_interpreters_are_listed_with_the_choice_for_the_project(
    session: Any, tmp_path: Path, pythons: dict[str, Path]
) -> None:
    async with session([tmp_path]) as helper:
        result = await request(helper, "lockstep/interpreters", {"requiresPython": ">=3.12"})
    paths = {i["path"]: i for i in result["interpreters"]}
    assert str(pythons["3.12"]) in paths or any(i["version"].startswith("3.12.") for i in paths.values())
    choice = result["choice"]
    chosen = paths[choice["chosen"]]
    assert tuple(int(part) for part in chosen["version"].split(".")[:2]) >= (3, 12)
    not_fitting = [c for c in choice["candidates"] if not c["fits"]]
    eleven = [c for c in not_fitting if paths[c["path"]]["version"].startswith("3.11.")]
    assert eleven and ">=3.12" in eleven[0]["reason"]


async def test_plan_then_create_installs_the_locked_packages_with_progress(
    session: Any, project: Path, index_env: dict[str, str]
) -> None:
    async with session([project], initialization_options=TRUSTED, env=index_env) as helper:
        root = (await helper.projects())[0]["root"]
        plan = await request(helper, "lockstep/planEnvironment", {"root": root})
        assert plan["venvPath"] == str(project / ".venv")
        assert plan["python"] is not None and plan["pythonRequest"] is None
        assert plan["packages"] == count_locked_packages(project / "uv.lock") == len(LOCKED)

        token = progress_token(helper)
        pushed_before = len(helper.projects_changed)
        created = await request(helper, "lockstep/createEnvironment", {"root": root, "workDoneToken": token})
        assert created["status"] == "ok", created
        assert created["venv"]["path"] == str(project / ".venv")
        assert created["venv"]["version"] == plan["python"]["version"]
        assert installed(project / ".venv") == LOCKED
        reports = helper.client.progress_reports[token]
        assert isinstance(reports[0], types.WorkDoneProgressBegin)
        assert isinstance(reports[-1], types.WorkDoneProgressEnd)

        # The project list catches up with the new venv without any file event from the editor, in
        # one push (the editor asks for nothing after an operation). Check Drift rescans behind the
        # rescan the create started, so every push that create caused has arrived by its answer.
        await request(helper, "lockstep/checkDrift", {})
        pushed = helper.projects_changed[pushed_before:]
        assert [[p["venv"] and p["venv"]["path"] for p in push["projects"]] for push in pushed] == [
            [str(project / ".venv")]
        ]
        assert pushed[0]["projects"][0]["drift"]["state"] == "in-sync"


async def test_untrusted_workspace_runs_nothing(
    session: Any, project: Path, index_env: dict[str, str]
) -> None:
    async with session([project], env=index_env) as helper:
        root = (await helper.projects())[0]["root"]
        for method in ("lockstep/createEnvironment", "lockstep/syncEnvironment"):
            answer = await request(helper, method, {"root": root})
            assert answer["status"] == "failed"
            assert "trusted workspace" in answer["message"]
        deleted = await request(helper, "lockstep/deleteEnvironment", {"root": root, "confirmed": True})
        assert deleted["status"] == "failed"
    assert not (project / ".venv").exists()


async def test_cancelling_a_create_leaves_no_venv(
    session: Any, project: Path, index_env: dict[str, str], package_index: PackageIndex
) -> None:
    wheel = package_index.wheel("alpha", "2.0").name
    async with session([project], initialization_options=TRUSTED, env=index_env) as helper:
        root = (await helper.projects())[0]["root"]
        with package_index.hold(wheel):
            msg_id = str(uuid.uuid4())
            pending = helper.client.protocol.send_request(
                "lockstep/createEnvironment",
                {"root": root, "workDoneToken": progress_token(helper)},
                msg_id=msg_id,
            )
            await asyncio.to_thread(package_index.wait_for_request, wheel)
            helper.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
            with pytest.raises(JsonRpcRequestCancelled):
                await within(asyncio.wrap_future(pending), "the cancelled create")
        # The engine finished cleaning up before the cancellation was answered.
        assert not (project / ".venv").exists()
        assert [p.name for p in project.iterdir() if ".lockstep-" in p.name] == []


def requiring_python(root: Path, requires: str) -> Path:
    """A project with no dependencies whose requires-python no installed interpreter satisfies."""
    root.mkdir()
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "{root.name}"\nversion = "0"\nrequires-python = "{requires}"\n'
    )
    return root


async def test_a_project_no_installed_python_fits_asks_for_a_download(
    session: Any, tmp_path: Path, index_env: dict[str, str]
) -> None:
    root = requiring_python(tmp_path / "future", "==3.99.*")
    async with session([root], initialization_options=TRUSTED, env=index_env) as helper:
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(root)})
        assert plan["python"] is None and plan["pythonRequest"] == "Python 3.99"
        assert plan["download"] is None, "the catalogue has no 3.99 to offer"
        answer = await request(helper, "lockstep/createEnvironment", {"root": str(root)})
    assert answer["status"] == "needs-python"
    assert answer["pythonRequest"] == "Python 3.99"
    assert "3.99" in answer["message"]
    assert not (root / ".venv").exists()


async def test_a_download_is_offered_concretely_and_a_failed_one_names_the_settings(
    session: Any, tmp_path: Path, index_env: dict[str, str]
) -> None:
    root = requiring_python(tmp_path / "next", "==3.14.*")
    # Nothing listens on port 9: the size is unknown and the download fails at once.
    mirror = "http://127.0.0.1:9/mirror"
    options = {**TRUSTED, "pythonInstallDir": str(tmp_path / "pythons"), "pythonInstallMirror": mirror}
    env = {**index_env, "UV_PYTHON_INSTALL_DIR": str(tmp_path / "uv-pythons")}
    async with session([root], initialization_options=options, env=env) as helper:
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(root)})
        asked = await request(helper, "lockstep/createEnvironment", {"root": str(root)})
        failed = await request(
            helper, "lockstep/createEnvironment", {"root": str(root), "allowDownload": True}
        )
        logs = list(helper.client.log_messages)
    download = plan["download"]
    assert plan["python"] is None and download is not None
    assert download["version"].startswith("3.14.") and download["label"] == f"Python {download['version']}"
    assert download["url"].startswith(mirror + "/") and download["size"] is None
    assert asked["status"] == "needs-python" and asked["download"] == download
    assert failed["status"] == "failed"
    assert f"Could not install {download['label']}: " in failed["message"]
    assert "lockstep.python.installMirror" in failed["message"]
    assert "lockstep.python.downloadsJson" in failed["message"]
    errors = [log.message for log in logs if log.type == types.MessageType.Error]
    assert any(download["url"] in message for message in errors), errors
    assert not (root / ".venv").exists()


async def test_delete_needs_confirmation(session: Any, project: Path, index_env: dict[str, str]) -> None:
    async with session([project], initialization_options=TRUSTED, env=index_env) as helper:
        root = (await helper.projects())[0]["root"]
        assert (await request(helper, "lockstep/createEnvironment", {"root": root}))["status"] == "ok"
        refused = await request(helper, "lockstep/deleteEnvironment", {"root": root})
        assert refused["status"] == "failed" and (project / ".venv").is_dir()
        deleted = await request(helper, "lockstep/deleteEnvironment", {"root": root, "confirmed": True})
        assert deleted["status"] == "ok", deleted
    assert not (project / ".venv").exists()


async def test_the_groups_chosen_are_what_sync_installs_and_what_drift_expects(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    # dev is uv's default group: chosen away, its epsilon is extraneous until a sync removes it, and
    # missing again once the defaults come back.
    project = uv_project(tmp_path / "app", uv, index_env, ("alpha>=2",), dev=("epsilon",))
    async with session([project], initialization_options=TRUSTED, env=index_env) as helper:
        root = (await helper.projects())[0]["root"]
        assert (await request(helper, "lockstep/createEnvironment", {"root": root}))["status"] == "ok"
        assert "epsilon" in installed(project / ".venv")

        without_dev = {"choices": [{"root": root, "groups": [], "extras": []}]}
        answer = await request(helper, "lockstep/syncChoices", without_dev)
        assert answer["projects"][0]["drift"]["state"] == "env-out-of-sync"
        assert answer["projects"][0]["drift"]["extraneous"] == 1
        assert (await request(helper, "lockstep/syncEnvironment", {"root": root}))["status"] == "ok"
        assert installed(project / ".venv") == {"alpha": "2.0", "beta": "1.1"}
        checked = await request(helper, "lockstep/checkDrift", {})
        assert checked["projects"][0]["drift"]["state"] == "in-sync"

        defaults = await request(helper, "lockstep/syncChoices", {"choices": []})
        assert defaults["projects"][0]["drift"]["state"] == "env-out-of-sync"
        assert defaults["projects"][0]["drift"]["missing"] == 1
