"""Drift check: Lockstep's engine against `uv lock --check --offline`, side by side.

Cold checks run on the large committed lock (bench/fixtures/large: a realistic application stack,
~230 packages, ~1.5 MB uv.lock) and on the biggest real uv locks of the corpus (tests/corpus/projects:
the three with the most packages, two of them workspaces; also two of the three largest files). Both
tools run in the project's own folder on the same files, uv offline with a private cache. Measured,
as medians over interleaved runs:

  (a) cold: `pyhelper check` as a new process vs `uv lock --check --offline`, per lock (target <= 2x);
      the CPU time of both (user + system) is kept in the details: on a busy machine it is the
      steadier figure;
  (b) warm: in-process re-check after a one-line pyproject edit, lock cached (target < 1/4 of uv);
  (c) RSS of a process that has the large lock loaded (target < 100 MB).

    .dev/venv/bin/python bench/drift.py [--quick] [--repeats N] [--json FILE]
    .dev/venv/bin/python bench/drift.py --regenerate   # re-lock the fixture with uv (needs the index)
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
CORPUS = ROOT / "tests" / "corpus" / "projects"
EDIT_FROM, EDIT_TO = '"httpx>=0.27",', '"httpx>=0.28",'


@dataclass(frozen=True)
class Case:
    """A project whose lock both tools check, cold."""

    label: str
    folder: Path

    @property
    def lock(self) -> Path:
        return self.folder / "uv.lock"


CASES = (
    Case("benchmark lock", LARGE),
    # The corpus's uv locks with the most packages (522, 476, 391); the first two are workspaces
    # (10 and 7 members), the last is the largest file (1.8 MB).
    Case("uv-autogen (workspace)", CORPUS / "uv-autogen" / "python"),
    Case("uv-crewai (workspace)", CORPUS / "uv-crewai"),
    Case("uv-pipecat", CORPUS / "uv-pipecat"),
)


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
    # A private cache: uv's offline answer must not depend on what this machine's own cache holds.
    return tool_env(UV_PYTHON=sys.executable, UV_CACHE_DIR=str(ROOT / ".dev" / "bench-cache" / "uv"))


class Timed:
    """A command run for its exit status, keeping the CPU time (user + system) each run took."""

    def __init__(self, command: Sequence[str], cwd: Path, env: dict[str, str]) -> None:
        self.command, self.cwd, self.env = list(command), cwd, env
        self.cpu: list[float] = []
        self.codes: set[int] = set()

    def __call__(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Exit 1 is drift found: an answer, recorded beside the other tool's.
        self.codes.add(run_quiet(self.command, codes=(0, 1), cwd=self.cwd, env=self.env))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def _cold(case: Case, runs: int, warmup: int, env: dict[str, str]) -> tuple[Row, dict[str, object]]:
    # The console script a user runs; `python -m pyhelper` when it is not installed beside this Python.
    script = Path(sys.executable).with_name("pyhelper")
    ours_cmd = [str(script)] if script.exists() else [sys.executable, "-m", "pyhelper"]
    ours = Timed([*ours_cmd, "check", "."], case.folder, env)
    uv = Timed([str(uv_binary()), "lock", "--check", "--offline", "-q"], case.folder, env)
    contenders: dict[str, Callable[[], object]] = {"ours": ours, "uv": uv}
    wall = interleave(contenders, runs, warmup=warmup)
    text = case.lock.read_text(encoding="utf-8")
    row = Row(
        f"cold check (new process), {case.label}",
        "pyhelper check",
        median_ms(wall["ours"]),
        reference="uv lock --check --offline",
        reference_value=median_ms(wall["uv"]),
        target=Target(2),
    )
    details: dict[str, object] = {
        "lock": case.lock.relative_to(ROOT).as_posix(),
        "lock_bytes": len(text.encode()),
        "lock_packages": text.count("\n[[package]]\n"),
        "exit_codes": {"ours": sorted(ours.codes), "uv": sorted(uv.codes)},
        # The warm-up rounds are not in the wall times; drop their CPU times too.
        "cpu_ms": {
            name: round(median_ms(timed.cpu[warmup:]), 2) for name, timed in (("ours", ours), ("uv", uv))
        },
        "samples_ms": samples_ms(wall),
    }
    return row, details


def run(size: Size) -> Benchmark:
    runs = size.pick(full=31, quick=3)
    env = _env()
    rows: list[Row] = []
    cases: dict[str, dict[str, object]] = {}
    for case in CASES:
        row, details = _cold(case, runs, size.warmup, env)
        rows.append(row)
        cases[case.label] = details
    uv_large = rows[0].reference_value
    warm_ms = statistics.median(warm(runs * 5)) * 1000
    rss_now, rss_peak = rss()
    lock = LARGE / "uv.lock"
    return Benchmark(
        name=NAME,
        description="lockfile drift check on the large lock and the corpus's biggest real locks vs "
        "`uv lock --check --offline`",
        parameters={
            "runs": runs,
            "warm_runs": runs * 5,
            "lock_bytes": lock.stat().st_size,
            "lock_packages": lock.read_text(encoding="utf-8").count("\n[[package]]\n"),
        },
        rows=[
            *rows,
            Row(
                "re-check after a one-line edit (in the helper)",
                "check_project, lock cached",
                warm_ms,
                reference="uv lock --check --offline",
                reference_value=uv_large,
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
        details={"peak_rss_mb": rss_peak, "cases": cases},
    )


def regenerate() -> None:
    subprocess.run([str(uv_binary()), "lock", "--upgrade"], cwd=LARGE, env=_env(), check=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        standalone(run)
