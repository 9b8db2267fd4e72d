"""A PEP 723 script's environment against its `NAME.py.lock` agrees with `uv sync --script --check`.

Each case writes a script, locks it with real uv against the loopback index (`uv lock --script`),
makes its environment in uv's cache (`uv sync --script --python PY`), changes the environment the way
a user would (`uv pip install/uninstall` into it) and compares the engine's report (read from disk, no
Python started) with what `uv sync --script --check --output-format json` would change. uv 0.13.9
(the bundled wheel) has `--check` for scripts; the JSON names the environment it checked.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pyhelper.drift.environment import EnvReport, VenvCache
from pyhelper.findings import Severity
from pyhelper.lockfiles import LockCache
from pyhelper.scripts.drift import ScriptCheck, check_script, check_script_environment


@dataclass(frozen=True)
class Case:
    dependencies: tuple[str, ...]
    python: str = "3.12"
    requires_python: str = ">=3.10"
    then: tuple[tuple[str, ...], ...] = ()
    """uv commands run on the environment afterwards (`pip install ...`)."""
    raise_to: str | None = None
    """A requires-python written (and locked) after the environment was made."""


CASES = {
    "synced": Case(("alpha>=2", "gamma[fast]", "epsilon")),
    "synced on 3.10 (other markers hold)": Case(("alpha>=2", "gamma[fast]", "epsilon"), python="3.10"),
    "a marker leaves a direct dependency out": Case(("alpha>=2", "delta; python_version < '3.11'")),
    "a dependency downgraded": Case(("alpha>=2", "epsilon"), then=(("pip", "install", "beta==1.0"),)),
    "a direct dependency uninstalled": Case(("alpha>=2", "gamma"), then=(("pip", "uninstall", "gamma"),)),
    "a transitive dependency uninstalled": Case(("alpha>=2",), then=(("pip", "uninstall", "beta"),)),
    "an extra package installed": Case(("alpha>=2",), then=(("pip", "install", "delta"),)),
    "pip installed into the environment": Case(("alpha>=2",), then=(("pip", "install", "pip"),)),
    "an extra's package uninstalled": Case(("gamma[fast]",), then=(("pip", "uninstall", "delta"),)),
    "requires-python raised past the environment's Python": Case(
        ("alpha>=2",), python="3.10", raise_to=">=3.11"
    ),
}


def script_text(dependencies: tuple[str, ...], requires_python: str) -> str:
    listed = "".join(f"#     {json.dumps(d)},\n" for d in dependencies)
    return (
        "# /// script\n"
        f'# requires-python = "{requires_python}"\n'
        f"# dependencies = [\n{listed}# ]\n"
        "# ///\n"
        'print("hello")\n'
    )


class Uv:
    def __init__(self, uv: Path, env: dict[str, str]) -> None:
        self.uv, self.env = uv, env

    def __call__(self, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.uv), *args], cwd=cwd, env=self.env, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"uv {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done

    def check(self, script: Path) -> dict[str, Any]:
        """`uv sync --script --check`'s verdict, and the environment it checked."""
        done = self(
            script.parent, "sync", "--script", str(script), "--check", "--output-format", "json", check=False
        )
        assert done.returncode in (0, 1), done.stderr
        report = json.loads(done.stdout)["sync"]
        changes: dict[str, set[str]] = {}
        for change in report["changes"]:
            changes.setdefault(change["name"], set()).add(change["action"])
        return {
            "ok": done.returncode == 0,
            "replace": report["action"] == "replace",
            "changes": changes,
            "environment": Path(report["environment"]["path"]),
        }


@pytest.fixture
def run_uv(uv: Path, index_env: dict[str, str]) -> Uv:
    return Uv(uv, index_env)


def build(case: Case, folder: Path, run_uv: Uv, pythons: dict[str, Path]) -> Path:
    folder.mkdir(parents=True)
    script = folder / "tool.py"
    script.write_text(script_text(case.dependencies, case.requires_python))
    python = str(pythons[case.python])
    run_uv(folder, "lock", "--script", str(script), "--python", python)
    run_uv(folder, "sync", "--script", str(script), "--python", python)
    environment = run_uv.check(script)["environment"]
    for command in case.then:
        run_uv(folder, *command, "--python", str(environment / "bin" / "python"))
    if case.raise_to is not None:
        script.write_text(script_text(case.dependencies, case.raise_to))
        run_uv(folder, "lock", "--script", str(script), "--python", str(pythons["3.12"]))
    return script


