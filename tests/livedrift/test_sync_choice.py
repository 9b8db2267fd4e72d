"""Groups and extras chosen for a venv (`lockstep.sync.groups` / `lockstep.sync.extras`): Create and Sync
install exactly the lock's selection for the choice, and the environment drift check, given the same
choice, agrees with the manager's own sync check given the same choice in its own flags.

One project per manager, locked by the real tool (uv 0.13.9, Poetry 2.5.1, PDM 2.29.4) against the
loopback index: main `alpha>=2` (with beta), a group `dev` (epsilon) that the manager syncs by default,
a group `docs` (delta) and an extra `x` (gamma). PDM syncs every dev group by default, so its `docs` is
a default group too and the exact choice is what leaves `dev` out.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from livedrift.livedrift_support import Run, Tool, sync_check, tool_changes, write_project
from pyhelper.drift.environment import EnvReport, check_environment, read_venv, select
from pyhelper.environments import EnvironmentOptions, Environments
from pyhelper.lockfiles import LockCache
from pyhelper.lockfiles.choice import SyncChoice, uv_sync_flags
from pyhelper.projects import Project
from pyhelper.tomlfile import TomlDocument, read_toml
from support.index import PackageIndex
from support.projects import installed

LOCKS = {"uv": "uv.lock", "poetry": "poetry.lock", "pdm": "pdm.lock"}
EXTRA = '\n[project.optional-dependencies]\nx = ["gamma"]\n'
MAIN = {"alpha": "2.0", "beta": "1.1"}


class Chosen(NamedTuple):
    choice: SyncChoice
    poetry: tuple[str, ...]
    """`poetry sync`'s flags for the same choice (uv's are `uv_sync_flags`)."""
    pdm: tuple[str, ...]
    installs: dict[str, str]


# The defaults with docs and the extra: every group and the extra.
WIDER = Chosen(
    SyncChoice.from_names([":default:", "docs"], ["x"]),
    ("--with", "docs", "--extras", "x"),
    ("-G", "dev", "-G", "docs", "-G", "x"),
    {**MAIN, "epsilon": "1.0", "delta": "1.0", "gamma": "0.1"},
)
# Exactly docs: the default group dev left out (`uv sync --no-default-groups --group docs`).
EXACT = Chosen(
    SyncChoice.from_names(["docs"], []),
    ("--only", "main,docs"),
    ("-G", "docs"),
    {**MAIN, "delta": "1.0"},
)


def groups_section(tool: str, index: PackageIndex) -> str:
    if tool == "uv":
        return '\n[dependency-groups]\ndev = ["epsilon"]\ndocs = ["delta"]\n'
    if tool == "poetry":
        return (
            '\n[tool.poetry]\npackage-mode = false\n\n[tool.poetry.group.dev.dependencies]\nepsilon = "*"\n\n'
            '[tool.poetry.group.docs]\noptional = true\n\n[tool.poetry.group.docs.dependencies]\ndelta = "*"\n\n'
            f'[[tool.poetry.source]]\nname = "local"\nurl = "{index.url}"\npriority = "primary"\n'
        )
    return (
        '\n[dependency-groups]\ndev = ["epsilon"]\ndocs = ["delta"]\n\n[tool.pdm]\ndistribution = false\n\n'
        f'[[tool.pdm.source]]\nname = "pypi"\nurl = "{index.url}"\n'
    )


def lock(tool: str, root: Path, run_uv: Run, run_tool: Tool, python: Path) -> None:
    if tool == "uv":
        run_uv(root, "lock", "--python", str(python))
        return
    if tool == "pdm":
        # PDM locks for the interpreter PDM_PYTHON names (the venv's, not made yet): the base one.
        (root / ".venv" / "bin").mkdir(parents=True)
        (root / ".venv" / "bin" / "python").symlink_to(python)
    # PDM locks the default and dev groups unless told: the extra too, as projects with extras do.
    run_tool(tool, root, "lock", *(["-G", ":all"] if tool == "pdm" else []))
    # Poetry makes its venv as it locks: Lockstep's Create is to make it.
    shutil.rmtree(root / ".venv")


def engine_report(tool: str, root: Path, choice: SyncChoice) -> EnvReport:
    doc = read_toml(root / "pyproject.toml")
    assert isinstance(doc, TomlDocument)
    snapshot = read_venv(root / ".venv")
    selection = select(tool, root / LOCKS[tool], root, doc, snapshot, LockCache(), choice)
    assert selection.problem is None, selection.problem
    return check_environment(doc, selection, snapshot)


def tool_verdict(tool: str, root: Path, run_uv: Run, run_tool: Tool, chosen: Chosen | None) -> set[str]:
    """What the manager's own sync would change, with the choice's flags (None: its defaults)."""
    if tool == "uv":
        flags = uv_sync_flags(chosen.choice) if chosen else []
        return set(sync_check(run_uv, root, *flags)["changes"])
    flags = (chosen.poetry if tool == "poetry" else chosen.pdm) if chosen else ()
    return tool_changes(tool, root, run_tool, *flags)


@pytest.mark.parametrize("tool", ["uv", "poetry", "pdm"])
def test_create_and_sync_install_the_chosen_groups_and_drift_agrees_with_the_tool(
    tool: str,
    tmp_path: Path,
    run_uv: Run,
    run_tool: Tool,
    package_index: PackageIndex,
    index_env: dict[str, str],
    pythons: dict[str, Path],
) -> None:
    root = write_project(tmp_path / "demo", ["alpha>=2"], extra=EXTRA + groups_section(tool, package_index))
    lock(tool, root, run_uv, run_tool, pythons["3.12"])
    project = Project(root, tool, root / LOCKS[tool], ">=3.10", name="demo")  # type: ignore[arg-type]
    environments = Environments(index_env, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal")

    created = environments.create(project, pythons["3.12"], settings=EnvironmentOptions(choice=WIDER.choice))
    assert created.status == "ok", created
    assert installed(root / ".venv") == WIDER.installs
    assert engine_report(tool, root, WIDER.choice).in_sync
    assert tool_verdict(tool, root, run_uv, run_tool, WIDER) == set()
    # With the manager's defaults, what the choice added is extraneous to both (PDM's defaults are the
    # lock's groups, which hold every group and the extra: in sync there too).
    defaults = engine_report(tool, root, SyncChoice())
    assert set(defaults.changed) == tool_verdict(tool, root, run_uv, run_tool, None), defaults
    assert set(defaults.changed) == ({"delta", "gamma"} if tool != "pdm" else set())

    synced = environments.sync(project, settings=EnvironmentOptions(choice=EXACT.choice))
    assert synced.status == "ok", synced
    assert installed(root / ".venv") == EXACT.installs
    assert engine_report(tool, root, EXACT.choice).in_sync
    assert tool_verdict(tool, root, run_uv, run_tool, EXACT) == set()
    # A group chosen and not installed is missing, for both.
    wider = engine_report(tool, root, WIDER.choice)
    assert wider.missing == 2
    assert set(wider.changed) == tool_verdict(tool, root, run_uv, run_tool, WIDER) == {"epsilon", "gamma"}
