"""Project detection (pyhelper.projects, pyhelper.venvs) on real folder trees, without a server; the
projects and venvs are checked as the client receives them (`pyhelper.lsp.payloads`)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from helper.helper_support import (
    interpreter_version,
    make_uv_venv,
    real_interpreter,
    write_tree,
)
from pyhelper.codes import TOML_SYNTAX
from pyhelper.drift.lock import check_project, is_drift
from pyhelper.lsp.payloads import project_info, venv_info
from pyhelper.lsp.protocol import ProjectInfo, VenvInfo
from pyhelper.projects import (
    Scan,
    classify_manager,
    find_python_version,
    glob_matches,
    scan_workspace,
)
from pyhelper.venvs import VenvSetting, describe_venv, normalise_version, read_pyvenv_cfg
from pyhelper.walk import find_pyprojects, is_excluded_name
from support.tools import uv_offline

PROJECT = '[project]\nname = "{name}"\nversion = "1.0"\nrequires-python = ">=3.10"\n'


def infos(scan: Scan) -> list[ProjectInfo]:
    return [project_info(project) for project in scan.projects]


def venv_payload(venv: Path) -> VenvInfo | None:
    described = describe_venv(venv)
    return venv_info(described) if described else None


def by_root(projects: list[ProjectInfo], base: Path) -> dict[str, ProjectInfo]:
    return {str(Path(project["root"]).relative_to(base)): project for project in projects}


def test_finds_root_and_nested_projects_sorted(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": PROJECT.format(name="top"),
            "libs/a/pyproject.toml": PROJECT.format(name="a"),
            "libs/b/deeper/pyproject.toml": PROJECT.format(name="b"),
            "docs/readme.txt": "no project here",
        },
    )
    assert find_pyprojects(tmp_path) == [
        tmp_path / "libs/a/pyproject.toml",
        tmp_path / "libs/b/deeper/pyproject.toml",
        tmp_path / "pyproject.toml",
    ]
    scan = scan_workspace([tmp_path], environ={})
    assert [project["name"] for project in infos(scan)] == ["top", "a", "b"]
    assert [project["root"] for project in infos(scan)] == sorted(project["root"] for project in infos(scan))


def test_skips_builtin_and_configured_excludes(tmp_path: Path) -> None:
    skipped = [".venv", "venv", "node_modules", ".git", "__pycache__", ".tox", ".nox"]
    files = {f"{name}/pkg/pyproject.toml": PROJECT.format(name=name) for name in skipped}
    files.update(
        {
            "any-env-name/pyvenv.cfg": "home = /usr/bin\n",
            "any-env-name/lib/pyproject.toml": PROJECT.format(name="inside-venv"),
            "vendored/x/pyproject.toml": PROJECT.format(name="vendored"),
            "build-1/pyproject.toml": PROJECT.format(name="build-1"),
            "kept/pyproject.toml": PROJECT.format(name="kept"),
        }
    )
    write_tree(tmp_path, files)
    assert find_pyprojects(tmp_path, exclude=["vendored", "build-*"]) == [tmp_path / "kept/pyproject.toml"]
    # Without the configured entries the same tree shows those two again.
    assert len(find_pyprojects(tmp_path)) == 3


def test_exclude_names_and_patterns() -> None:
    assert is_excluded_name("node_modules", ())
    assert is_excluded_name("third_party", ("third_party",))
    assert is_excluded_name("build-linux", ("build-*",))
    assert not is_excluded_name("src", ("build-*", "third_party"))


def test_does_not_follow_folder_links(tmp_path: Path) -> None:
    write_tree(tmp_path, {"real/pyproject.toml": PROJECT.format(name="real")})
    (tmp_path / "real" / "loop").symlink_to(tmp_path)
    assert find_pyprojects(tmp_path) == [tmp_path / "real/pyproject.toml"]


@pytest.mark.parametrize(
    ("pyproject", "files", "expected"),
    [
        (PROJECT, ["uv.lock"], "uv"),
        (PROJECT + "[tool.uv]\ndev-dependencies = []\n", [], "uv"),
        (PROJECT, ["poetry.lock"], "poetry"),
        ('[tool.poetry]\nname = "p"\n', [], "poetry"),
        (
            PROJECT + '[build-system]\nbuild-backend = "poetry.core.masonry.api"\n',
            [],
            "poetry",
        ),
        (PROJECT, ["pdm.lock"], "pdm"),
        (PROJECT + "[tool.pdm]\ndistribution = true\n", [], "pdm"),
        (PROJECT + "[tool.hatch.envs.default]\ndependencies = []\n", [], "hatch"),
        (PROJECT, ["hatch.toml"], "hatch"),
        # Build configuration alone is the hatchling backend, used by projects of every manager.
        (PROJECT + '[tool.hatch.version]\npath = "p.py"\n', [], "pep621"),
        (PROJECT, [], "pep621"),
        # A lockfile is stronger evidence than a tool table left behind by a migration.
        (PROJECT + '[tool.poetry]\nname = "p"\n', ["uv.lock"], "uv"),
        (PROJECT + "[tool.uv]\n", ["poetry.lock"], "poetry"),
    ],
)
def test_manager_classification(tmp_path: Path, pyproject: str, files: list[str], expected: str) -> None:
    write_tree(tmp_path, {"pyproject.toml": pyproject, **dict.fromkeys(files, "")})
    (project,) = infos(scan_workspace([tmp_path], environ={}))
    assert project["manager"] == expected
    lockfile = {"uv": "uv.lock", "poetry": "poetry.lock", "pdm": "pdm.lock"}.get(expected)
    assert project["lockfile"] == (str(tmp_path / lockfile) if lockfile in files else None)


def test_classify_manager_without_a_readable_pyproject() -> None:
    assert classify_manager(None, {"pyproject.toml", "pdm.lock"}) == "pdm"
    assert classify_manager(None, {"pyproject.toml"}) == "pep621"


def test_payload_shape(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="shape"), "uv.lock": ""})
    (project,) = infos(scan_workspace([tmp_path], environ={}))
    assert project == {
        "name": "shape",
        "root": str(tmp_path),
        "pyproject": str(tmp_path / "pyproject.toml"),
        "manager": "uv",
        "lockfile": str(tmp_path / "uv.lock"),
        "pylock": [],
        "requiresPython": ">=3.10",
        "pythonVersion": None,
        "venv": None,
        "workspaceRoot": None,
        "pyprojectError": None,
    }


def test_poetry_name_without_project_table(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": '[tool.poetry]\nname = "classic"\n'})
    (project,) = infos(scan_workspace([tmp_path], environ={}))
    assert (project["name"], project["requiresPython"]) == ("classic", None)


UV_WORKSPACE_ROOT = """
[project]
name = "root"
version = "0.1"

