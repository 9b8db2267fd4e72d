"""A project without a lock: Create locks it first with the chosen interpreter (as `uv sync` does), and
a failed or cancelled operation leaves the project's files and venv as they were. Real uv, real
interpreters, the loopback index; the machine's PATH Python (3.11) never satisfies these projects."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pyhelper.environments import Environments
from pyhelper.lockfiles import count_locked_packages
from pyhelper.locking import lock_project
from pyhelper.projects import Project
from support.index import PackageIndex, standard_catalogue
from support.projects import installed, poetry_project, toml_list
from support.pythons import full_version

LOCKED = {"alpha": "2.0", "beta": "1.1", "delta": "1.0", "gamma": "0.1"}


@pytest.fixture
def private_index(tmp_path: Path) -> PackageIndex:
    index = PackageIndex(tmp_path / "private-index")
    index.add(standard_catalogue())
    with index.start():
        yield index  # type: ignore[misc]


def unlocked_uv_project(root: Path, requires_python: str = ">=3.12") -> Project:
    """A new uv project as `uv init` leaves it: pyproject.toml with [tool.uv], no uv.lock."""
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "fresh"\nversion = "0.1.0"\nrequires-python = "{requires_python}"\n'
        f"dependencies = {toml_list(['alpha>=2', 'gamma[fast]'])}\n\n[tool.uv]\n"
    )
    return Project(root, "uv", None, requires_python, name="fresh")


def test_create_without_a_lock_locks_with_the_chosen_python_then_syncs(
    index_env: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    project = unlocked_uv_project(tmp_path / "fresh")
    outcome = Environments(index_env, lock_dir=tmp_path / "locks").create(
        project, pythons["3.12"], python_version=full_version(pythons["3.12"])
    )

    assert outcome.status == "ok", outcome
    lock = project.root / "uv.lock"
    assert 'requires-python = ">=3.12"' in lock.read_text()
    assert installed(project.root / ".venv") == LOCKED
    assert outcome.message == (
        f"Locked {count_locked_packages(lock)} packages in uv.lock. "
        f"Created .venv with Python {full_version(pythons['3.12'])}."
    )


def test_locking_uses_the_given_interpreter_not_the_path(
    index_env: dict[str, str], uv: Path, pythons: dict[str, Path], tmp_path: Path
) -> None:
    project = unlocked_uv_project(tmp_path / "fresh")

    def lock_with(python: Path) -> str:
        done = lock_project("uv", project.root, project.root, python, uv_path=str(uv), environ=index_env)
        return done.status + ": " + done.message

    # 3.11 is what PATH offers: named explicitly, uv must refuse it, and nothing is written.
    refused = lock_with(pythons["3.11"])
    assert refused.startswith("failed") and "3.11" in refused, refused
    assert not (project.root / "uv.lock").exists()
    assert lock_with(pythons["3.12"]) == "ok: Updated uv.lock."
    assert (project.root / "uv.lock").is_file()


def test_cancel_after_locking_removes_the_new_lock_and_makes_no_venv(
    private_index: PackageIndex, pythons: dict[str, Path], tmp_path: Path
) -> None:
    environments = Environments(private_index.environ(tmp_path / "cache"), lock_dir=tmp_path / "locks")
    project = unlocked_uv_project(tmp_path / "fresh")
    cancel = threading.Event()
    results = []
    # Locking needs metadata only; the install waits on alpha's wheel, and Cancel comes then.
    with private_index.hold("alpha-2.0-py3-none-any.whl"):
        thread = threading.Thread(
            target=lambda: results.append(environments.create(project, pythons["3.12"], cancel=cancel))
        )
        thread.start()
        private_index.wait_for_request("/files/alpha-2.0-py3-none-any.whl")
        assert (project.root / "uv.lock").is_file()  # locked, now installing
        cancel.set()
        thread.join(60)

    (outcome,) = results
    assert outcome.status == "cancelled", outcome
    assert "no uv.lock was written" in outcome.message
    assert sorted(path.name for path in project.root.iterdir()) == ["pyproject.toml"]


def test_install_failure_after_locking_keeps_the_lock_and_says_so(
    private_index: PackageIndex, pythons: dict[str, Path], tmp_path: Path
) -> None:
    environments = Environments(private_index.environ(tmp_path / "cache"), lock_dir=tmp_path / "locks")
    project = unlocked_uv_project(tmp_path / "fresh")
    results = []
    wheel = private_index.wheel("beta", "1.1")
    # Locked with beta's real hash; then the index serves other bytes for it, so the install fails.
    with private_index.hold(wheel.name):
        thread = threading.Thread(
            target=lambda: results.append(environments.create(project, pythons["3.12"]))
        )
        thread.start()
        private_index.wait_for_request(f"/files/{wheel.name}")
        wheel.write_bytes(b"not the wheel that was locked")
    thread.join(60)

    (outcome,) = results
    assert outcome.status == "failed", outcome
    assert outcome.message.startswith("uv.lock was written, but installing failed"), outcome.message
    assert "No venv was created" in outcome.message
    assert (project.root / "uv.lock").is_file()
    assert not (project.root / ".venv").exists()


def test_poetry_project_without_lock_or_poetry_asks_then_installs_unlocked(
    package_index: PackageIndex, index_env: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    root = poetry_project(tmp_path / "poetic", package_index)
    (root / "poetry.lock").unlink()
    # A PATH without Poetry (and without pyenv's shims, which would only name one).
    environments = Environments({**index_env, "PATH": "/usr/bin:/bin"}, lock_dir=tmp_path / "locks")
    project = Project(root, "poetry", None, ">=3.10", name="poetic")

    asked = environments.create(project, pythons["3.12"])
    assert asked.status == "lock-tool-missing", asked
    assert "no poetry.lock" in asked.message and "poetry is not installed" in asked.message
    assert not (root / ".venv").exists()

    outcome = environments.create(project, pythons["3.12"], unlocked=True)
    assert outcome.status == "ok", outcome
    assert "unlocked" in outcome.message
    # [project] dependencies only: alpha>=2 (and its dependency beta); epsilon's marker excludes it.
    assert installed(root / ".venv") == {"alpha": "2.0", "beta": "1.1"}
    assert not (root / "poetry.lock").exists()


def test_a_lock_that_is_a_fifo_is_refused_without_blocking_and_nothing_is_made(
    index_env: dict[str, str], pythons: dict[str, Path], tmp_path: Path
) -> None:
    """A stranger's repository can ship uv.lock as a FIFO: reading it to keep a backup would block forever."""
    import os

    project = unlocked_uv_project(tmp_path / "fresh")
    os.mkfifo(project.root / "uv.lock")
    outcome = Environments(index_env, lock_dir=tmp_path / "locks").create(
        project, pythons["3.12"], python_version=full_version(pythons["3.12"])
    )

    assert outcome.status == "failed", outcome
    assert "Cannot read" in outcome.message and "uv.lock" in outcome.message
    assert not (project.root / ".venv").exists()
    assert sorted(p.name for p in project.root.iterdir()) == ["pyproject.toml", "uv.lock"]
