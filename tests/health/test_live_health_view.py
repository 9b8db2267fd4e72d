"""Dependency health in the Python Projects view, through the real helper process: the project's summary in
`lockstep/projectsChanged` once a check publishes, each requirement's health in `lockstep/projectDetails`
(its own package's advisories and yanks, those of what it brings in, the versions) from the answers already
fetched, the diagnostics settings applied as in the Problems panel, and "not checked (offline)" with the
network off, never a clean bill."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types

from health.health_support import ADVISORY
from helper.helper_support import Helper, helper_session, plain, within
from pyhelper.health.audit import check_health
from pyhelper.health.cache import HttpCache
from pyhelper.health.client import IndexClient
from pyhelper.health.locked import LockedProject, locked_project
from pyhelper.lockfiles import LockCache
from pyhelper.lsp.payloads import dependency_health
from support.index import Dist, PackageIndex

Summary = dict[str, Any]


async def _health_summary(helper: Helper, settled: Callable[[Summary], bool]) -> Summary:
    """The project's `health` in the newest project list the helper sent, once `settled` holds for it."""

    async def wait() -> Summary:
        while True:
            projects = helper.projects_changed[-1]["projects"] if helper.projects_changed else []
            health = projects[0].get("health") if projects else None
            if health is not None and settled(health):
                return dict(health)
            await helper.client.wait_for_notification("lockstep/projectsChanged")

    result: Summary = await within(wait(), "the project's health summary")
    return result


async def _rows(helper: Helper, root: Path) -> dict[str, Any]:
    method = "lockstep/projectDetails"
    details = plain(
        await within(helper.client.protocol.send_request_async(method, {"root": str(root)}), method)
    )
    return {d["name"]: d["health"] for group in details["groups"] for d in group["dependencies"]}


async def test_the_view_shows_each_requirement_s_health_from_the_last_check(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.add([Dist("web", "1.1")])
    health_index.advise("web", "1.0", ADVISORY)
    health_index.yank("parser", "1.0", "broken wheel")
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    async with helper_session([locked_app], initialization_options={"trusted": True}, env=env) as helper:
        summary = await _health_summary(helper, lambda health: health["checked"] == 3)
        assert {key: value for key, value in summary.items() if key != "revision"} == {
            "checked": 3,
            "vulnerable": 1,
            "yanked": 1,
            "outdated": 1,
            "unchecked": 0,
            "offline": False,
            "problem": None,
        }
        asked = len(health_index.requests)
        rows = await _rows(helper, locked_app)
        assert len(health_index.requests) == asked, "the view is shown from the answers already fetched"

        assert rows["web"] == {
            "level": "warning",
            "problems": [
                {
                    "name": "web",
                    "version": "1.0",
                    "through": [],
                    "advisories": [
                        {
                            "id": "PYSEC-2026-1",
                            "aliases": ["CVE-2026-0001", "GHSA-aaaa-bbbb-cccc"],
                            "summary": "Request smuggling in web's parser",
                            "fixedIn": ["1.1"],
                            "link": "https://osv.dev/vulnerability/PYSEC-2026-1",
                        }
                    ],
                    "yanked": False,
                    "yankReason": None,
                    "upgradeTo": "1.1",
                }
            ],
            "latest": "1.1",
            "versions": "1.0 locked · 1.1 latest",
            "outdated": True,
            "unchecked": None,
        }
        # parser comes in through tool: the problem is on tool's row, as the squiggle is on its requirement.
        tool = rows["tool"]
        assert [(p["name"], p["through"], p["yanked"], p["yankReason"]) for p in tool["problems"]] == [
            ("parser", ["tool", "parser"], True, "broken wheel")
        ]
        assert (tool["level"], tool["versions"], tool["outdated"]) == (
            "warning",
            "1.0 locked · latest",
            False,
        )

        # A code the settings turn off leaves the view as it leaves the Problems panel; the view is told.
        seen = len(helper.projects_changed)
        helper.notify(
            types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            types.DidChangeConfigurationParams(
                settings={"lockstep": {"diagnosticsSeverity": {"lock-vulnerable": "off"}}}
            ),
        )
        while len(helper.projects_changed) == seen:
            await within(helper.client.wait_for_notification("lockstep/projectsChanged"), "projectsChanged")
        rows = await _rows(helper, locked_app)
        assert (rows["web"]["level"], rows["web"]["problems"]) == (None, [])
        assert rows["tool"]["level"] == "warning"


async def test_network_off_is_not_checked_offline_in_the_summary_and_on_each_row(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    options = {"trusted": True, "healthNetwork": False}
    async with helper_session([locked_app], initialization_options=options, env=env) as helper:
        summary = await _health_summary(helper, lambda health: health["unchecked"] == 3)
        assert (summary["checked"], summary["vulnerable"], summary["offline"]) == (0, 0, True)
        rows = await _rows(helper, locked_app)
    for name in ("web", "tool"):
        assert rows[name]["problems"] == [] and rows[name]["versions"] is None
        assert rows[name]["unchecked"] == f"{health_index.url}/{name}/ — not cached, and network use is off"


def test_an_answer_about_a_version_no_longer_locked_is_left_out(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.advise("web", "1.0", ADVISORY)
    project = locked_project(locked_app / "pyproject.toml", LockCache())
    assert isinstance(project, LockedProject)
    with IndexClient() as client:
        result = check_health(project, client, HttpCache())
    levels = {finding.code: finding.severity for finding in result.findings}
    locked = {"web": ["1.0"], "tool": ["1.0"], "parser": ["1.0"]}
    found = dependency_health(result, "web", levels, lambda name: locked[name], True)
    assert found is not None and [p["name"] for p in found["problems"]] == ["web"]
    # The lock moved on to web 1.1 and the next check has not answered yet: nothing about 1.0 is shown.
    locked["web"] = ["1.1"]
    assert dependency_health(result, "web", levels, lambda name: locked[name], True) is None
