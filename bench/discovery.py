"""Benchmark: full interpreter discovery vs `uv python list --only-installed`, side by side.

Two settings, each run alternately, repeated, medians and their ratio (target: discovery faster):
- "machine": this machine as it is (PATH with pyenv's shims, pyenv's versions, /usr/bin), plus a
  managed install that both tools see (a copy of pyenv's 3.12 in a temporary UV_PYTHON_INSTALL_DIR).
- "same locations": uv is shown exactly the interpreters discovery finds: PATH is their real bin
  folders (no shims, which uv would run and discovery reads past) and the same managed dir.
uv keeps what it learned from running each interpreter in its cache; one warm-up run fills it, so uv
is measured warm. Discovery is measured cold (a new `Discovery` each run: nothing cached in-process),
in-process as the helper runs it; `pyhelper python list`, which adds a Python start-up, is shown too.
The benchmark also records how many processes discovery started (audit hook): it must be 0.

    .dev/venv/bin/python bench/discovery.py [--repeats 15] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "interpreters"))

from interp_layouts import ProcessSpy, copy_install, real_prefix
from pyhelper.interpreters.discovery import Discovery
from pyhelper.interpreters.locations import Host
from uv import find_uv_bin


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


def _compare(name: str, env: dict[str, str], repeats: int) -> dict[str, object]:
    host = Host(sys.platform, env, env["HOME"])
    uv_command = [find_uv_bin(), "python", "list", "--only-installed"]
    cli_command = [
        sys.executable,
        "-m",
        "pyhelper",
        "python",
        "list",
        "--format",
        "json",
        "--workspace",
        "/nonexistent",
    ]
    uv_out = subprocess.run(
        uv_command, env=env, capture_output=True, text=True, check=False
    ).stdout  # warm-up
    with ProcessSpy.watching() as spy:
        found = Discovery(host).interpreters()

    timings: dict[str, list[float]] = {"discovery": [], "cli": [], "uv": []}
    actions: dict[str, Callable[[], object]] = {
        "discovery": lambda: Discovery(host).interpreters(),
        "cli": lambda: _run(cli_command, env),
        "uv": lambda: _run(uv_command, env),
    }
    for _ in range(repeats):
        for key, action in actions.items():
            start = time.perf_counter()
            action()
            timings[key].append(time.perf_counter() - start)
    warm = Discovery(host)
    warm.interpreters()
    start = time.perf_counter()
    for _ in range(repeats):
        warm.interpreters()
    warm_ms = (time.perf_counter() - start) / repeats * 1000

    medians = {key: _median_ms(samples) for key, samples in timings.items()}
    uv_paths = {
        line.split()[1] for line in uv_out.splitlines() if len(line.split()) >= 2
    }
    return {
        "setting": name,
        "discovery_ms": round(medians["discovery"], 2),
        "discovery_warm_cache_ms": round(warm_ms, 3),
        "cli_ms": round(medians["cli"], 1),
        "uv_ms": round(medians["uv"], 1),
        "ratio_discovery_to_uv": round(medians["discovery"] / medians["uv"], 3),
        "ratio_cli_to_uv": round(medians["cli"] / medians["uv"], 3),
        "interpreters_found": len(found),
        "uv_rows": len(uv_paths),
        "uv_distinct_files": len({os.path.realpath(p) for p in uv_paths}),
        "processes_started_by_discovery": len(spy.events),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lockstep-bench-") as scratch:
        managed = Path(scratch) / "uv-python"
        copy_install(
            real_prefix("3.12"), managed / "cpython-3.12.1-linux-x86_64-gnu", "3.12"
        )
        machine_env = {
            **os.environ,
            "UV_PYTHON_INSTALL_DIR": str(managed),
            "UV_PYTHON_DOWNLOADS": "never",
        }
        machine_env.setdefault("HOME", str(Path.home()))
        found = Discovery(
            Host(sys.platform, machine_env, machine_env["HOME"])
        ).interpreters()
        bins = dict.fromkeys(os.path.dirname(i.path) for i in found if i.kind != "venv")
        same_env = {**machine_env, "PATH": os.pathsep.join(bins)}
        results = [
            _compare("machine", machine_env, args.repeats),
            _compare("same locations", same_env, args.repeats),
        ]

    header = (
        "| setting | discovery (cold, in-process) | discovery (cached) | `pyhelper python list` "
        "| `uv python list --only-installed` | discovery / uv | CLI / uv | found | processes started |"
    )
    print(header)
    print("|" + "---|" * 9)
    for r in results:
        print(
            f"| {r['setting']} | {r['discovery_ms']} ms | {r['discovery_warm_cache_ms']} ms | {r['cli_ms']} ms "
            f"| {r['uv_ms']} ms | {r['ratio_discovery_to_uv']} | {r['ratio_cli_to_uv']} "
            f"| {r['interpreters_found']} (uv: {r['uv_distinct_files']} files, {r['uv_rows']} rows) "
            f"| {r['processes_started_by_discovery']} |"
        )
    print(
        f"\nmedians of {args.repeats} alternating runs; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"benchmark": "discovery", "repeats": args.repeats, "results": results},
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
