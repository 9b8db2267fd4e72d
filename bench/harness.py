"""What every benchmark shares: interleaved timing, medians, result rows, the machine, the CLI.

A benchmark module defines `NAME`, `DESCRIPTION` and `run(size: Size) -> Benchmark`, and ends with
`standalone(run)` so it also runs on its own. `bench/run.py` runs them all and renders the table.
Timings are noisy: a comparison is always measured in one run, its contenders alternating, and
reported as the ratio of medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The benchmarks reuse the tests' real fixtures (package index, archives, interpreter layouts),
# importing them inside `run`, once this module has put tests/ on the path.
for _path in (ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# Python start-ups are measured as a user sees them after the first run: with byte code cached. A
# development shell may forbid writing it (PYTHONDONTWRITEBYTECODE), and uv installs none, so every
# child would compile lsprotocol & co. anew; the cache goes to one folder outside the sources.
PYCACHE = ROOT / ".dev" / "bench-cache" / "pycache"
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
sys.dont_write_bytecode = False
sys.pycache_prefix = str(PYCACHE)


@dataclass(frozen=True)
class Size:
    """How much work a run does: `quick` is the smallest size (the smoke test's); `repeats` overrides."""

    quick: bool = False
    repeats: int | None = None

    def pick(self, full: int, quick: int) -> int:
        return self.repeats or (quick if self.quick else full)

    @property
    def warmup(self) -> int:
        """Untimed rounds first (caches, imports); the smoke check skips them: it times nothing."""
        return 0 if self.quick else 1


@dataclass(frozen=True)
class Target:
    """`value <= limit` (or `<`), on the ratio or, for absolute measures, on the value itself."""

    limit: float
    on: str = "ratio"  # "ratio" | "value"
    strict: bool = False

    def met(self, value: float) -> bool:
        return value < self.limit if self.strict else value <= self.limit

    def text(self, unit: str) -> str:
        sign = "<" if self.strict else "≤"
        return f"{sign} {self.limit:g}×" if self.on == "ratio" else f"{sign} {self.limit:g} {unit}"


@dataclass
class Row:
    """One line of the table: a Lockstep figure, the reference measured beside it, and the target."""

    measure: str
    lockstep: str
    value: float
    unit: str = "ms"
    reference: str | None = None
    reference_value: float | None = None
    target: Target | None = None
    ratio: float | None = None
    met: bool | None = None

    def __post_init__(self) -> None:
        if self.reference_value:
            self.ratio = self.value / self.reference_value
        if self.target is not None:
            checked = self.ratio if self.target.on == "ratio" else self.value
            self.met = None if checked is None else self.target.met(checked)


@dataclass
class Benchmark:
    name: str
    description: str
    parameters: dict[str, Any]
    rows: list[Row]
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for row in data["rows"]:
            target = row["target"]
            if target is not None:
                target["text"] = Target(**target).text(row["unit"])
        return data


def interleave(
    contenders: Mapping[str, Callable[[], object]],
    repeats: int,
    *,
    warmup: int = 1,
    reset: Callable[[], object] | None = None,
) -> dict[str, list[float]]:
    """Seconds per run of each contender, run in turn `warmup + repeats` times (warm-up rounds dropped).

    `reset`, untimed, runs before every run (e.g. to delete what the previous one made).
    """
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for round_ in range(warmup + repeats):
        for name, action in contenders.items():
            if reset is not None:
                reset()
            start = time.perf_counter()
            action()
            elapsed = time.perf_counter() - start
            if round_ >= warmup:
                times[name].append(elapsed)
    return times


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def samples_ms(times: Mapping[str, Sequence[float]]) -> dict[str, list[float]]:
    """Every run's time, for the JSON: how noisy the medians were."""
    return {name: [round(t * 1000, 2) for t in runs] for name, runs in times.items()}


def run_quiet(command: Sequence[str], *, codes: Collection[int] = (0,), **options: Any) -> int:
    """Run a command for its effect and return its exit status, failing loudly (with its stderr) if the
    status is not one of `codes` (a checker's "drift found" may be an expected answer)."""
    done = subprocess.run(command, capture_output=True, check=False, **options)
    if done.returncode not in codes:
        raise RuntimeError(
            f"{' '.join(map(str, command))} exited {done.returncode}: {done.stderr.decode()[-800:]}"
        )
    return done.returncode


def tool_env(**overrides: str) -> dict[str, str]:
    """This environment without pyenv's shims (never an interpreter stand-in), never downloading Pythons."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "pyenv" not in p)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.setdefault("HOME", str(Path.home()))
    env.update(overrides)
    return env


def uv_binary() -> Path:
    from pyhelper.uvtool import find_uv

    uv = find_uv()
    if uv is None:
        raise SystemExit("no runnable uv found")
    return uv.path


def rss_mb(pid: int) -> float:
    """The resident set of a running process (Linux), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def _first_line_value(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                name, _, value = line.partition(":" if ":" in line else "=")
                if name.strip() == key:
                    return value.strip().strip('"')
    except OSError:
        return None
    return None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory_kb = _first_line_value("/proc/meminfo", "MemTotal")
    uv = subprocess.run([str(uv_binary()), "--version"], capture_output=True, text=True, check=False)
    return {
        "cpu": _first_line_value("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory_kb.split()[0]) / 1024**2, 1) if memory_kb else None,
        "os": _first_line_value("/etc/os-release", "PRETTY_NAME") or platform.platform(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "uv": uv.stdout.split()[1] if uv.returncode == 0 else None,
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


# Rendering ------------------------------------------------------------------------------------------


def _amount(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:g} {unit}"


def table(benchmarks: Sequence[Mapping[str, Any]]) -> str:
    """The Markdown table of results (from their JSON form, so the README is a function of the JSON)."""
    lines = [
        "| benchmark | Lockstep | reference | ratio | target | met? |",
        "| --- | --- | --- | ---: | --- | --- |",
    ]
    for bench in benchmarks:
        for row in bench["rows"]:
            unit = row["unit"]
            ours = f"{row['lockstep']}: {_amount(row['value'], unit)}"
            theirs = (
                f"{row['reference']}: {_amount(row['reference_value'], unit)}" if row["reference"] else "—"
            )
            ratio = "—" if row["ratio"] is None else f"{row['ratio']:.{3 if row['ratio'] < 0.1 else 2}f}×"
            target = row["target"]["text"] if row["target"] else "—"
            met = {True: "yes", False: "**no**", None: "—"}[row["met"]]
            cells = [
                f"{bench['name']}: {row['measure']}",
                ours,
                theirs,
                ratio,
                target,
                met,
            ]
            # A command's pipe (`curl | tar`) would end the cell.
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def machine_line(info: Mapping[str, Any]) -> str:
    load = ", ".join(f"{value:g}" for value in info["load_average"])
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB; {info['os']}; "
        f"Python {info['python']}; uv {info['uv']}; load average at start {load}"
    )


def standalone(run: Callable[[Size], Benchmark]) -> None:
    """`python bench/<name>.py [--quick] [--repeats N] [--json FILE]`: one benchmark on its own."""
    parser = argparse.ArgumentParser(description=sys.modules[run.__module__].__doc__)
    parser.add_argument("--quick", action="store_true", help="the smallest size")
    parser.add_argument("--repeats", type=int, help="runs per contender (default: per benchmark)")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    result = run(Size(quick=args.quick, repeats=args.repeats)).to_json()
    print(table([result]), end="")
    print(f"\n{result['parameters']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