[tool.uv.workspace]
members = ["packages/*", "tools/**"]
exclude = ["packages/seeds"]
"""
UV_WORKSPACE = {
    "pyproject.toml": UV_WORKSPACE_ROOT,
    "uv.lock": "",
    "packages/alpha/pyproject.toml": PROJECT.format(name="alpha"),
}


def test_uv_workspace_members_share_root_lock_and_venv(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **UV_WORKSPACE,
            "packages/beta/pyproject.toml": PROJECT.format(name="beta") + "[tool.poetry]\n",
            "packages/seeds/pyproject.toml": PROJECT.format(name="seeds"),
            "packages/seeds/poetry.lock": "",
            "tools/deep/nested/pyproject.toml": PROJECT.format(name="nested"),
            "scripts/loose/pyproject.toml": PROJECT.format(name="loose"),
        },
    )
    make_uv_venv(tmp_path / ".venv")
    projects = by_root(infos(scan_workspace([tmp_path], environ={})), tmp_path)
    for member in (".", "packages/alpha", "packages/beta", "tools/deep/nested"):
        assert projects[member]["workspaceRoot"] == str(tmp_path), member
        assert projects[member]["manager"] == "uv", member
        assert projects[member]["lockfile"] == str(tmp_path / "uv.lock"), member
        venv = projects[member]["venv"]
        assert venv is not None and venv["path"] == str(tmp_path / ".venv"), member
    # Excluded and unlisted folders are projects of their own.
    assert projects["packages/seeds"]["workspaceRoot"] is None
    assert projects["packages/seeds"]["manager"] == "poetry"
    assert projects["packages/seeds"]["lockfile"] == str(tmp_path / "packages/seeds/poetry.lock")
    assert projects["packages/seeds"]["venv"] is None
    assert projects["scripts/loose"]["workspaceRoot"] is None
    assert projects["scripts/loose"]["manager"] == "pep621"


def test_member_folder_opened_alone_finds_its_workspace_root(tmp_path: Path) -> None:
    write_tree(tmp_path, UV_WORKSPACE)
    (project,) = infos(scan_workspace([tmp_path / "packages/alpha"], environ={}))
    assert project["workspaceRoot"] == str(tmp_path)
    assert project["lockfile"] == str(tmp_path / "uv.lock")


NESTED_WORKSPACE = """\
[project]
name = "g"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = []

