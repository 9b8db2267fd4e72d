"""Create Environment vs `uv sync` alone, `uv venv` + `uv pip sync`, `python -m venv` + `pip install -r`.

A uv project locking ~50 small packages from a loopback index (wheels built here), with a warm uv
cache. Each round runs every contender once, from no venv to a synced one; medians and ratios to
`uv sync`. Target: Create Environment (the helper's engine call) within 1.3x of `uv sync`.

    .dev/venv/bin/python bench/environments.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

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
from pyhelper.environments import Environments, Project

NAME = "environments"


def run(size: Size) -> Benchmark:
    from support.index import PackageIndex, generated_catalogue
    from support.projects import uv_project
    from support.pythons import real_interpreters

    rounds = size.pick(full=7, quick=1)
    packages = 10 if size.quick else 50
    uv = str(uv_binary())
    python = real_interpreters()["3.12"]
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-env-") as scratch_name:
        scratch = Path(scratch_name)
        index = PackageIndex(scratch / "index")
        catalogue = generated_catalogue(packages)
        index.add(catalogue)
        with index.start():
            environ = index.environ(scratch / "uv-cache")
            roots = [f"{dist.name}>=1" for dist in catalogue[::10]]
            project = uv_project(scratch / "project", Path(uv), environ, roots, name="bench")
            venv = project / ".venv"
            venv_python = str(venv / "bin" / "python")
            requirements = scratch / "requirements.txt"
            exported = subprocess.run(
                [
                    uv,
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

            def synced(make: Callable[[], object]) -> Callable[[], None]:
                def action() -> None:
                    make()
                    installed = len(list(venv.glob("lib/python3*/site-packages/*.dist-info")))
                    assert installed >= packages, installed

                return action

            def lockstep() -> None:
                outcome = environments.create(target, python)
                assert outcome.status == "ok", outcome

            def uv_sync() -> None:
                run_quiet(
                    [uv, "sync", "--locked", "--quiet", "--python", str(python)],
                    cwd=project,
                    env=environ,
                )

            def uv_venv_pip_sync() -> None:
                run_quiet(
                    [uv, "venv", "--quiet", "--python", str(python), str(venv)],
                    env=environ,
                )
                run_quiet(
                    [
                        uv,
                        "pip",
                        "sync",
                        "--quiet",
                        "--python",
                        venv_python,
                        str(requirements),
                    ],
                    env=environ,
                )

            def venv_pip() -> None:
                run_quiet([str(python), "-m", "venv", str(venv)])
                pip = [
                    venv_python,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "-r",
                    str(requirements),
                ]
                run_quiet(pip, env=environ)

            times = interleave(
                {
                    "uv": synced(uv_sync),
                    "lockstep": synced(lockstep),
                    "uv venv": synced(uv_venv_pip_sync),
                    "venv pip": synced(venv_pip),
                },
                rounds,
                warmup=size.warmup,
                reset=lambda: shutil.rmtree(venv, ignore_errors=True),
            )

    uv_sync_ms = ("uv sync --locked", median_ms(times["uv"]))
    return Benchmark(
        name=NAME,
        description="a synced venv from nothing, ~50 locked packages, warm cache",
        parameters={"rounds": rounds, "packages": packages, "python": str(python)},
        rows=[
            Row(
                "Create Environment",
                "Lockstep (engine)",
                median_ms(times["lockstep"]),
                reference=uv_sync_ms[0],
                reference_value=uv_sync_ms[1],
                target=Target(1.3),
            ),
            Row(
                "another tool, for comparison",
                "uv venv + uv pip sync",
                median_ms(times["uv venv"]),
                reference=uv_sync_ms[0],
                reference_value=uv_sync_ms[1],
            ),
            Row(
                "another tool, for comparison",
                "python -m venv + pip install -r",
                median_ms(times["venv pip"]),
                reference=uv_sync_ms[0],
                reference_value=uv_sync_ms[1],
            ),
        ],
        details={"samples_ms": samples_ms(times)},
    )


if __name__ == "__main__":
    standalone(run)
