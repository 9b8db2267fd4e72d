"""Add / Remove / Upgrade Dependency through Poetry and PDM themselves (pyhelper.managing), the real
tools (`.dev/tools`, installed by scripts/dev-setup) against the loopback index: pyproject.toml ends as
the tool writes it, the lock follows, the tool's own check and the engine's both call the result in
sync, and a failed resolution leaves every file byte for byte as it was with the tool's explanation.
(uv's paths run over the real helper in tests/helper/test_helper_dependencies.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement

from pyhelper.managing import DependencyChange, change_dependency
from support.index import PackageIndex
from support.tools import manager_environ, tool_path

LOCKS = {"poetry": "poetry.lock", "pdm": "pdm.lock"}
CHECKS = {"poetry": ("check", "--lock"), "pdm": ("lock", "--check")}


@pytest.fixture(scope="module")
def tool_env(index_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Poetry's and PDM's caches, config and home in one folder; PATH holds the two tools only."""
    return manager_environ(index_env, tmp_path_factory.mktemp("tool-home"))


def run(tool: str, root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tool_path(tool)), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(params=["poetry", "pdm"])
def project(
    request: pytest.FixtureRequest, tmp_path: Path, package_index: PackageIndex, tool_env: dict[str, str]
) -> tuple[str, Path]:
    """A project the tool itself locked: alpha>=1 in the main dependencies, the loopback index its only source."""
    tool: str = request.param
    root = tmp_path / tool
    root.mkdir()
    if tool == "poetry":
        extra = (
            "\n[tool.poetry]\npackage-mode = false\n\n"
            f'[[tool.poetry.source]]\nname = "local"\nurl = "{package_index.url}"\npriority = "primary"\n'
        )
    else:
        extra = f'\n[tool.pdm]\ndistribution = false\n\n[[tool.pdm.source]]\nname = "pypi"\nurl = "{package_index.url}"\n'
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
        f'dependencies = ["alpha>=1"]\n{extra}'
    )
    done = run(tool, root, {**tool_env, "PDM_PYTHON": sys.executable}, "lock")
    assert done.returncode == 0, done.stdout + done.stderr
    return tool, root


def change(tool: str, root: Path, env: dict[str, str], **fields: str) -> tuple[str, str]:
    outcome = change_dependency(
        tool,
        root,
        root,
        Path(sys.executable),
        DependencyChange(**fields),
        uv_path=None,
        environ=env,  # type: ignore[arg-type]
    )
    return outcome.status, outcome.message


def normalised(requirements: list[str]) -> list[str]:
    return [str(Requirement(requirement)) for requirement in requirements]


def locked(tool: str, root: Path) -> dict[str, str]:
    lock = tomllib.loads((root / LOCKS[tool]).read_text())
    return {package["name"]: package["version"] for package in lock.get("package", [])}


def agree_in_sync(tool: str, root: Path, env: dict[str, str]) -> None:
    """The tool's own check and `pyhelper check` both say the lock matches pyproject.toml."""
    done = run(tool, root, {**env, "PDM_PYTHON": sys.executable}, *CHECKS[tool])
    assert done.returncode == 0, done.stdout + done.stderr
    engine = subprocess.run(
        [sys.executable, "-m", "pyhelper", "check", str(root)], capture_output=True, text=True, timeout=60
    )
    assert engine.returncode == 0, engine.stdout + engine.stderr


def test_add_to_a_group_then_remove_from_the_main_dependencies(
    project: tuple[str, Path], tool_env: dict[str, str]
) -> None:
    tool, root = project
    assert change(tool, root, tool_env, change="add", package="delta>=1", kind="group", group="test") == (
        "ok",
        "Added delta>=1 to the test group.",
    )
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    # Poetry writes `delta (>=1)`, PDM `delta>=1`: the same PEP 508 requirement.
    assert normalised(pyproject["dependency-groups"]["test"]) == ["delta>=1"]
    assert locked(tool, root)["delta"] == "1.0"
    agree_in_sync(tool, root, tool_env)

    assert change(tool, root, tool_env, change="remove", package="alpha") == (
        "ok",
        "Removed alpha from the dependencies.",
    )
    assert tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"] == []
    assert "alpha" not in locked(tool, root)
    agree_in_sync(tool, root, tool_env)


def test_upgrade_to_a_chosen_version_moves_the_requirement_and_the_lock(
    project: tuple[str, Path], tool_env: dict[str, str]
) -> None:
    tool, root = project
    assert locked(tool, root)["alpha"] == "2.0"
    assert change(tool, root, tool_env, change="upgrade", package="alpha", version="1.0") == (
        "ok",
        "Upgraded alpha to 1.0.",
    )
    assert locked(tool, root)["alpha"] == "1.0"
    assert normalised(tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]) == [
        "alpha==1.0"
    ]
    agree_in_sync(tool, root, tool_env)


def test_a_failed_resolution_leaves_every_file_as_it_was_and_says_why(
    project: tuple[str, Path], tool_env: dict[str, str]
) -> None:
    tool, root = project
    before = {path.name: path.read_bytes() for path in root.iterdir() if path.is_file()}
    status, message = change(tool, root, tool_env, change="add", package="alpha>=3")
    assert status == "failed"
    assert message.startswith("Adding alpha>=3 failed; pyproject.toml and the lock were left as they were.")
    # The tool's own words, not a stack trace.
    explanation = {
        "poetry": "Could not find a matching version of package alpha",
        "pdm": "Unable to find a resolution",
    }[tool]
    assert explanation in message and "Traceback" not in message
    assert {path.name: path.read_bytes() for path in root.iterdir() if path.is_file()} == before