def engine_report(script: Path, environment: Path) -> tuple[ScriptCheck, EnvReport]:
    cache = LockCache()
    checked = check_script(script, cache=cache)
    assert isinstance(checked, ScriptCheck) and checked.state == "locked", checked
    report = check_script_environment(checked, environment, cache=cache, venvs=VenvCache())
    assert report is not None and report.problem is None, report
    return checked, report


@pytest.mark.parametrize("name", list(CASES))
def test_verdict_agrees_with_uv_sync_script_check(
    name: str, tmp_path: Path, run_uv: Uv, pythons: dict[str, Path]
) -> None:
    script = build(CASES[name], tmp_path / "work", run_uv, pythons)
    uv = run_uv.check(script)
    _, ours = engine_report(script, uv["environment"])

    assert ours.in_sync == uv["ok"], (ours, uv)
    assert ours.python_mismatch == uv["replace"], (ours, uv)
    if not uv["replace"]:
        assert set(ours.changed) == set(uv["changes"]), (ours, uv)


def test_the_cases_cover_both_verdicts(tmp_path: Path, run_uv: Uv, pythons: dict[str, Path]) -> None:
    verdicts: dict[bool, list[str]] = {True: [], False: []}
    for name in ("synced", "a dependency downgraded"):
        script = build(CASES[name], tmp_path / name.replace(" ", "-"), run_uv, pythons)
        verdicts[engine_report(script, run_uv.check(script)["environment"])[1].in_sync].append(name)
    assert verdicts == {True: ["synced"], False: ["a dependency downgraded"]}


def test_findings_point_at_the_requirement_in_the_script_or_the_lock_entry(
    tmp_path: Path, run_uv: Uv, pythons: dict[str, Path]
) -> None:
    case = Case(("alpha>=2", "gamma"), then=(("pip", "install", "beta==1.0"), ("pip", "uninstall", "gamma")))
    script = build(case, tmp_path / "work", run_uv, pythons)
    _, report = engine_report(script, run_uv.check(script)["environment"])
    by_code = {f.code: f for f in report.findings}
    missing, mismatch = by_code["venv-missing-package"], by_code["venv-version-mismatch"]
    lines = script.read_text().splitlines()
    lock = script.with_name("tool.py.lock").read_text().splitlines()
    # gamma is the script's own dependency: the finding sits on its string in the block.
    assert missing.path == script
    line = lines[missing.range.start.line]
    assert line[missing.range.start.character : missing.range.end.character] == '"gamma"'
    assert "not installed in the environment of tool.py" in missing.message
    # beta comes with alpha: the finding sits on its entry in tool.py.lock.
    assert mismatch.path == script.with_name("tool.py.lock")
    assert lock[mismatch.range.start.line] == 'name = "beta"'
    assert "beta 1.0, but tool.py.lock pins 1.1" in mismatch.message
    assert mismatch.severity == missing.severity == Severity.WARNING


def test_a_stale_lock_gives_no_environment_verdict(
    tmp_path: Path, run_uv: Uv, pythons: dict[str, Path]
) -> None:
    # uv would lock again before syncing: the lock's own findings are the news, not the environment's.
    script = build(Case(("alpha>=2",)), tmp_path / "work", run_uv, pythons)
    environment = run_uv.check(script)["environment"]
    script.write_text(script_text(("alpha>=2", "gamma"), ">=3.10"))
    checked = check_script(script, cache=LockCache())
    assert isinstance(checked, ScriptCheck) and checked.state == "stale"
    assert check_script_environment(checked, environment, cache=LockCache(), venvs=VenvCache()) is None


def test_an_environment_whose_python_the_block_refuses_is_an_error_on_requires_python(
    tmp_path: Path, run_uv: Uv, pythons: dict[str, Path]
) -> None:
    script = build(
        CASES["requires-python raised past the environment's Python"], tmp_path / "work", run_uv, pythons
    )
    uv = run_uv.check(script)
    _, report = engine_report(script, uv["environment"])
    assert uv["replace"] and report.python_mismatch
    finding = next(f for f in report.findings if f.code == "venv-python-mismatch")
    assert finding.severity == Severity.ERROR and finding.path == script
    assert script.read_text().splitlines()[finding.range.start.line] == '# requires-python = ">=3.11"'
