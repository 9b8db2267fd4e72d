"""The environment-drift verdict for Poetry and PDM projects agrees with the tools' own sync.

Each case locks a project with real Poetry 2.5.1 or PDM 2.29.4 (installed by scripts/dev-setup in
`.dev/tools/`) against the loopback index, installs the venv with the tool's own sync, changes it the
way a user would (`uv pip install/uninstall`), and compares the engine's report (read from disk, no
Python started) with what `poetry sync --dry-run` / `pdm sync --clean --dry-run` would change.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from livedrift.livedrift_support import write_project
from pyhelper.drift.environment import EnvReport, check_environment, read_venv, select
from pyhelper.lockfiles import LockCache
from pyhelper.tomlfile import TomlDocument, read_toml
from support.index import PackageIndex
from support.projects import write_package

TOOLS = Path(__file__).resolve().parents[2] / ".dev" / "tools"
LOCKS = {"poetry": "poetry.lock", "pdm": "pdm.lock"}
# Poetry: "  - Updating beta (1.0 -> 1.1)"; PDM, under "Packages to add:" and the like: "  - beta 1.1".
POETRY_CHANGE = re.compile(r"^\s+- (?:Installing|Updating|Downgrading|Removing) (\S+) \((?!.*Skipped)")
PDM_CHANGE = re.compile(r"^\s+- (\S+) \S")

Tool = Callable[..., subprocess.CompletedProcess[str]]


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


def tool_path(name: str) -> Path:
    path = TOOLS / name / "bin" / name
    assert path.is_file(), f"{path} is missing: run scripts/dev-setup"
    return path


@pytest.fixture(scope="module")
def run_tool(index_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Tool:
    """`run_tool("poetry", root, "sync", ...)`: the real tool in `root`, its caches, config and home in
    one folder of this module's (warm caches after the first case), the loopback index the only source."""
    home = tmp_path_factory.mktemp("tool-home")
    env = {
        **index_env,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "NO_COLOR": "1",
        "POETRY_VIRTUALENVS_IN_PROJECT": "true",
        "POETRY_NO_INTERACTION": "1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "PDM_CHECK_UPDATE": "false",
        "PDM_IGNORE_SAVED_PYTHON": "1",
        "PDM_NON_INTERACTIVE": "1",
    }

    def run(name: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        extra = {"PDM_PYTHON": str(root / ".venv" / "bin" / "python")} if name == "pdm" else {}
        done = subprocess.run(
            [str(tool_path(name)), *args],
            cwd=root,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, (
            f"{name} {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
        return done

    return run


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


def tool_changes(tool: str, root: Path, run_tool: Tool) -> set[str]:
    """The packages the tool's own sync would install, update or remove."""
    if tool == "poetry":
        out = run_tool(tool, root, "sync", "--dry-run").stdout
        # Poetry reinstalls the project itself on every sync; whether it is there is asked of the venv.
        return {m.group(1) for line in out.splitlines() if (m := POETRY_CHANGE.match(line))}
    out = run_tool(tool, root, "sync", "--clean", "--dry-run").stdout
    return {m.group(1) for line in out.splitlines() if (m := PDM_CHANGE.match(line))}


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
