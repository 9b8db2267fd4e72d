"""The Python Projects view on a large workspace, through the real helper: how its payloads grow from
200 projects to 2,000 (uv projects, each with its uv.lock, copies of one that real uv locked against the
loopback index). Only ratios between the two sizes are asserted, with wide margins: never a time.

- The project list (a rescan, and the drift check that gives each project its sync state) grows with
  the projects, about linearly: ten times the projects within 30 times the time (measured: 13-17, the
  2,000 locks no longer fitting the lock cache's budget; a per-project cost that grew with the
  workspace, the quadratic case, would be 100 times).
- A project's children are asked only when it is expanded, and cost the same among 2,000 projects as
  among 200: within 4 times (ten times, were they to grow with the workspace).
"""

from __future__ import annotations

import statistics
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
