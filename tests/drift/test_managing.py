"""The command each manager gets for Add / Remove / Upgrade Dependency (`pyhelper.managing`): its own
flags for the target, never an install (Lockstep syncs afterwards) unless uv's own sync is asked for,
never a hand edit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pyhelper.managing import DependencyChange, change_arguments, describe, uv_lock_writes
from support.projects import uv_project

ADD_TEST = DependencyChange("add", "httpx>=0.27", "group", "test")


@pytest.mark.parametrize(
    ("manager", "change", "arguments"),
    [
        ("uv", DependencyChange("add", "httpx>=0.27"), ["add", "--no-sync", "httpx>=0.27"]),
        ("uv", ADD_TEST, ["add", "--no-sync", "--group", "test", "httpx>=0.27"]),
        (
            "uv",
            DependencyChange("add", "rich", "extra", "cli"),
            ["add", "--no-sync", "--optional", "cli", "rich"],
        ),
        (
            "uv",
            DependencyChange("remove", "rich", "extra", "cli"),
            ["remove", "--no-sync", "--optional", "cli", "rich"],
        ),
        ("uv", DependencyChange("upgrade", "alpha"), ["lock", "--upgrade-package", "alpha"]),
        (
            "uv",
            DependencyChange("upgrade", "alpha", version="2.0"),
            ["lock", "--upgrade-package", "alpha==2.0"],
        ),
        ("poetry", ADD_TEST, ["add", "--lock", "--group", "test", "httpx>=0.27"]),
        (
            "poetry",
            DependencyChange("add", "rich", "extra", "cli"),
            ["add", "--lock", "--optional", "cli", "rich"],
        ),
        ("poetry", DependencyChange("remove", "rich", "extra", "cli"), ["remove", "--lock", "rich"]),
        (
            "poetry",
            DependencyChange("remove", "gamma", "group", "dev"),
            ["remove", "--lock", "--group", "dev", "gamma"],
        ),
        ("poetry", DependencyChange("upgrade", "alpha"), ["update", "--lock", "alpha"]),
        ("poetry", DependencyChange("upgrade", "alpha", version="2.0"), ["add", "--lock", "alpha==2.0"]),
        ("pdm", ADD_TEST, ["add", "--no-sync", "-dG", "test", "httpx>=0.27"]),
        ("pdm", DependencyChange("add", "rich", "extra", "cli"), ["add", "--no-sync", "-G", "cli", "rich"]),
        (
            "pdm",
            DependencyChange("remove", "gamma", "dev", "lint"),
            ["remove", "--no-sync", "-dG", "lint", "gamma"],
        ),
        ("pdm", DependencyChange("upgrade", "alpha"), ["update", "--no-sync", "alpha"]),
    ],
)
def test_each_manager_gets_its_own_command(
    manager: str, change: DependencyChange, arguments: list[str]
) -> None:
    assert change_arguments(manager, change) == arguments


@pytest.mark.parametrize(
    ("manager", "change", "arguments"),
    [
        ("uv", ADD_TEST, ["add", "--group", "test", "httpx>=0.27"]),
        ("uv", DependencyChange("remove", "rich", "extra", "cli"), ["remove", "--optional", "cli", "rich"]),
        (
            "uv",
            DependencyChange("upgrade", "alpha", version="2.0"),
            ["sync", "--upgrade-package", "alpha==2.0"],
        ),
        # Only uv's sync can stand in for Lockstep's: the others still install nothing.
        ("poetry", ADD_TEST, ["add", "--lock", "--group", "test", "httpx>=0.27"]),
        ("pdm", DependencyChange("upgrade", "alpha"), ["update", "--no-sync", "alpha"]),
    ],
)
def test_uv_s_own_sync_drops_only_uv_s_no_sync(
    manager: str, change: DependencyChange, arguments: list[str]
) -> None:
    assert change_arguments(manager, change, sync=True) == arguments


@pytest.mark.parametrize("manager", ["hatch", "pep621"])
def test_a_project_without_a_managing_tool_is_told_why_and_nothing_is_edited(manager: str) -> None:
    why = change_arguments(manager, ADD_TEST)
    assert isinstance(why, str) and "by hand" in why and manager in why


def test_the_answer_names_the_package_and_the_target() -> None:
    assert describe(ADD_TEST) == "Added httpx>=0.27 to the test group."
    assert describe(DependencyChange("remove", "rich", "extra", "cli")) == "Removed rich from the extra cli."
    assert describe(DependencyChange("upgrade", "alpha", version="2.0")) == "Upgraded alpha to 2.0."


@pytest.mark.parametrize(
    ("change", "writes"),
    [
        (DependencyChange("add", "httpx"), 2),  # uv puts `httpx>=x.y` into pyproject.toml, locks again
        (DependencyChange("add", "httpx[http2]", "group", "test"), 2),
        (DependencyChange("add", "httpx>=0.27"), 1),
        (DependencyChange("add", "httpx @ https://example.org/httpx-0.27-py3-none-any.whl"), 1),
        (DependencyChange("add", "./vendor/httpx"), 1),
        (DependencyChange("remove", "httpx"), 1),
        (DependencyChange("upgrade", "httpx"), 1),
    ],
)
def test_uv_writes_the_lock_again_only_for_a_bare_registry_name(
    change: DependencyChange, writes: int
) -> None:
    assert uv_lock_writes(change) == writes


LOCK_PASS = ("Resolving despite existing lockfile", "Existing `uv.lock` satisfies")
"""What uv -v says once per lock operation (uv 0.13.9's `LockOperation`), each writing uv.lock if it changed."""


@pytest.mark.parametrize(
    "change",
    [
        DependencyChange("add", "delta"),
        DependencyChange("add", "gamma[fast]", "group", "test"),
        DependencyChange("add", "delta>=1"),
        DependencyChange("remove", "alpha"),
        DependencyChange("upgrade", "alpha"),
    ],
    ids=["bare", "bare-in-a-group", "with-a-version", "remove", "upgrade"],
)
def test_uv_locks_as_often_as_uv_lock_writes_says(
    tmp_path: Path, uv: Path, index_env: dict[str, str], change: DependencyChange
) -> None:
    """Real uv against the loopback index, verbose: its lock operations for each change."""
    root = uv_project(tmp_path / "app", uv, index_env, ["alpha>=1"], name="app")
    arguments = change_arguments("uv", change)
    assert isinstance(arguments, list)
    done = subprocess.run(
        [str(uv), *arguments, "-v"], cwd=root, env=index_env, capture_output=True, text=True, check=True
    )
    passes = [line for line in done.stderr.splitlines() if any(said in line for said in LOCK_PASS)]
    assert len(passes) == uv_lock_writes(change), passes
