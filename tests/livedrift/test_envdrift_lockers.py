"""The environment-drift verdict for Poetry and PDM projects agrees with the tools' own sync.

Each case locks a project with real Poetry 2.5.1 or PDM 2.29.4 (installed by scripts/dev-setup in
`.dev/tools/`) against the loopback index, installs the venv with the tool's own sync, changes it the
way a user would (`uv pip install/uninstall`), and compares the engine's report (read from disk, no
Python started) with what `poetry sync --dry-run` / `pdm sync --clean --dry-run` would change.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from livedrift.livedrift_support import Tool, tool_changes, write_project
from pyhelper.drift.environment import EnvReport, check_environment, read_venv, select
from pyhelper.lockfiles import LockCache
from pyhelper.tomlfile import TomlDocument, read_toml
from support.index import PackageIndex
from support.projects import write_package

LOCKS = {"poetry": "poetry.lock", "pdm": "pdm.lock"}


@dataclass(frozen=True)
class Case:
    dependencies: tuple[str, ...]
    then: tuple[tuple[str, ...], ...] = ()
    """uv commands run on the venv afterwards (`pip install ...`)."""
    package: bool = False
    """The project installs itself (Poetry's package mode, PDM's distribution)."""
    without_project: bool = False
    """The first sync leaves the project out (`poetry sync --no-root`, `pdm sync --no-self`)."""


CASES = {
    "synced": Case(("alpha>=2", "gamma[fast]")),
    # One venv changed three ways keeps the (slow) tool runs few: each change is compared by name.
    "downgraded, uninstalled and extra": Case(
        ("alpha>=2", "gamma"),
        then=(("pip", "install", "beta==1.0", "epsilon"), ("pip", "uninstall", "gamma")),
    ),
    "the project installed": Case(("gamma",), package=True),
    "the project not installed": Case(("gamma",), package=True, without_project=True),
}


def tool_section(tool: str, index: PackageIndex, package: bool) -> str:
    if tool == "poetry":
        mode = "true" if package else "false"
        return (
            f"\n[tool.poetry]\npackage-mode = {mode}\n\n"
            f'[[tool.poetry.source]]\nname = "local"\nurl = "{index.url}"\npriority = "primary"\n'
        )
    distribution = "true" if package else "false"
    return f'\n[tool.pdm]\ndistribution = {distribution}\n\n[[tool.pdm.source]]\nname = "pypi"\nurl = "{index.url}"\n'


def build(
    tool: str,
    case: Case,
    root: Path,
    run_tool: Tool,
    uv: Path,
    index: PackageIndex,
    env: dict[str, str],
    python: Path,
) -> None:
    root.mkdir(parents=True)
    extra = tool_section(tool, index, case.package)
    if case.package:
        extra += "\n" + write_package(root, "demo", case.dependencies)
    write_project(root, case.dependencies, extra=extra)
    venv_python = root / ".venv" / "bin" / "python"
    if tool == "poetry":
        run_tool(tool, root, "lock")
        run_tool(tool, root, "env", "use", str(python))
    else:
        subprocess.run(
            [str(uv), "venv", "-q", "--python", str(python), ".venv"], cwd=root, env=env, check=True
        )
        run_tool(tool, root, "lock")
    skip_project = {"poetry": "--no-root", "pdm": "--no-self"}[tool]
    run_tool(tool, root, "sync", *([skip_project] if case.without_project else []))
    for command in case.then:
        subprocess.run([str(uv), *command, "--python", str(venv_python)], cwd=root, env=env, check=True)


def engine_report(tool: str, root: Path) -> EnvReport:
    doc = read_toml(root / "pyproject.toml")
    assert isinstance(doc, TomlDocument)
    snapshot = read_venv(root / ".venv")
    selection = select(tool, root / LOCKS[tool], root, doc, snapshot, LockCache())
    assert selection.problem is None, selection.problem
    return check_environment(doc, selection, snapshot)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("tool", ["poetry", "pdm"])
def test_verdict_agrees_with_the_tools_own_sync(
    tool: str,
    name: str,
    tmp_path: Path,
    run_tool: Tool,
    uv: Path,
    package_index: PackageIndex,
    index_env: dict[str, str],
    pythons: dict[str, Path],
) -> None:
    root = tmp_path / "demo"
    case = CASES[name]
    build(tool, case, root, run_tool, uv, package_index, index_env, pythons["3.12"])

    ours = engine_report(tool, root)
    theirs = tool_changes(tool, root, run_tool)
    installed = any((root / ".venv" / "lib" / "python3.12" / "site-packages").glob("demo-*.dist-info"))
    if case.package and not installed:
        theirs.add("demo")  # the project itself, which the tool's sync would install

    assert set(ours.changed) == theirs, (ours, theirs)
    assert ours.in_sync == (not theirs), (ours, theirs)
