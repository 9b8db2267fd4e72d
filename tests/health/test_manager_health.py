"""Dependency health of Poetry and PDM projects, each locked by the real tool (`.dev/tools`) against the
loopback index: findings on the poetry.lock / pdm.lock entry and on the pyproject requirement that brings
the package in (directly or through a chain), and the "Upgrade to X" quick fix through the real helper,
which runs the manager's own targeted upgrade (`poetry update NAME`, `pdm update NAME`) and then the
sync the editor runs after it, until the squiggles are gone."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from health.health_support import ADVISORY, audit, line_of
from helper.helper_support import code_actions, fixes, helper_session, plain, within
from pyhelper.lsp.protocol import CHANGE_DEPENDENCY, CREATE_ENVIRONMENT, SYNC_ENVIRONMENT
from support.index import Dist, PackageIndex
from support.projects import installed
from support.tools import manager_environ, tool_path

LOCKS = {"poetry": "poetry.lock", "pdm": "pdm.lock"}
SOURCES = {
    "poetry": '[tool.poetry]\npackage-mode = false\n\n[[tool.poetry.source]]\nname = "local"\nurl = "{url}"\npriority = "primary"\n',
    "pdm": '[tool.pdm]\ndistribution = false\n\n[[tool.pdm.source]]\nname = "pypi"\nurl = "{url}"\n',
}


@pytest.fixture(params=["poetry", "pdm"])
def managed_app(
    request: pytest.FixtureRequest, tmp_path: Path, health_index: PackageIndex, uv_cache: Path
) -> tuple[str, Path, dict[str, str]]:
    """`app` (web>=1, tool → parser) locked by the real Poetry or PDM: web 1.0, tool 1.0, parser 1.0."""
    tool: str = request.param
    # The tools cache index pages as told: with max-age 0 they see the versions a test publishes later.
    health_index.max_age = 0
    env = manager_environ(health_index.environ(uv_cache), tmp_path / "tool-home")
    root = tmp_path / "app"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["web>=1", "tool"]\n\n' + SOURCES[tool].format(url=health_index.url)
    )
    done = subprocess.run(
        [str(tool_path(tool)), "lock"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return tool, root, env


def publish_fixes(health_index: PackageIndex) -> None:
    """web 1.0 vulnerable (fixed in 1.1), parser 1.0 yanked; 1.1 of each published."""
    health_index.add([Dist("web", "1.1"), Dist("parser", "1.1")])
    health_index.advise("web", "1.0", ADVISORY)
    health_index.yank("parser", "1.0", "broken metadata")


def test_findings_on_the_lock_entry_and_the_requirement_that_brings_it_in(
    managed_app: tuple[str, Path, dict[str, str]], health_index: PackageIndex, health_cache: Path
) -> None:
    tool, root, _ = managed_app
    publish_fixes(health_index)
    status, output = audit(root)
    assert status == 1, output
    report = json.loads(output)
    found = {(d["file"], d["code"], d["range"]["start"]["line"]): d["message"] for d in report["diagnostics"]}
    lock, pyproject = root / LOCKS[tool], root / "pyproject.toml"
    assert set(found) == {
        (lock.name, "lock-vulnerable", line_of(lock, 'name = "web"')),
        ("pyproject.toml", "lock-vulnerable", line_of(pyproject, 'dependencies = ["web>=1", "tool"]')),
        (lock.name, "lock-yanked", line_of(lock, 'name = "parser"')),
        ("pyproject.toml", "lock-yanked", line_of(pyproject, 'dependencies = ["web>=1", "tool"]')),
    }
    assert found[lock.name, "lock-vulnerable", line_of(lock, 'name = "web"')].startswith(
        "web 1.0 has a known vulnerability: PYSEC-2026-1"
    )
    through = found["pyproject.toml", "lock-yanked", line_of(pyproject, 'dependencies = ["web>=1", "tool"]')]
    assert through.startswith("tool brings in parser (through tool → parser): parser 1.0 is yanked")
    assert report["notChecked"] == []


async def request(helper: Any, method: str, params: dict[str, Any]) -> Any:
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


async def test_the_upgrade_quick_fix_runs_the_manager_s_update_then_the_sync_clears_it(
    managed_app: tuple[str, Path, dict[str, str]], health_index: PackageIndex, pythons: dict[str, Path]
) -> None:
    tool, root, env = managed_app
    lock = root / LOCKS[tool]
    python = str(pythons["3.12"])
    publish_fixes(health_index)
    async with helper_session([root], initialization_options={"trusted": True}, env=env) as helper:
        created = await request(
            helper, CREATE_ENVIRONMENT, {"root": str(root), "python": python, "replace": True}
        )
        assert created["status"] == "ok", created
        assert {installed(root / ".venv")[name] for name in ("web", "parser")} == {"1.0"}
        found = await helper.diagnostics_for(
            lock, lambda found: {"lock-vulnerable", "lock-yanked"} <= {d.code for d in found}
        )
        upgrades = []
        for code in ("lock-vulnerable", "lock-yanked"):
            (diagnostic,) = [d for d in found if d.code == code]
            (upgrade,) = [
                fix for fix in fixes(await code_actions(helper, lock, [diagnostic])) if "Upgrade" in fix[0]
            ]
            upgrades.append(upgrade)
        # web is required directly and web>=1 allows 1.1; parser comes through tool: both the manager's
        # targeted update (no version: `update NAME`), the requirement left as written.
        assert [(title, command, arguments[1:]) for title, command, arguments in upgrades] == [
            ("Upgrade web to 1.1", "lockstep.upgradeLockedPackage", ["web", None]),
            ("Upgrade parser to the newest allowed", "lockstep.upgradeLockedPackage", ["parser", None]),
        ]
        before = (root / "pyproject.toml").read_text()
        for _, _, (project, name, version) in upgrades:
            # What the editor command sends, then its sync.
            answer = await request(
                helper,
                CHANGE_DEPENDENCY,
                {"root": project, "change": "upgrade", "package": name, "version": version, "python": python},
            )
            assert answer["status"] == "ok", answer
        synced = await request(helper, SYNC_ENVIRONMENT, {"root": str(root), "python": python})
        assert synced["status"] == "ok", synced
        helper.watched_change(lock)
        await helper.diagnostics_for(
            lock, lambda found: not {"lock-vulnerable", "lock-yanked"} & {d.code for d in found}
        )
    assert (root / "pyproject.toml").read_text() == before
    assert {installed(root / ".venv")[name] for name in ("web", "parser")} == {"1.1"}
