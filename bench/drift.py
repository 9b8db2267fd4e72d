"""Drift check: Lockstep's engine against `uv lock --check --offline`, side by side.

On the large committed lock (bench/fixtures/large: a realistic application stack, ~230 packages,
~1.5 MB uv.lock) it measures, as medians over interleaved runs:

  (a) cold: `pyhelper check` as a new process vs `uv lock --check --offline` (target <= 3x)
  (b) warm: in-process re-check after a one-line pyproject edit, lock cached (target < 1/4 of uv)
  (c) RSS of a process that has the lock loaded (target < 100 MB)

    .dev/venv/bin/python bench/drift.py [--quick] [--repeats N] [--json FILE]
    .dev/venv/bin/python bench/drift.py --regenerate   # re-lock the fixture with uv (needs the index)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import (
    ROOT,
    Benchmark,
    Row,
    Size,
    Target,
    interleave,
    median_ms,
    run_quiet,
    samples_ms,
    standalone,
    tool_env,
    uv_binary,
)

NAME = "drift"
LARGE = ROOT / "bench" / "fixtures" / "large"
EDIT_FROM, EDIT_TO = '"httpx>=0.27",', '"httpx>=0.28",'


def warm(runs: int) -> list[float]:
    from pyhelper.drift.lock import LockCache, check_project

    text = (LARGE / "pyproject.toml").read_text(encoding="utf-8")
    edited = text.replace(EDIT_FROM, EDIT_TO)
    assert edited != text
    cache = LockCache()
    check_project(LARGE, cache=cache)
    times = []
    for index in range(runs):
        buffer = edited if index % 2 == 0 else text
        start = time.perf_counter()
        findings = check_project(LARGE, pyproject_text=buffer, cache=cache)
        times.append(time.perf_counter() - start)
        assert bool(findings) == (buffer is edited)
    return times


RSS_PROBE = """
import resource, sys
from pathlib import Path
from pyhelper.drift.lock import LockCache, check_project
cache = LockCache()
check_project(Path(sys.argv[1]), cache=cache)
with open("/proc/self/status") as status:
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
print(rss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def rss() -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(LARGE)],
        capture_output=True,
        text=True,
        check=True,
    )
    current, peak = (int(v) / 1024 for v in out.stdout.split())
    return current, peak


def _env() -> dict[str, str]:
    return tool_env(UV_PYTHON=sys.executable)


def run(size: Size) -> Benchmark:
    runs = size.pick(full=21, quick=3)
    env = _env()
    # The console script a user runs; `python -m pyhelper` when it is not installed beside this Python.
    script = Path(sys.executable).with_name("pyhelper")
    ours_cmd = [str(script)] if script.exists() else [sys.executable, "-m", "pyhelper"]
    uv_cmd = [str(uv_binary()), "lock", "--check", "--offline", "-q"]
    cold = interleave(
        {
            "ours": lambda: run_quiet([*ours_cmd, "check", "."], cwd=LARGE, env=env),
            "uv": lambda: run_quiet(uv_cmd, cwd=LARGE, env=env),
        },
        runs,
        warmup=size.warmup,
    )
    warm_ms = statistics.median(warm(runs * 5)) * 1000
    rss_now, rss_peak = rss()
    lock = LARGE / "uv.lock"
    uv = ("uv lock --check --offline", median_ms(cold["uv"]))
    return Benchmark(
        name=NAME,
        description="lockfile drift check on the large lock vs `uv lock --check --offline`",
        parameters={
            "runs": runs,
            "warm_runs": runs * 5,
            "lock_bytes": lock.stat().st_size,
            "lock_packages": lock.read_text(encoding="utf-8").count("\n[[package]]\n"),
        },
        rows=[
            Row(
                "cold check (new process)",
                "pyhelper check",
                median_ms(cold["ours"]),
                reference=uv[0],
                reference_value=uv[1],
                target=Target(3),
            ),
            Row(
                "re-check after a one-line edit (in the helper)",
                "check_project, lock cached",
                warm_ms,
                reference=uv[0],
                reference_value=uv[1],
                target=Target(0.25, strict=True),
            ),
            Row(
                "RSS with the lock loaded",
                "engine process",
                rss_now,
                unit="MB",
                target=Target(100, on="value", strict=True),
            ),
        ],
        details={"peak_rss_mb": rss_peak, "samples_ms": samples_ms(cold)},
    )


def regenerate() -> None:
    subprocess.run([str(uv_binary()), "lock", "--upgrade"], cwd=LARGE, env=_env(), check=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        standalone(run)
