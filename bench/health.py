"""Dependency health of a 400-package uv.lock against a loopback index: cold (empty cache: every simple
page and release JSON asked, 16 at a time) and cached (fresh answers, no request), in the helper's own
call (`check_health`) and through `pyhelper audit`. The quick size locks 40 packages.

    .dev/venv/bin/python bench/health.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import Benchmark, Row, Size, interleave, median_ms, run_quiet, samples_ms, standalone, uv_binary

NAME = "health"


def run(size: Size) -> Benchmark:
    from pyhelper.health.audit import check_health
    from pyhelper.health.cache import HttpCache
    from pyhelper.health.client import IndexClient
    from pyhelper.health.locked import LockedProject, locked_project
    from pyhelper.lockfiles import LockCache
    from support.index import PackageIndex, generated_catalogue

    count = 40 if size.quick else 400
    repeats = size.pick(full=5, quick=1)
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-health-") as scratch:
        work = Path(scratch)
        index = PackageIndex(work / "index")
        index.add(generated_catalogue(count))
        with index.start():
            project = work / "app"
            project.mkdir()
            roots = ", ".join(f'"pkg-{i:03d}"' for i in range(0, count, 10))
            (project / "pyproject.toml").write_text(
                f'[project]\nname = "app"\nversion = "0"\nrequires-python = ">=3.10"\n'
                f"dependencies = [{roots}]\n"
                f'\n[[tool.uv.index]]\nname = "loopback"\nurl = "{index.url}"\ndefault = true\n'
            )
            env = index.environ(work / "uv-cache")
            subprocess.run([str(uv_binary()), "lock", "--quiet"], cwd=project, env=env, check=True)
            locked = locked_project(project / "pyproject.toml", LockCache())
            assert isinstance(locked, LockedProject)
            cache_dir = work / "health-cache"
            client = IndexClient()

            def cold() -> None:
                result = check_health(locked, client, HttpCache(cache_dir))
                assert len(result.packages) == count and not result.unchecked

            def cached() -> None:
                result = check_health(locked, client, HttpCache(cache_dir))
                assert result.requests == 0 and len(result.packages) == count

            def cli_cached() -> None:
                run_quiet(
                    [sys.executable, "-m", "pyhelper", "audit", str(project)],
                    env={**os.environ, "XDG_CACHE_HOME": str(work / "xdg")},
                )

            times = interleave(
                {"cold": cold}, repeats, warmup=0, reset=lambda: shutil.rmtree(cache_dir, True)
            )
            cold()  # leaves the cache filled
            shutil.copytree(cache_dir, work / "xdg" / "lockstep" / "health")
            times.update(interleave({"cached": cached, "cli": cli_cached}, repeats, warmup=size.warmup))
            client.close()
    return Benchmark(
        name=NAME,
        description=f"dependency health of a {count}-package lock against a loopback index",
        parameters={"packages": count, "repeats": repeats, "requests_cold": 2 * count},
        rows=[
            Row(f"health, {count} packages, cold", "check_health, empty cache", median_ms(times["cold"])),
            Row(f"health, {count} packages, cached", "check_health, fresh cache", median_ms(times["cached"])),
            Row(f"health, {count} packages, cached, CLI", "pyhelper audit", median_ms(times["cli"])),
        ],
        details={"samples_ms": samples_ms(times)},
    )


if __name__ == "__main__":
    standalone(run)
