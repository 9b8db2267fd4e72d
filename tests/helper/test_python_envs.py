"""A project's `.python-envs` file (PEP 832 draft, pyhelper.pythonenvs) on real folder trees and real
venvs: the default (last) environment is shown read only, `.venv` comes first, a default Lockstep cannot
read is a warning at its line, and Sync / Delete never touch the listed environment."""

from __future__ import annotations

import os
from pathlib import Path

from helper.helper_support import make_uv_venv, write_tree
from pyhelper import codes
from pyhelper.environments import Environments
from pyhelper.lsp.payloads import project_info
from pyhelper.projects import Scan, scan_workspace
from pyhelper.pythonenvs import PYTHON_ENVS

PROJECT = '[project]\nname = "app"\nversion = "1.0"\nrequires-python = ">=3.10"\n'


def scan(folder: Path) -> Scan:
    return scan_workspace([folder], environ={})


def tree_of(folder: Path) -> list[tuple[str, int]]:
    """Every path below `folder` with its size: what "left as it was" means here."""
    return sorted(
        (str(Path(base, name).relative_to(folder)), os.lstat(Path(base, name)).st_size)
        for base, dirs, files in os.walk(folder)
        for name in dirs + files
    )


def test_the_last_line_is_the_default_and_paths_start_at_the_files_folder(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    make_uv_venv(tmp_path / "app" / "envs" / "first")
    make_uv_venv(tmp_path / "app" / "envs" / "dev")
    # CRLF between lines, a blank line and a trailing newline, as PEP 832 allows.
    (project / PYTHON_ENVS).write_bytes(b"envs/first\r\n\r\nenvs/dev\r\n")
    result = scan(project)
    (info,) = [project_info(p) for p in result.projects]
    assert info["venv"] is not None
    assert info["venv"]["path"] == str(project / "envs" / "dev")
    assert info["venv"]["listedIn"] == str(project / PYTHON_ENVS)
    assert info["venv"]["python"] == str(project / "envs" / "dev" / "bin" / "python")
    assert result.findings[project / "pyproject.toml"] == ()
    assert project / PYTHON_ENVS not in result.findings


def test_an_environment_outside_the_project_is_read(tmp_path: Path) -> None:
    outside = make_uv_venv(tmp_path / "elsewhere" / "app-env")
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT, PYTHON_ENVS: f"{outside}\n"})
    (info,) = [project_info(p) for p in scan(project).projects]
    assert info["venv"] is not None and info["venv"]["path"] == str(outside)


def test_a_venv_beside_the_file_comes_after_every_line(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT, PYTHON_ENVS: "envs/dev\n"})
    make_uv_venv(project / "envs" / "dev")
    make_uv_venv(project / ".venv")
    (info,) = [project_info(p) for p in scan(project).projects]
    assert info["venv"] is not None
    assert (info["venv"]["path"], info["venv"]["listedIn"]) == (str(project / ".venv"), None)


def test_a_default_lockstep_cannot_read_is_a_warning_at_its_line_with_no_fall_back(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path / "app", {"pyproject.toml": PROJECT, PYTHON_ENVS: "envs/dev\nssh@example.com:custom-path\n"}
    )
    make_uv_venv(project / "envs" / "dev")
    result = scan(project)
    assert [p.venv for p in result.projects] == [None]
    (finding,) = result.findings[project / PYTHON_ENVS]
    assert finding.code == codes.PYTHON_ENVS_UNUSABLE
    assert (finding.range.start.line, finding.range.end.character) == (1, len("ssh@example.com:custom-path"))
    assert "`ssh@example.com:custom-path`, is not a virtual environment Lockstep can read" in finding.message


def test_a_file_that_is_not_utf8_is_a_warning_at_the_line(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    (project / PYTHON_ENVS).write_bytes(b"envs/dev\nenvs/caf\xe9\n")
    result = scan(project)
    (finding,) = result.findings[project / PYTHON_ENVS]
    assert (finding.code, finding.range.start.line) == (codes.PYTHON_ENVS_UNUSABLE, 1)
    assert [p.venv for p in result.projects] == [None]


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT})
    os.mkfifo(project / PYTHON_ENVS)
    result = scan(project)
    (finding,) = result.findings[project / PYTHON_ENVS]
    assert finding.code == codes.FILE_UNREADABLE
    assert "FIFO" in finding.message


def test_an_empty_file_means_no_environment_and_says_nothing(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "app", {"pyproject.toml": PROJECT, PYTHON_ENVS: "\n \n"})
    result = scan(project)
    assert [p.venv for p in result.projects] == [None]
    assert project / PYTHON_ENVS not in result.findings


def test_uv_workspace_members_read_the_roots_file(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "ws",
        {
            "pyproject.toml": PROJECT + '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            "packages/lib/pyproject.toml": PROJECT.replace('"app"', '"lib"'),
            "uv.lock": "",
            PYTHON_ENVS: "../shared-env\n",
        },
    )
    shared = make_uv_venv(tmp_path / "shared-env")
    venvs = {p.name: p.venv.path if p.venv else None for p in scan(root).projects}
    assert venvs == {"app": shared, "lib": shared}


def test_sync_and_delete_leave_the_listed_environment_as_it_was(tmp_path: Path) -> None:
    listed = make_uv_venv(tmp_path / "elsewhere" / "env")
    project_root = write_tree(
        tmp_path / "app", {"pyproject.toml": PROJECT, "uv.lock": "", PYTHON_ENVS: f"{listed}\n"}
    )
    (project,) = scan(project_root).projects
    before = tree_of(tmp_path / "elsewhere"), tree_of(project_root)
    environments = Environments({}, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal")
    synced = environments.sync(project)
    deleted = environments.delete(project, confirmed=True)
    assert (synced.status, deleted.status) == ("failed", "failed")
    assert f"{listed} was not synced: it is the environment .python-envs names (PEP 832)" in synced.message
    assert f"{listed} was not deleted" in deleted.message
    assert (tree_of(tmp_path / "elsewhere"), tree_of(project_root)) == before
