"""Windows refuses to rename a folder while a file in it is open (a python.exe of the venv, a virus
scan). Checked on Linux through the renaming seam: refusals are injected, pauses counted instead of
slept, and the program named is a real process running from a real venv."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from pyhelper.catalog import host_platform, install_name
from pyhelper.downloads import InstallError, uninstall_python
from pyhelper.environments import Environments
from pyhelper.projects import Project
from pyhelper.renaming import FolderInUse, Renamer, running_from
from pyhelper.venvjournal import Journal
from support.projects import uv_project


def refusing(held: Path, times: int | None = None) -> Callable[[Path, Path], None]:
    """os.rename, except that renaming `held` away is refused (`times` times, or always) as Windows
    refuses it: PermissionError, `[WinError 32] The process cannot access the file`."""
    refused = 0

    def rename(source: Path, target: Path) -> None:
        nonlocal refused
        if Path(source) == held and (times is None or refused < times):
            refused += 1
            raise PermissionError(13, "The process cannot access the file", str(source))
        os.rename(source, target)

    return rename


@pytest.fixture
def running_venv(tmp_path: Path, pythons: dict[str, Path]) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A real venv whose own interpreter (a copy, as on Windows) is running."""
    venv = tmp_path / "app" / ".venv"
    subprocess.run([str(pythons["3.11"]), "-m", "venv", "--copies", "--without-pip", str(venv)], check=True)
    process = subprocess.Popen(
        [str(venv / "bin" / "python"), "-c", "import sys; print('up', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "up\n"
    yield venv, process
    process.communicate("")


def test_a_refused_rename_is_retried_briefly_until_it_goes_through(tmp_path: Path) -> None:
    source, target = tmp_path / "build", tmp_path / "venv"
    source.mkdir()
    pauses: list[float] = []
    Renamer("win32", refusing(source, times=3), pauses.append).move(source, target)
    assert target.is_dir() and not source.exists()
    assert pauses == [0.05, 0.1, 0.2]


def test_a_rename_kept_refused_names_the_program_running_from_the_folder(
    running_venv: tuple[Path, subprocess.Popen[str]],
) -> None:
    venv, process = running_venv
    pauses: list[float] = []
    renamer = Renamer("win32", refusing(venv), pauses.append)
    with pytest.raises(FolderInUse) as refused:
        renamer.move(venv, venv.with_name("aside"))
    assert 1.5 <= sum(pauses) <= 2.5, "about two seconds of retries, bounded"
    assert f"python (process {process.pid})" in str(refused.value)
    assert str(refused.value).startswith(".venv cannot be moved while a program runs from it: ")
    assert venv.is_dir()
    # Nobody found: still a sentence that says what to do.
    nobody = Renamer("win32", refusing(venv), pauses.append, holders=lambda folder: [])
    with pytest.raises(FolderInUse, match=r"Windows reports a file in it in use .* try again\."):
        nobody.move(venv, venv.with_name("aside"))


def test_posix_renames_are_not_retried(tmp_path: Path) -> None:
    source = tmp_path / "build"
    source.mkdir()
    pauses: list[float] = []
    with pytest.raises(PermissionError):
        Renamer("linux", refusing(source, times=1), pauses.append).move(source, tmp_path / "venv")
    assert pauses == []


def test_running_from_finds_only_programs_inside_the_folder(
    running_venv: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    venv, process = running_venv
    assert [holder.pid for holder in running_from(venv)] == [process.pid]
    sibling = tmp_path / "app" / ".venv2"  # a name that starts with the venv's is not inside it
    sibling.mkdir()
    assert running_from(sibling) == []


def test_recreate_while_the_venv_runs_leaves_it_as_it_was_and_says_what_holds_it(
    running_venv: tuple[Path, subprocess.Popen[str]],
    uv: Path,
    pythons: dict[str, Path],
    index_env: dict[str, str],
    tmp_path: Path,
) -> None:
    venv, process = running_venv
    root = uv_project(venv.parent, uv, index_env)
    before = sorted(str(p.relative_to(venv)) for p in venv.rglob("*"))
    pauses: list[float] = []
    environments = Environments(
        index_env,
        lock_dir=tmp_path / "locks",
        journal_dir=tmp_path / "journal",
        platform="win32",
        renamer=Renamer("win32", refusing(venv), pauses.append),
    )
    project = Project(root, "uv", root / "uv.lock", ">=3.10", name="app")
    outcome = environments.create(project, pythons["3.12"], replace=True)
    assert outcome.status == "failed"
    assert outcome.message.startswith(
        f".venv cannot be moved while a program runs from it: python (process {process.pid})."
    )
    assert outcome.message.endswith(".venv was left as it was.")
    assert sorted(str(p.relative_to(venv)) for p in venv.rglob("*")) == before
    assert [p.name for p in root.iterdir() if ".lockstep-" in p.name] == []
    assert Journal(tmp_path / "journal", venv).entries() == []


def test_a_build_that_cannot_take_the_venvs_place_brings_the_venv_back(
    uv: Path, pythons: dict[str, Path], index_env: dict[str, str], tmp_path: Path
) -> None:
    # A virus scan holds the new build past the retries: the old venv, already aside, comes back.
    root = uv_project(tmp_path / "app", uv, index_env)
    venv = root / ".venv"
    subprocess.run([str(pythons["3.11"]), "-m", "venv", "--without-pip", str(venv)], check=True)
    marker = venv / "mine"
    marker.write_text("kept")

    def refuse_builds(source: Path, target: Path) -> None:
        if ".lockstep-build-" in Path(source).name:
            raise PermissionError(13, "The process cannot access the file", str(source))
        os.rename(source, target)

    environments = Environments(
        index_env,
        lock_dir=tmp_path / "locks",
        journal_dir=tmp_path / "journal",
        renamer=Renamer("win32", refuse_builds, lambda pause: None, holders=lambda folder: []),
    )
    project = Project(root, "uv", root / "uv.lock", ">=3.10", name="app")
    outcome = environments.create(project, pythons["3.12"], replace=True)
    assert outcome.status == "failed" and outcome.message.endswith(".venv was left as it was.")
    assert marker.read_text() == "kept"
    assert [p.name for p in root.iterdir() if ".lockstep-" in p.name] == []
    assert Journal(tmp_path / "journal", venv).entries() == []


def test_uninstalling_a_managed_python_that_runs_is_refused_naming_the_program(
    running_venv: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    # A stand-in installation whose interpreter is running: the running venv's folder, named as one.
    venv, process = running_venv
    install_dir = tmp_path / "pythons"
    install_dir.mkdir()
    home = install_dir / install_name(Version("3.11.9"), False, host_platform())
    venv.rename(home)  # Linux lets a running program's folder move; the refusal is Windows'
    renamer = Renamer("win32", refusing(home), lambda pause: None)
    with pytest.raises(InstallError, match=rf"runs from it: python \(process {process.pid}\)"):
        uninstall_python("3.11", install_dir, renamer)
    assert home.is_dir()
