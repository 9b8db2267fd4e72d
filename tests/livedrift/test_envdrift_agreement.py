"""The environment-drift verdict agrees with `uv sync --check` on venvs made and changed by real uv.

Each case locks a project with real uv against the loopback index, syncs it with a real interpreter,
changes the venv the way a user would (`uv pip install/uninstall`, another sync), and then compares
the engine's report (read from disk, no Python started) with what `uv sync --check` would change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from livedrift.livedrift_support import Run, sync_check, write_project
from pyhelper.drift.environment import EnvReport, check_environment, read_venv, select
from pyhelper.findings import Severity
from pyhelper.lockfiles import LockCache
from pyhelper.tomlfile import TomlDocument, read_toml
from support.projects import write_package

DEV = "\n[dependency-groups]\ndev = [\"beta==1.0; python_version < '3.11'\", \"beta==1.1; python_version >= '3.11'\"]\n"


@dataclass(frozen=True)
class Case:
    dependencies: tuple[str, ...]
    python: str = "3.12"
    extra: str = ""
    requires_python: str = ">=3.10"
    sync: tuple[str, ...] = ()
    """Extra arguments of the first `uv sync`."""
    then: tuple[tuple[str, ...], ...] = ()
    """uv commands run in the project afterwards (`pip install ...`)."""
    package: bool = False
    """Make the project a package (uv installs it editable)."""


CASES = {
    "synced": Case(("alpha>=2", "gamma[fast]", "epsilon"), extra=DEV),
    "synced on 3.10 (other markers hold)": Case(
        ("alpha>=2", "gamma[fast]", "epsilon"), python="3.10", extra=DEV
    ),
    "a dependency downgraded": Case(("alpha>=2", "epsilon"), then=(("pip", "install", "beta==1.0"),)),
    "a direct dependency uninstalled": Case(("alpha>=2", "gamma"), then=(("pip", "uninstall", "gamma"),)),
    "a transitive dependency uninstalled": Case(("alpha>=2",), then=(("pip", "uninstall", "beta"),)),
    "an extra package installed": Case(("alpha>=2",), then=(("pip", "install", "delta"),)),
    "pip installed into the venv": Case(("alpha>=2",), then=(("pip", "install", "pip"),)),
    "synced with an extra, checked without": Case(
        ("alpha>=2",),
        extra='\n[project.optional-dependencies]\nx = ["epsilon"]\n',
        sync=("--extra", "x"),
    ),
    "synced without the dev group": Case(("gamma",), extra=DEV, sync=("--no-dev",)),
    "default-groups chosen": Case(
        ("gamma",),
        extra='\n[dependency-groups]\ndev = ["alpha"]\nlint = ["delta"]\n\n[tool.uv]\ndefault-groups = ["lint"]\n',
    ),
    "default-groups chosen, a non-default group installed": Case(
        ("gamma",),
        extra='\n[dependency-groups]\ndev = ["alpha"]\nlint = ["delta"]\n\n[tool.uv]\ndefault-groups = ["lint"]\n',
        sync=("--group", "dev"),
    ),
    "include-group in the dev group": Case(
        ("gamma",),
        extra='\n[dependency-groups]\nbase = ["delta"]\ndev = [{include-group = "base"}, "alpha"]\n',
    ),
    "editable project": Case(("alpha>=2",), package=True),
    "editable project installed non-editable": Case(
        ("alpha>=2",),
        package=True,
        then=(("pip", "install", "--no-deps", "--reinstall", "."),),
    ),
    "the venv's Python is too old": Case(("alpha>=2",), python="3.10", requires_python=">=3.11"),
}


def engine_report(root: Path) -> EnvReport:
    doc = read_toml(root / "pyproject.toml")
    assert isinstance(doc, TomlDocument)
    snapshot = read_venv(root / ".venv")
    selection = select("uv", root / "uv.lock", root, doc, snapshot, LockCache())
    assert selection.problem is None, selection.problem
    return check_environment(doc, selection, snapshot)


def build(case: Case, root: Path, run_uv: Run, pythons: dict[str, Path]) -> None:
    extra = case.extra
    if case.package:
        extra += "\n" + write_package(root, "demo", case.dependencies)
    write_project(root, case.dependencies, requires_python=case.requires_python, extra=extra)
    run_uv(root, "lock")
    python = str(pythons[case.python])
    if case.requires_python == ">=3.10":
        run_uv(root, "sync", "--python", python, *case.sync)
    else:
        # uv sync would refuse this interpreter: make the venv the way a user's old one came to be.
        run_uv(root, "venv", "--python", python, ".venv")
    for command in case.then:
        run_uv(root, *command, "--python", str(root / ".venv" / "bin" / "python"))


@pytest.mark.parametrize("name", list(CASES))
def test_verdict_agrees_with_uv_sync_check(
    name: str, tmp_path: Path, run_uv: Run, pythons: dict[str, Path]
) -> None:
    root = tmp_path / "demo"
    build(CASES[name], root, run_uv, pythons)

    ours = engine_report(root)
    uv = sync_check(run_uv, root)

    assert ours.in_sync == uv["ok"], (ours, uv)
    assert ours.python_mismatch == uv["replace"], (ours, uv)
    if not uv["replace"]:
        assert set(ours.changed) == set(uv["changes"]), (ours, uv)


def test_the_cases_cover_both_verdicts(tmp_path: Path, run_uv: Run, pythons: dict[str, Path]) -> None:
    # The table above must hold in-sync and drifted venvs, else agreement would prove little.
    verdicts: dict[bool, list[str]] = {True: [], False: []}
    for name in ("synced", "a dependency downgraded"):
        root = tmp_path / name.replace(" ", "-")
        build(CASES[name], root, run_uv, pythons)
        verdicts[engine_report(root).in_sync].append(name)
    assert verdicts == {True: ["synced"], False: ["a dependency downgraded"]}


def test_findings_point_at_the_requirement_or_the_lock_entry(
    tmp_path: Path, run_uv: Run, pythons: dict[str, Path]
) -> None:
    root = tmp_path / "demo"
    build(
        Case(
            ("alpha>=2", "gamma"),
            then=(("pip", "install", "beta==1.0"), ("pip", "uninstall", "gamma")),
        ),
        root,
        run_uv,
        pythons,
    )
    report = engine_report(root)
    by_code = {f.code: f for f in report.findings}
    missing, mismatch = (
        by_code["venv-missing-package"],
        by_code["venv-version-mismatch"],
    )
    pyproject = (root / "pyproject.toml").read_text().splitlines()
    lock = (root / "uv.lock").read_text().splitlines()
    # gamma is a direct dependency: the finding sits on its requirement string in pyproject.toml.
    assert missing.path == root / "pyproject.toml"
    line = pyproject[missing.range.start.line]
    assert line[missing.range.start.character : missing.range.end.character] == '"gamma"'
    assert missing.related[0].path == root / "uv.lock"
    assert lock[missing.related[0].range.start.line] == 'name = "gamma"'
    # beta is only a dependency of alpha: the finding sits on its entry in uv.lock.
    assert mismatch.path == root / "uv.lock"
    assert lock[mismatch.range.start.line] == 'name = "beta"'
    assert "beta 1.0, but uv.lock pins 1.1" in mismatch.message
    assert mismatch.severity == missing.severity == Severity.WARNING
