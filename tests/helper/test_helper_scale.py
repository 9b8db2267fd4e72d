"""The Python Projects view on a large workspace, through the real helper: how its payloads grow from
200 projects to 2,000 (uv projects, each with its uv.lock, copies of one that real uv locked against the
loopback index). Only ratios between the two sizes are asserted, with wide margins: never a time.

- The project list (a rescan, and the drift check that gives each project its sync state) grows with
  the projects, about linearly: ten times the projects within 30 times the time (measured: 13-17, the
  2,000 locks no longer fitting the lock cache's budget; a per-project cost that grew with the
  workspace, the quadratic case, would be 100 times).
- A project's children are asked only when it is expanded, and cost the same among 2,000 projects as
  among 200: within 4 times (ten times, were they to grow with the workspace).
- A change to one project's files (an operation on it, or what the editor's watcher reports) re-checks
  that project's drift, not every project's; Refresh re-checks them all.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from helper.helper_support import Helper, plain, within
from support.projects import copies_of, uv_project

SMALL, LARGE = 200, 2000
RUNS = 3
DETAILS_RUNS = 15


async def median_seconds(call: Callable[[], Awaitable[object]], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def measured(session: Any, workspace: Path, expanded: Path, count: int) -> tuple[float, float]:
    """Seconds (medians) for a refreshed project list and for `expanded`'s children."""
    async with session([workspace]) as helper:
        assert isinstance(helper, Helper)
        projects = await helper.projects()
        assert len(projects) == count and all("drift" in project for project in projects)

        async def children() -> object:
            method = "lockstep/projectDetails"
            answer = plain(
                await within(
                    helper.client.protocol.send_request_async(method, {"root": str(expanded)}), method
                )
            )
            assert answer["groups"][0]["dependencies"], answer
            return answer

        listed = await median_seconds(lambda: helper.projects(refresh=True), RUNS)
        details = await median_seconds(children, DETAILS_RUNS)
    return listed, details


async def test_the_project_list_grows_linearly_and_a_project_s_children_not_at_all(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    template = uv_project(tmp_path / "template", uv, index_env)
    sizes = {}
    for count in (SMALL, LARGE):
        workspace = tmp_path / f"{count}-projects"
        first, *_ = copies_of(template, workspace, count)
        sizes[count] = await measured(session, workspace, first, count)
    (small_list, small_details), (large_list, large_details) = sizes[SMALL], sizes[LARGE]
    assert large_list / small_list < 30, sizes
    assert large_details / small_details < 4, sizes


async def test_a_change_to_one_project_s_files_re_checks_that_project_only(
    session: Any, tmp_path: Path, index_env: dict[str, str], uv: Path
) -> None:
    roots = [uv_project(tmp_path / name, uv, index_env, ["alpha>=2"], name=name) for name in ("one", "two")]
    for root in roots:
        subprocess.run([str(uv), "sync", "--quiet"], cwd=root, env=index_env, check=True)

    def states(projects: list[dict[str, Any]]) -> dict[str, str]:
        return {project["name"]: project["drift"]["state"] for project in projects}

    async with session([tmp_path], env=index_env) as helper:
        assert states(await helper.projects()) == {"one": "in-sync", "two": "in-sync"}
        # Both venvs lose alpha's dependency behind the helper's back; the editor reports one lock only.
        for root in roots:
            env = {**index_env, "VIRTUAL_ENV": str(root / ".venv"), "PATH": os.environ["PATH"]}
            subprocess.run([str(uv), "pip", "uninstall", "--quiet", "beta"], cwd=root, env=env, check=True)
        changed = await helper.next_projects_changed(lambda: helper.watched_change(roots[0] / "uv.lock"))
        assert states(changed) == {"one": "env-out-of-sync", "two": "in-sync"}
        assert states(await helper.projects(refresh=True)) == {
            "one": "env-out-of-sync",
            "two": "env-out-of-sync",
        }
