"""Drift-check benchmark: Lockstep's engine against `uv lock --check --offline`, side by side.

On the large committed lock (bench/fixtures/large: a realistic application stack, ~230 packages,
~1.5 MB uv.lock) it measures, as medians over interleaved runs:

  (a) cold: `pyhelper check` as a new process vs `uv lock --check --offline` (target <= 3x)
  (b) warm: in-process re-check after a one-line pyproject edit, lock cached (target < 1/4 of uv)
  (c) RSS of a process that has the lock loaded (target < 100 MB)

    python bench/drift.py [--runs 21] [--json out.json] [--uv PATH]
    python bench/drift.py --regenerate     # re-lock the fixture with uv (needs the package index)

Not a test: timings are noisy; read the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
LARGE = HERE / "fixtures" / "large"
EDIT_FROM, EDIT_TO = '"httpx>=0.27",', '"httpx>=0.28",'


def tool_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if "pyenv" not in p
    )
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_PYTHON"] = sys.executable
    return env


def find_uv(explicit: str | None) -> str:
    if explicit:
        return explicit
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    if not found:
        raise SystemExit("uv not found: pass --uv")
    return found


def wall(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}"
        )
    return elapsed


def cold(uv: str, runs: int) -> tuple[list[float], list[float]]:
    env = tool_env()
    # The console script a user runs; `python -m pyhelper` when it is not installed beside this Python.
    script = Path(sys.executable).with_name("pyhelper")
    ours_cmd = (
        [str(script), "check", "."]
        if script.exists()
        else [sys.executable, "-m", "pyhelper", "check", "."]
    )
    uv_cmd = [uv, "lock", "--check", "--offline", "-q"]
    wall(ours_cmd, LARGE, env)
    wall(uv_cmd, LARGE, env)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(wall(ours_cmd, LARGE, env))
        theirs.append(wall(uv_cmd, LARGE, env))
    return ours, theirs


def warm(runs: int) -> list[float]:
    from pyhelper.drift import LockCache, check_project

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
from pyhelper.drift import LockCache, check_project
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


def regenerate(uv: str) -> None:
    subprocess.run([uv, "lock", "--upgrade"], cwd=LARGE, env=tool_env(), check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--uv")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    uv = find_uv(args.uv)
    if args.regenerate:
        regenerate(uv)
        return
    ours_cold, uv_cold = cold(uv, args.runs)
    ours_warm = warm(args.runs * 5)
    rss_now, rss_peak = rss()
    uv_median = statistics.median(uv_cold)
    result = {
        "lock_bytes": (LARGE / "uv.lock").stat().st_size,
        "lock_packages": (LARGE / "uv.lock")
        .read_text(encoding="utf-8")
        .count("\n[[package]]\n"),
        "uv_lock_check_offline_ms": uv_median * 1000,
        "cold_check_ms": statistics.median(ours_cold) * 1000,
        "cold_ratio_to_uv": statistics.median(ours_cold) / uv_median,
        "warm_recheck_ms": statistics.median(ours_warm) * 1000,
        "warm_ratio_to_uv": statistics.median(ours_warm) / uv_median,
        "rss_with_lock_mb": rss_now,
        "peak_rss_mb": rss_peak,
        "python": sys.version.split()[0],
        "runs": args.runs,
    }
    rows = [
        (
            "uv lock --check --offline (cold process)",
            f"{result['uv_lock_check_offline_ms']:.1f} ms",
            "1.00x",
            "",
        ),
        (
            "pyhelper check (cold process)",
            f"{result['cold_check_ms']:.1f} ms",
            f"{result['cold_ratio_to_uv']:.2f}x",
            "<= 3x",
        ),
        (
            "re-check after one-line edit (warm)",
            f"{result['warm_recheck_ms']:.2f} ms",
            f"{result['warm_ratio_to_uv']:.3f}x",
            "< 0.25x",
        ),
        (
            "RSS with the lock loaded",
            f"{rss_now:.1f} MB (peak {rss_peak:.1f})",
            "",
            "< 100 MB",
        ),
    ]
    print(
        f"Large lock: {result['lock_packages']} packages, {result['lock_bytes'] / 1e6:.2f} MB; medians of {args.runs} runs\n"
    )
    print("| measure | value | vs uv | target |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
