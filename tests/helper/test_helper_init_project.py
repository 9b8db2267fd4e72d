"""`lockstep/initProject`: the Projects view's "Create pyproject.toml" button, end to end with the real
helper over stdio and the real uv (`uv init --bare --no-workspace`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helper.helper_support import Helper, plain, within

TRUSTED = {"trusted": True}


async def init(helper: Helper, folder: Path) -> dict[str, Any]:
    method = "lockstep/initProject"
    result = await within(helper.client.protocol.send_request_async(method, {"folder": str(folder)}), method)
    return dict(plain(result))


async def test_a_folder_without_a_project_gets_only_a_pyproject_and_the_project_appears(
    session: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "my tool"  # not a valid package name as it stands: uv alone would refuse it
    folder.mkdir()
    (folder / "tool.py").write_text("print('hi')\n")
    # A parent workspace uv would otherwise add the new project to: it must not be touched.
    workspace = '[project]\nname = "outer"\nversion = "1"\n\n[tool.uv.workspace]\nmembers = ["*"]\n'
    (tmp_path / "pyproject.toml").write_text(workspace)
    async with session([folder], initialization_options=TRUSTED) as helper:
        assert await helper.projects() == []
        answer = await init(helper, folder)
        assert answer == {"status": "ok", "message": "Created pyproject.toml for my-tool in my tool."}
        (project,) = await helper.projects()
    assert project["name"] == "my-tool"
    assert sorted(p.name for p in folder.iterdir()) == [
        "pyproject.toml",
        "tool.py",
    ]  # no README, main.py, .git
    text = (folder / "pyproject.toml").read_text()
    assert 'name = "my-tool"' in text
    assert 'requires-python = ">=3.' in text
    assert (tmp_path / "pyproject.toml").read_text() == workspace


async def test_init_is_refused_untrusted_outside_the_workspace_and_over_a_pyproject(
    session: Any, tmp_path: Path
) -> None:
    folder, elsewhere = tmp_path / "app", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    async with session([folder]) as helper:
        answer = await init(helper, folder)
        assert answer["status"] == "failed"
        assert "only in a trusted workspace" in answer["message"]
    assert list(folder.iterdir()) == []
    async with session([folder], initialization_options=TRUSTED) as helper:
        assert await init(helper, elsewhere) == {
            "status": "failed",
            "message": f"{elsewhere} is not a workspace folder.",
        }
        assert list(elsewhere.iterdir()) == []
        (folder / "pyproject.toml").write_text('[project]\nname = "app"\n')
        assert await init(helper, folder) == {
            "status": "failed",
            "message": "app already has a pyproject.toml.",
        }
    assert (folder / "pyproject.toml").read_text() == '[project]\nname = "app"\n'
