"""Dependency health of a 400-package uv.lock against a loopback index, beside pip-audit and `uv audit`
on the same lock and the same advisories (one package in 20 has one). The quick size locks 40.

`pyhelper audit` asks the index's simple page and release JSON of every package (2 per package, 16 at
a time: yanks and newest versions too); pip-audit 2.10.1 (`.dev/tools/pip-audit`, on the lock exported
to pins) asks the index's OSV face one package at a time (`--osv-url`); `uv audit --frozen` sends one
OSV batch query, fetches each advisory it names (`--service-url`), and asks the index's simple page of
every package (its project status). The details keep what each cold run asked. tests/support/auditors.py
says how each is pointed there; tests/health/test_auditor_agreement.py that they find the same; here
the three reports are compared once more on the large lock. Measured, as medians over interleaved
runs, every cache emptied before each run (cold) or filled by an untimed run (cached):

  (a) in the helper (`check_health`), cold and cached (no request); the index serves from this
      process, so cold it shares the interpreter (and its GIL) with the client: slower than (b);
  (b) new processes, cold: `pyhelper audit` vs pip-audit, and vs `uv audit` (target: no slower than
      pip-audit; the 400 packages "in seconds", here under 3 s);
  (c) new processes, cached: `pyhelper audit` (fresh answers, no request) vs `uv audit` with its OSV
      cache filled.

    .dev/venv/bin/python bench/health.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from harness import (
    Benchmark,
    Row,
    Size,
    Target,
    interleave,
    median_ms,
    samples_ms,
    standalone,
    uv_binary,
)

if TYPE_CHECKING:
    from support.index import PackageIndex

NAME = "health"
ADVISED_EVERY = 20
COLD_CLI_LIMIT_MS = 3000


class Audit:
    """One auditor run as a new process for its report (exit 1: findings), keeping the last output."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.command, self.cwd, self.env = command, cwd, env
        self.output = ""

    def __call__(self) -> None:
        done = subprocess.run(
            self.command, cwd=self.cwd, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 1:
            raise RuntimeError(f"{self.command[0]} exited {done.returncode}: {done.stderr[-800:]}")
        self.output = done.stdout


def run(size: Size) -> Benchmark:
    from pyhelper.health.audit import check_health
    from pyhelper.health.cache import HttpCache
    from pyhelper.health.client import IndexClient
    from pyhelper.health.locked import LockedProject, locked_project
    from pyhelper.lockfiles import LockCache
    from support.auditors import (
        PIP_AUDIT,
        export_command,
        loopback_only,
        pip_audit_command,
        pip_audit_report,
        pyhelper_report,
        uv_audit_command,
        uv_audit_report,
    )
    from support.index import PackageIndex, generated_catalogue

    count = 40 if size.quick else 400
    repeats = size.pick(full=5, quick=1)
    uv = uv_binary()
    if not PIP_AUDIT.exists():
        raise SystemExit(f"no pip-audit at {PIP_AUDIT}: run scripts/dev-setup")
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-health-") as scratch:
        work = Path(scratch)
        index = PackageIndex(work / "index")
        index.add(generated_catalogue(count))
        for i in range(0, count, ADVISED_EVERY):
            advisory = {"id": f"PYSEC-2026-{i}", "aliases": [f"CVE-2026-{i:04d}"], "fixed_in": ["1.1"]}
            index.advise(f"pkg-{i:03d}", "1.0", {**advisory, "summary": f"advisory {i}"})
        with index.start():
            project = work / "app"
            project.mkdir()
            roots = ", ".join(f'"pkg-{i:03d}"' for i in range(0, count, 10))
            (project / "pyproject.toml").write_text(
                f'[project]\nname = "app"\nversion = "0"\nrequires-python = ">=3.10"\n'
                f"dependencies = [{roots}]\n"
                f'\n[[tool.uv.index]]\nname = "loopback"\nurl = "{index.url}"\ndefault = true\n'
            )
            env = loopback_only(index.environ(work / "uv-cache"))
            subprocess.run([str(uv), "lock", "--quiet"], cwd=project, env=env, check=True)
            requirements = work / "requirements.txt"
            exported = subprocess.run(
                export_command(uv), cwd=project, env=env, capture_output=True, text=True, check=True
            )
            requirements.write_text(exported.stdout)
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

            xdg, pip_cache, uv_cache = work / "xdg", work / "pip-audit-cache", work / "uv-audit-cache"
            ours = Audit(
                [sys.executable, "-m", "pyhelper", "audit", str(project), "--format", "json"],
                project,
                {**env, "XDG_CACHE_HOME": str(xdg)},
            )
            pip_audit = Audit(pip_audit_command(requirements, index.osv_url, pip_cache), work, env)
            uv_audit = Audit(
                uv_audit_command(uv, index.osv_url), project, {**env, "UV_CACHE_DIR": str(uv_cache)}
            )

            def empty_caches() -> None:
                for folder in (cache_dir, xdg, pip_cache, uv_cache):
                    shutil.rmtree(folder, ignore_errors=True)

            contenders: dict[str, Callable[[], object]] = {
                "pyhelper audit": ours,
                "pip-audit": pip_audit,
                "uv audit": uv_audit,
            }
            cli_cold = interleave(contenders, repeats, warmup=size.warmup, reset=empty_caches)
            requests = {
                name: _requests_of(action, index, empty_caches) for name, action in contenders.items()
            }
            reports = {
                "pyhelper audit": pyhelper_report(ours.output),
                "pip-audit": pip_audit_report(pip_audit.output),
                "uv audit": uv_audit_report(uv_audit.output),
            }
            first = reports["pyhelper audit"]
            if any(report != first for report in reports.values()) or first.audited != count:
                raise RuntimeError(f"the auditors disagree on the {count}-package lock: {reports}")

            times = interleave({"cold": cold}, repeats, warmup=0, reset=empty_caches)
            cold()  # leaves the cache filled: the engine's and, copied, the CLI's
            shutil.copytree(cache_dir, xdg / "lockstep" / "health")
            uv_audit()  # fills uv's OSV cache
            times.update(
                interleave({"cached": cached, "cli": ours, "uv": uv_audit}, repeats, warmup=size.warmup)
            )
            client.close()
    cold_ours = median_ms(cli_cold["pyhelper audit"])
    label = f"{count} packages"
    return Benchmark(
        name=NAME,
        description=f"dependency health of a {count}-package lock against a loopback index, beside "
        "pip-audit and `uv audit` on the same advisories",
        parameters={
            "packages": count,
            "advised": len(range(0, count, ADVISED_EVERY)),
            "repeats": repeats,
            "requests_per_cold_run": requests,
            "pip_audit": "2.10.1",
        },
        rows=[
            Row(f"{label}, cold, in the helper", "check_health, empty cache", median_ms(times["cold"])),
            Row(f"{label}, cached, in the helper", "check_health, fresh cache", median_ms(times["cached"])),
            Row(
                f"{label}, cold, CLI",
                "pyhelper audit",
                cold_ours,
                reference="pip-audit -s osv (loopback OSV)",
                reference_value=median_ms(cli_cold["pip-audit"]),
                target=Target(1),
            ),
            Row(
                f"{label}, cold, CLI (beside uv audit)",
                "pyhelper audit",
                cold_ours,
                reference="uv audit --frozen (loopback OSV)",
                reference_value=median_ms(cli_cold["uv audit"]),
                target=Target(COLD_CLI_LIMIT_MS, on="value", strict=True),
            ),
            Row(
                f"{label}, cached, CLI",
                "pyhelper audit, fresh cache",
                median_ms(times["cli"]),
                reference="uv audit --frozen, OSV cache filled",
                reference_value=median_ms(times["uv"]),
            ),
        ],
        details={
            "samples_ms": {**samples_ms(times), **{f"cold_{k}": v for k, v in samples_ms(cli_cold).items()}}
        },
    )


def _requests_of(
    action: Callable[[], object], index: PackageIndex, reset: Callable[[], None]
) -> dict[str, int]:
    """What one cold run asks the index, by path (`/simple/*` for every `/simple/<name>/`)."""
    reset()
    before = len(index.requests)
    action()
    asked = Counter(_face(path) for path in index.requests[before:])
    return dict(sorted(asked.items()))


def _face(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] == "pypi":
        return "/pypi/*/*/json"
    if parts[0] in ("simple", "files") or parts[:2] == ["v1", "vulns"]:
        return f"/{'/'.join(parts[:-1])}/*" if len(parts) > 1 else path
    return path


if __name__ == "__main__":
    standalone(run)
