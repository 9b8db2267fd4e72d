"""Create Environment vs `uv sync` alone vs `python -m venv` + `pip install -r`, side by side.

A uv project locking ~50 small packages from a loopback index (wheels built here), with a warm uv
cache. Each round runs every contender once, from no venv to a synced one; the table shows medians
and ratios to `uv sync`. Target: Create Environment within 1.3x of `uv sync`.

    .dev/venv/bin/python bench/environments.py [--rounds 7] [--packages 50] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyhelper.environments import Environments, Project
from pyhelper.uvtool import find_uv

from tests.support.index import PackageIndex, generated_catalogue
from tests.support.projects import uv_project
from tests.support.pythons import real_interpreters


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--packages", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    uv = find_uv()
    assert uv is not None, "no runnable uv"
    python = real_interpreters()["3.12"]
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-env-") as scratch_name:
        scratch = Path(scratch_name)
        index = PackageIndex(scratch / "index")
        catalogue = generated_catalogue(args.packages)
        index.add(catalogue)
        with index.start():
            environ = index.environ(scratch / "uv-cache")
            roots = [f"{dist.name}>=1" for dist in catalogue[::10]]
            project = uv_project(
                scratch / "project", uv.path, environ, roots, name="bench"
            )
            venv = project / ".venv"
            requirements = scratch / "requirements.txt"
            exported = subprocess.run(
                [
                    str(uv.path),
                    "export",
                    "--no-hashes",
                    "--quiet",
                    "--format",
                    "requirements.txt",
                ],
                cwd=project,
                env=environ,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            requirements.write_text(exported)
            environments = Environments(environ, lock_dir=scratch / "locks")
            target = Project(project, "uv", project / "uv.lock", ">=3.10", name="bench")

            def lockstep() -> None:
                outcome = environments.create(target, python)
                assert outcome.status == "ok", outcome

            def uv_sync() -> None:
                subprocess.run(
                    [
                        str(uv.path),
                        "sync",
                        "--locked",
                        "--quiet",
                        "--python",
                        str(python),
                    ],
                    cwd=project,
                    env=environ,
                    check=True,
                )

            def venv_pip() -> None:
                subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
                subprocess.run(
                    [
                        str(venv / "bin" / "python"),
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--no-deps",
                        "-r",
                        str(requirements),
                    ],
                    env=environ,
                    check=True,
                )

            contenders: dict[str, Callable[[], None]] = {
                "uv sync --locked": uv_sync,
                "Lockstep Create Environment (API)": lockstep,
                "python -m venv + pip install -r": venv_pip,
            }
            uv_sync()  # warm the uv cache (and pip's) before measuring
            times: dict[str, list[float]] = {name: [] for name in contenders}
            for _ in range(args.rounds):
                for name, run in contenders.items():
                    shutil.rmtree(venv, ignore_errors=True)
                    start = time.perf_counter()
                    run()
                    times[name].append(time.perf_counter() - start)
                    installed = len(
                        list(venv.glob("lib/python3*/site-packages/*.dist-info"))
                    )
                    assert installed >= args.packages, (name, installed)

    base = statistics.median(times["uv sync --locked"])
    rows = [
        (name, statistics.median(values), statistics.median(values) / base)
        for name, values in times.items()
    ]
    print(
        f"{args.packages} locked packages, warm cache, {args.rounds} rounds, Python {python}"
    )
    print("| contender | median (ms) | vs uv sync |\n| --- | ---: | ---: |")
    for name, median, ratio in rows:
        print(f"| {name} | {median * 1000:.0f} | {ratio:.2f}x |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {name: {"median_s": m, "ratio": r} for name, m, r in rows}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
