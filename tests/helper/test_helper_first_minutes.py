"""A user's first minutes, through the real helper over stdio with real uv and the loopback index: a new
uv project without a lock, Update Lockfile with the interpreter the user selected, and a pyproject.toml
broken by a typo (state, nothing offered, recovery)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helper.helper_support import Helper, plain, within
from support.projects import installed, toml_list

TRUSTED = {"trusted": True}
PYPROJECT = (
    '[project]\nname = "fresh"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
    "dependencies = {dependencies}\n\n[tool.uv]\n"
)


async def request(helper: Helper, method: str, params: dict[str, Any]) -> Any:
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


def new_project(root: Path) -> Path:
    """As `uv init` leaves it (no uv.lock), needing a Python newer than PATH's 3.11."""
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(dependencies=toml_list(["alpha>=2", "gamma"])))
    return root


async def test_create_on_a_new_uv_project_locks_then_syncs(
    session: Any, tmp_path: Path, index_env: dict[str, str]
) -> None:
    root = new_project(tmp_path / "fresh")
    async with session([root], initialization_options=TRUSTED, env=index_env) as helper:
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(root)})
        assert plan["lock"] == "will-lock" and plan["packages"] is None
        assert plan["python"]["version"].startswith(("3.12.", "3.13."))
        drift = (await helper.projects())[0].get("drift")
        assert drift is None or drift["state"] != "lock-out-of-sync"

        created = await request(helper, "lockstep/createEnvironment", {"root": str(root)})
        assert created["status"] == "ok", created
        assert created["message"].startswith("Locked 3 packages in uv.lock. Created .venv with Python 3.1")
        assert created["venv"]["version"] == plan["python"]["version"]
        assert installed(root / ".venv") == {"alpha": "2.0", "beta": "1.1", "gamma": "0.1"}
        project = (await helper.projects(refresh=True))[0]
        assert project["lockfile"] == str(root / "uv.lock")


async def test_update_lock_uses_the_selected_interpreter(
    session: Any, tmp_path: Path, index_env: dict[str, str], pythons: dict[str, Path]
) -> None:
    root = new_project(tmp_path / "fresh")
    async with session([root], initialization_options=TRUSTED, env=index_env) as helper:
        await helper.projects()
        # Selected 3.11 (what PATH has): uv is told to use it, and says it does not fit.
        refused = await request(
            helper, "lockstep/updateLock", {"root": str(root), "python": str(pythons["3.11"])}
        )
        assert refused["status"] == "failed" and "3.11" in refused["message"], refused
        assert not (root / "uv.lock").exists()
        updated = await request(
            helper, "lockstep/updateLock", {"root": str(root), "python": str(pythons["3.12"])}
        )
        assert updated == {"status": "ok", "message": "Updated uv.lock."}
        assert (root / "uv.lock").is_file()


async def wait_for_project(helper: Helper, check: Any, what: str) -> dict[str, Any]:
    async def settled() -> dict[str, Any]:
        while True:
            project = (await helper.projects())[0]
            if check(project):
                return dict(project)
            await helper.client.wait_for_notification("lockstep/projectsChanged")

    result: dict[str, Any] = await within(settled(), what)
    return result


async def test_a_broken_pyproject_keeps_the_project_and_offers_nothing_until_fixed(
    session: Any, tmp_path: Path, index_env: dict[str, str]
) -> None:
    root = new_project(tmp_path / "fresh")
    pyproject = root / "pyproject.toml"
    good = pyproject.read_text()
    async with session([root], initialization_options=TRUSTED, env=index_env) as helper:
        before = await wait_for_project(helper, lambda p: p.get("drift"), "the first check")
        assert (before["name"], before["manager"], before["pyprojectError"]) == ("fresh", "uv", None)
        assert before["drift"]["state"] == "unlocked"

        pyproject.write_text(good.replace('"alpha>=2",', '"alpha>=2"'))  # the missing comma
        helper.watched_change(pyproject)
        broken = await wait_for_project(helper, lambda p: p["pyprojectError"], "the broken file")
        assert broken["pyprojectError"] == (
            "pyproject.toml is not valid TOML (line 5): missing comma between array elements"
        )
        assert (broken["name"], broken["manager"], broken["requiresPython"]) == ("fresh", "uv", ">=3.12")
        broken = await wait_for_project(
            helper, lambda p: p["drift"]["state"] == "pyproject-invalid", "the invalid state"
        )
        assert broken["drift"]["problem"] == broken["pyprojectError"]
        assert await request(helper, "lockstep/planEnvironment", {"root": str(root)}) is None
        for method in ("lockstep/createEnvironment", "lockstep/syncEnvironment", "lockstep/updateLock"):
            answer = await request(helper, method, {"root": str(root)})
            assert answer["status"] == "failed" and "not valid TOML (line 5)" in answer["message"], method
        assert sorted(path.name for path in root.iterdir()) == ["pyproject.toml"]

        pyproject.write_text(good)
        helper.watched_change(pyproject)
        fixed = await wait_for_project(
            helper, lambda p: p["pyprojectError"] is None and p["drift"]["state"] == "unlocked", "recovery"
        )
        assert fixed["drift"]["problem"] is None
        plan = await request(helper, "lockstep/planEnvironment", {"root": str(root)})
        assert plan["lock"] == "will-lock"
