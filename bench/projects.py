"""The Python Projects view's payloads on a workspace of 2,000 projects, against one of 200, through a
real helper over stdio.

Each project is a uv project (pyproject.toml and a uv.lock of ~20 packages, no venv: copies, under their
own names, of one that uv locked against a loopback index). Measured, per workspace size, as medians of
fresh helpers:

  - the project list: from `initialized` to the answer of `lockstep/projects` (the first scan, and the
    drift check that gives each project its sync state);
  - a rescan (`lockstep/projects` with `refresh`: what Refresh does, and what follows every environment
    operation, on one project or not): the scan and every project's drift check again;
  - one project's children, asked only when it is expanded: `lockstep/projectDetails`;
  - the helper's RSS after the rescan.

Targets on growth, not on time: the list and the rescan of 2,000 within 1.3x of ten times those of 200
(linear), a project's children within 1.3x of the same request on the 200 (they do not depend on the
others), the helper under 100 MB. The quick size compares 20 with 200.

The parsed locks are cached up to a bound on their keys and values (`LockCache.MAX_CACHED_VALUES`,
~10 MB): all 200 locks fit, a fifth of the 2,000 do, so the rescan of 2,000 parses them again (the
cache's least recently used go first, which under a rescan is every one). Five times the bound makes
that rescan 0.9x of ten times the 200's, and the helper 102 MB instead of 71 MB.

    .dev/venv/bin/python bench/projects.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import Benchmark, Row, Size, Target, rss_mb, samples_ms, standalone, uv_binary
from lspclient import Client

NAME = "projects"
GROWTH = 10
DETAILS_RUNS = 21
"""`lockstep/projectDetails` requests per helper (a few ms each): their median is that helper's figure."""


MEASURES = ("list", "rescan", "details", "rss")


def timed_session(workspace: Path, expanded: str) -> dict[str, float]:
    """Seconds, by measure: from `initialized` to the project list; a rescan (`refresh`); the median
    `projectDetails` of `expanded`; and the helper's RSS in MB after them."""
    client = Client([sys.executable, "-m", "pyhelper", "serve"], cwd=workspace)
    client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": workspace.as_uri(),
            "workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}],
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}},
        },
    )
    start = time.perf_counter()
    client.notify("initialized", {})
    projects = client.request("lockstep/projects", {})["projects"]
    listed = time.perf_counter() - start
    assert all("drift" in project for project in projects), "every project has its sync state"
    start = time.perf_counter()
    client.request("lockstep/projects", {"refresh": True})
    rescanned = time.perf_counter() - start
    details = []
    for _ in range(DETAILS_RUNS):
        start = time.perf_counter()
        answer = client.request("lockstep/projectDetails", {"root": expanded})
        details.append(time.perf_counter() - start)
        assert answer["groups"][0]["dependencies"], answer
    rss = rss_mb(client.process.pid)
    client.close()
    return dict(zip(MEASURES, (listed, rescanned, statistics.median(details), rss), strict=True))


def run(size: Size) -> Benchmark:
    from support.index import PackageIndex, generated_catalogue
    from support.projects import copies_of, uv_project

    small = 20 if size.quick else 200
    large = small * GROWTH
    repeats = size.pick(full=5, quick=1)
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-projects-") as scratch_name:
        scratch = Path(scratch_name)
        index = PackageIndex(scratch / "index")
        index.add(generated_catalogue(20))
        with index.start():
            env = index.environ(scratch / "uv-cache")
            template = uv_project(scratch / "template", uv_binary(), env, ["pkg-000>=1", "pkg-010>=1"])
        workspaces = {count: scratch / f"{count}-projects" for count in (small, large)}
        expanded = {count: str(copies_of(template, folder, count)[0]) for count, folder in workspaces.items()}
        times: dict[str, list[float]] = {
            f"{measure} {count}": [] for measure in MEASURES for count in workspaces
        }
        for round_ in range(size.warmup + repeats):
            for count, folder in workspaces.items():
                measured = timed_session(folder, expanded[count])
                for measure, seconds in measured.items():
                    if round_ >= size.warmup:
                        times[f"{measure} {count}"].append(seconds)
    # Seconds to ms; the RSS is in MB already.
    medians = {
        name: statistics.median(runs) * (1 if name.startswith("rss") else 1000)
        for name, runs in times.items()
    }
    return Benchmark(
        name=NAME,
        description=f"the Projects view's payloads for {large:,} projects vs {small:,}",
        parameters={
            "projects": large,
            "compared_with": small,
            "repeats": repeats,
            "details_runs": DETAILS_RUNS,
        },
        rows=[
            Row(
                f"project list, {large:,} projects (scan and sync states)",
                "initialized → lockstep/projects",
                medians[f"list {large}"],
                reference=f"{GROWTH} × the list of {small:,}",
                reference_value=GROWTH * medians[f"list {small}"],
                target=Target(1.3),
            ),
            Row(
                f"rescan (Refresh, and after each environment operation), {large:,} projects",
                "lockstep/projects, refresh",
                medians[f"rescan {large}"],
                reference=f"{GROWTH} × the rescan of {small:,}",
                reference_value=GROWTH * medians[f"rescan {small}"],
                target=Target(1.3),
            ),
            Row(
                f"one project's children, {large:,} projects",
                "lockstep/projectDetails",
                medians[f"details {large}"],
                reference=f"the same among {small:,}",
                reference_value=medians[f"details {small}"],
                target=Target(1.3),
            ),
            Row(
                f"helper RSS after the rescan, {large:,} projects",
                "pyhelper serve",
                medians[f"rss {large}"],
                unit="MB",
                reference=f"the same with {small:,}",
                reference_value=medians[f"rss {small}"],
                target=Target(100, on="value", strict=True),
            ),
        ],
        details={"samples_ms": samples_ms(times)},
    )


if __name__ == "__main__":
    standalone(run)
