"""Full interpreter discovery vs `uv python list --only-installed`, side by side.

Two settings, each run alternately, repeated, medians and their ratio (target: discovery faster):
- "machine": this machine as it is (PATH with pyenv's shims, pyenv's versions, /usr/bin), plus a
  managed install that both tools see (a copy of pyenv's 3.12 in a temporary UV_PYTHON_INSTALL_DIR).
- "same locations": uv is shown exactly the interpreters discovery finds: PATH is their real bin
  folders (no shims, which uv would run and discovery reads past) and the same managed dir.
uv keeps what it learned from running each interpreter in its cache; one warm-up run fills it, so uv
is measured warm. Discovery is measured cold (a new `Discovery` each run: nothing cached in-process),
in-process as the helper runs it; `pyhelper python list`, which adds a Python start-up, is shown too.
The benchmark also records how many processes discovery started (audit hook): it must be 0.

    .dev/venv/bin/python bench/discovery.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import (
    Benchmark,
    Row,
    Size,
    Target,
    interleave,
    median_ms,
    run_quiet,
    samples_ms,
    standalone,
    uv_binary,
)
from pyhelper.interpreters.discovery import Discovery
from pyhelper.interpreters.locations import Host

NAME = "discovery"


def _compare(
    setting: str, env: dict[str, str], repeats: int, warmup: int
) -> tuple[list[Row], dict[str, Any]]:
    from interpreters.interp_layouts import ProcessSpy

    host = Host(sys.platform, env, env["HOME"])
    uv_command = [str(uv_binary()), "python", "list", "--only-installed"]
    cli_command = [
        sys.executable,
        "-m",
        "pyhelper",
        "python",
        "list",
        "--format",
        "json",
    ]
    cli_command += ["--workspace", "/nonexistent"]
    uv_out = subprocess.run(uv_command, env=env, capture_output=True, text=True, check=True).stdout
    with ProcessSpy.watching() as spy:
        found = Discovery(host).interpreters()

    times = interleave(
        {
            "discovery": lambda: Discovery(host).interpreters(),
            "cli": lambda: run_quiet(cli_command, env=env),
            "uv": lambda: run_quiet(uv_command, env=env),
        },
        repeats,
        warmup=warmup,
    )
    cached = Discovery(host)
    cached.interpreters()
    start = time.perf_counter()
    for _ in range(repeats):
        cached.interpreters()
    cached_ms = (time.perf_counter() - start) / repeats * 1000

    uv_paths = {line.split()[1] for line in uv_out.splitlines() if len(line.split()) >= 2}
    uv = ("uv python list --only-installed", median_ms(times["uv"]))
    rows = [
        Row(
            f"{setting}, in-process (cold)",
            "discovery",
            median_ms(times["discovery"]),
            reference=uv[0],
            reference_value=uv[1],
            target=Target(1, strict=True),
        ),
        Row(
            f"{setting}, CLI",
            "pyhelper python list",
            median_ms(times["cli"]),
            reference=uv[0],
            reference_value=uv[1],
        ),
        Row(
            f"{setting}, processes started by discovery",
            "discovery",
            len(spy.events),
            unit="processes",
            target=Target(0, on="value"),
        ),
    ]
    details = {
        "samples_ms": samples_ms(times),
        "discovery_cached_ms": cached_ms,
        "interpreters_found": len(found),
        "uv_rows": len(uv_paths),
        "uv_distinct_files": len({os.path.realpath(p) for p in uv_paths}),
    }
    return rows, details


def run(size: Size) -> Benchmark:
    from interpreters.interp_layouts import copy_install, real_prefix

    repeats = size.pick(full=15, quick=3)
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-") as scratch:
        managed = Path(scratch) / "uv-python"
        copy_install(real_prefix("3.12"), managed / "cpython-3.12.1-linux-x86_64-gnu", "3.12")
        machine_env = {
            **os.environ,
            "UV_PYTHON_INSTALL_DIR": str(managed),
            "UV_PYTHON_DOWNLOADS": "never",
        }
        machine_env.setdefault("HOME", str(Path.home()))
        found = Discovery(Host(sys.platform, machine_env, machine_env["HOME"])).interpreters()
        bins = dict.fromkeys(os.path.dirname(i.path) for i in found if i.kind != "venv")
        same_env = {**machine_env, "PATH": os.pathsep.join(bins)}
        machine_rows, machine_details = _compare("machine", machine_env, repeats, size.warmup)
        same_rows, same_details = _compare("same locations", same_env, repeats, size.warmup)
    return Benchmark(
        name=NAME,
        description="interpreter discovery vs `uv python list --only-installed`",
        parameters={"repeats": repeats},
        rows=machine_rows + same_rows,
        details={"machine": machine_details, "same locations": same_details},
    )


if __name__ == "__main__":
    standalone(run)