[tool.uv.workspace]
members = ["mid/app"]
"""


@pytest.mark.parametrize("opened", [".", "mid/app"], ids=["workspace-opened", "member-opened"])
@pytest.mark.parametrize(
    "mid", ["[tool.ruff]\nline-length = 100\n", PROJECT.format(name="mid")], ids=["tool-settings", "project"]
)
def test_a_member_below_another_pyproject_stands_alone_as_uv_runs_it(
    tmp_path: Path, uv: Path, mid: str, opened: str
) -> None:
    """The workspace lists mid/app, but uv run in mid/app stops at mid's pyproject.toml (uv's
    find_workspace: a project or tool settings there) and locks app on its own. Every Lockstep command
    for app runs there, so app is a project of its own, with its own lock."""
    app = tmp_path / "mid" / "app"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": NESTED_WORKSPACE,
            "mid/pyproject.toml": mid,
            "mid/app/pyproject.toml": PROJECT.format(name="app"),
        },
    )
    assert uv_offline(uv, app, "lock") == 0
    assert (app / "uv.lock").is_file() and not (tmp_path / "uv.lock").exists()
    projects = by_root(infos(scan_workspace([tmp_path / opened], environ={})), tmp_path)
    assert projects["mid/app"]["workspaceRoot"] is None
    assert projects["mid/app"]["lockfile"] == str(app / "uv.lock")
    assert uv_offline(uv, app, "lock", "--check") == 0
    assert check_project(app) == []
    # And app is checked against its own lock: a change uv must re-lock for is drift there.
    (app / "pyproject.toml").write_text(PROJECT.format(name="app").replace(">=3.10", ">=3.11"))
    assert uv_offline(uv, app, "lock", "--check") != 0
    assert is_drift(check_project(app))
    # Without a lock of its own, app is not checked against the lock uv writes when run in the
    # workspace root, which holds app as a member: a change that lock misses is none of app's.
    (app / "uv.lock").unlink()
    assert uv_offline(uv, tmp_path, "lock") == 0
    (app / "pyproject.toml").write_text(PROJECT.format(name="app").replace(">=3.10", ">=3.12"))
    assert uv_offline(uv, tmp_path, "lock", "--check") != 0
    projects = by_root(infos(scan_workspace([tmp_path / opened], environ={})), tmp_path)
    assert (projects["mid/app"]["workspaceRoot"], projects["mid/app"]["lockfile"]) == (None, None)
    assert check_project(app) == []


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("packages/*", "packages/a", True),
        ("packages/*", "packages/a/b", False),
        ("./packages/*/", "packages/a", True),
        ("packages/**", "packages/a/b", True),
        ("**/lib-?", "x/y/lib-1", True),
        ("libs/[ab]*", "libs/c", False),
        ("docs", "docs", True),
    ],
)
def test_workspace_globs(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, Path(path)) is expected


def test_python_version_is_looked_up_to_the_workspace_folder(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    write_tree(
        tmp_path,
        {
            ".python-version": "3.9\n",  # above the workspace folder: not looked at
            "folder/.python-version": "  3.12\n",
            "folder/app/pyproject.toml": PROJECT.format(name="app"),
            "folder/pinned/pyproject.toml": PROJECT.format(name="pinned"),
            "folder/pinned/.python-version": "cpython@3.13\n3.12\n",
            "other/pyproject.toml": PROJECT.format(name="other"),
        },
    )
    projects = by_root(infos(scan_workspace([folder], environ={})), folder)
    assert projects["app"]["pythonVersion"] == "3.12"
    assert projects["pinned"]["pythonVersion"] == "cpython@3.13\n3.12"
    assert find_python_version(tmp_path / "other", tmp_path / "other") is None
    assert find_python_version(tmp_path / "other", tmp_path) == "3.9"


def test_pylock_files_are_noted(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": PROJECT.format(name="p"),
            "pylock.toml": "",
            "pylock.dev.toml": "",
            "pylock.not.valid.toml": "",
            "pylock-toml": "",
        },
    )
    (project,) = infos(scan_workspace([tmp_path], environ={}))
    assert project["pylock"] == [
        str(tmp_path / "pylock.dev.toml"),
        str(tmp_path / "pylock.toml"),
    ]
    assert project["manager"] == "pep621"
    assert project["lockfile"] is None


def test_malformed_pyproject_is_listed_with_a_finding_at_its_line(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "x"\ndependencies = [\n  "a",\n  oops\n]\n'},
    )
    (tmp_path / "pdm.lock").write_text("")
    scan = scan_workspace([tmp_path], environ={})
    (project,) = infos(scan)
    # The lock still decides the manager; the name is salvaged from the lines that read cleanly.
    assert (project["manager"], project["name"]) == ("pdm", "x")
    assert (project["pyprojectError"] or "").startswith("pyproject.toml is not valid TOML (line 5): ")
    (finding,) = scan.findings[tmp_path / "pyproject.toml"]
    assert finding.code == TOML_SYNTAX
    assert finding.range.start.line == 4


def test_clean_pyprojects_have_no_findings(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="ok")})
    assert scan_workspace([tmp_path], environ={}).findings == {tmp_path / "pyproject.toml": ()}


def test_undecodable_pyproject_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "\xff"\n')
    scan = scan_workspace([tmp_path], environ={})
    assert [finding.code for finding in scan.findings[tmp_path / "pyproject.toml"]] == [TOML_SYNTAX]
    assert len(scan.projects) == 1


def test_venv_made_by_uv_is_read_without_running_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PROJECT.format(name="v"), "uv.lock": ""})
    make_uv_venv(tmp_path / ".venv")
    (project,) = infos(scan_workspace([tmp_path], environ={}))
    assert project["venv"] == {
        "path": str(tmp_path / ".venv"),
        "name": ".venv",
        "python": str(tmp_path / ".venv" / "bin" / "python"),
        "version": interpreter_version(real_interpreter()),
        "resolved": str(tmp_path / ".venv"),
        "link": False,
        "listedIn": None,
    }


def test_venv_made_by_the_standard_library(tmp_path: Path) -> None:
    subprocess.run(
        [str(real_interpreter()), "-m", "venv", "--without-pip", str(tmp_path / "env")],
        check=True,
    )
    config = read_pyvenv_cfg(tmp_path / "env")
    assert config is not None and "version" in config and "version_info" not in config
    info = venv_payload(tmp_path / "env")
    assert info is not None
    assert info["version"] == interpreter_version(real_interpreter())
    assert info["python"] == str(tmp_path / "env" / "bin" / "python")


def test_venv_with_a_removed_base_interpreter_has_no_python(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    write_tree(venv, {"pyvenv.cfg": "home = /gone\nversion_info = 3.12.1\n", "bin/": ""})
    (venv / "bin" / "python").symlink_to("/gone/python3.12")
    assert venv_payload(venv) == {
        "path": str(venv),
        "name": ".venv",
        "python": None,
        "version": "3.12.1",
        "resolved": str(venv),
        "link": False,
        "listedIn": None,
    }
    assert venv_payload(tmp_path / "not-a-venv") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3.12.7", "3.12.7"),
        ("3.12", "3.12"),
        ("3.12.7.final.0", "3.12.7"),
        ("3.13.0.candidate.1", "3.13.0rc1"),
        ("3.14.0.alpha.3", "3.14.0a3"),
        (" odd ", "odd"),
    ],
)
def test_version_normalisation(raw: str, expected: str) -> None:
    assert normalise_version(raw) == expected


@pytest.mark.parametrize(("setting", "relative"), [("custom-env", True), ("absolute", False)])
def test_uv_project_environment(tmp_path: Path, setting: str, relative: bool) -> None:
    write_tree(tmp_path / "p", {"pyproject.toml": PROJECT.format(name="p"), "uv.lock": ""})
    write_tree(tmp_path / "q", {"pyproject.toml": PROJECT.format(name="q"), "poetry.lock": ""})
    target = tmp_path / "p" / setting if relative else tmp_path / "elsewhere" / "env"
    make_uv_venv(target)
    make_uv_venv(tmp_path / "q" / ".venv")
    environ: dict[str, Any] = {"UV_PROJECT_ENVIRONMENT": setting if relative else str(target)}
    projects = by_root(infos(scan_workspace([tmp_path], environ=environ)), tmp_path)
    uv_venv, poetry_venv = projects["p"]["venv"], projects["q"]["venv"]
    assert uv_venv is not None and uv_venv["path"] == str(target)
    # uv's variable is uv's: a Poetry project keeps its in-project .venv.
    assert poetry_venv is not None and poetry_venv["path"] == str(tmp_path / "q" / ".venv")


def test_overlapping_folders_list_each_project_once(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "a/pyproject.toml": PROJECT.format(name="a"),
            "a/b/pyproject.toml": PROJECT.format(name="b"),
        },
    )
    scan = scan_workspace([tmp_path / "a" / "b", tmp_path / "a"], environ={})
    assert [project["name"] for project in infos(scan)] == ["a", "b"]


def test_missing_workspace_folder_gives_no_projects(tmp_path: Path) -> None:
    scan = scan_workspace([tmp_path / "gone"], environ={})
    assert (infos(scan), scan.findings) == ([], {})


def test_venv_path_setting(tmp_path: Path) -> None:
    write_tree(tmp_path / "p", {"pyproject.toml": PROJECT.format(name="p")})
    write_tree(tmp_path / "u", {"pyproject.toml": PROJECT.format(name="u"), "uv.lock": ""})
    make_uv_venv(tmp_path / "p" / "envs" / "dev")
    make_uv_venv(tmp_path / "u" / "from-uv")
    scan = scan_workspace(
        [tmp_path], venv=VenvSetting("envs/dev"), environ={"UV_PROJECT_ENVIRONMENT": "from-uv"}
    )
    projects = by_root(infos(scan), tmp_path)
    assert projects["p"]["venv"] is not None
    assert projects["p"]["venv"]["path"] == str(tmp_path / "p" / "envs" / "dev")
    # For a uv project uv's own variable wins: it is the venv uv itself would use.
    assert projects["u"]["venv"] is not None
    assert projects["u"]["venv"]["path"] == str(tmp_path / "u" / "from-uv")


def test_a_pyproject_that_does_not_parse_keeps_its_project(tmp_path: Path) -> None:
    good = '[project]\nname = "fresh"\nrequires-python = ">=3.12"\ndependencies = ["a", "b"]\n\n[tool.uv]\n'
    broken = good.replace('"a",', '"a"')
    write_tree(tmp_path, {"pyproject.toml": good})
    remembered: dict[Path, Any] = {}
    (first,) = infos(scan_workspace([tmp_path], environ={}, remembered=remembered))
    (tmp_path / "pyproject.toml").write_text(broken + "[tool.poetry]\n")
    (later,) = infos(scan_workspace([tmp_path], environ={}, remembered=remembered))
    # The last good read speaks for the project (the new [tool.poetry] is not read yet).
    assert (later["name"], later["manager"], later["requiresPython"]) == ("fresh", "uv", ">=3.12")
    assert later["pyprojectError"] == (
        "pyproject.toml is not valid TOML (line 4): missing comma between array elements"
    )
    assert first["pyprojectError"] is None

    # Broken since before the session: its lines still tell the name and the manager.
    (new,) = infos(scan_workspace([tmp_path], environ={}))
    assert (new["name"], new["manager"], new["requiresPython"]) == ("fresh", "uv", ">=3.12")
    (tmp_path / "pyproject.toml").write_text(broken.replace("[tool.uv]", "[tool.poetry.group.dev]"))
    (poetry,) = infos(scan_workspace([tmp_path], environ={}))
    assert poetry["manager"] == "poetry" and poetry["pyprojectError"] is not None
