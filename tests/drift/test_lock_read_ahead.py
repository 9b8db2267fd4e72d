"""Reading a project's new lock while uv still installs (`LockReadAhead`, used by Add, Remove and Upgrade
Dependency with uv's own sync): the check after uv finds the lock parsed and its selection made, and
nothing is read before uv says it resolved, nor when the lock does not change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drift.test_venv_reading import dist_info, settled, venv_at
from pyhelper.drift.session import DriftSession, LockReadAhead
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lockfiles.registry import format_named
from pyhelper.projects import Project, scan_workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"
RESOLVED = "Resolved 8 packages in 3ms"


def not_parsed(path: Path, text: str) -> object:
    raise AssertionError(f"{path} was parsed again")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "uv-app" / "in-sync", root)
    venv, site = venv_at(root)
    dist_info(site, "idna-3.10.dist-info", "Name: idna\nVersion: 3.10\n")
    settled(venv)
    (found,) = scan_workspace([tmp_path], environ={}).projects
    return found


def cached_idna(drift: DriftSession, lockfile: Path) -> list[str | None]:
    """idna's locked versions from the lock as cached: an AssertionError if it is not cached as it is."""
    uv = format_named("uv")
    assert uv is not None
    return list(uv.versions(drift.locks.get(lockfile, uv.name, not_parsed), "idna"))


def relock(lockfile: Path, version: str) -> None:
    """The lock as uv writes it after a change: idna locked at `version`."""
    text = lockfile.read_text()
    start = text.index('name = "idna"\nversion = "') + len('name = "idna"\nversion = "')
    lockfile.write_text(text[:start] + version + text[text.index('"', start) :])


def test_the_check_after_uv_finds_what_was_read_ahead_parsed_and_selected(project: Project) -> None:
    drift = DriftSession()
    before = drift.check(project, None)  # as Add Dependency's look at the venv before uv runs
    assert project.lockfile is not None
    relock(project.lockfile, "3.99")
    selection = drift.read_lock(project, SyncChoice())
    assert selection is not None and selection is not before.selection
    assert selection.packages["idna"].version == "3.99"
    assert cached_idna(drift, project.lockfile) == ["3.99"]
    after = drift.check(project, None)
    assert after.selection is selection


def test_a_change_after_uv_resolved_is_read_before_uv_exits(project: Project) -> None:
    drift = DriftSession()
    drift.check(project, None)
    assert project.lockfile is not None
    ahead = LockReadAhead(drift, project, SyncChoice())
    ahead.saw("Using CPython 3.12.1 interpreter at: /usr/bin/python3.12")
    ahead.saw(RESOLVED)
    relock(project.lockfile, "3.99")
    assert ahead.read.wait(30), "the read-ahead never read the changed lock"
    ahead.stop()
    assert cached_idna(drift, project.lockfile) == ["3.99"]
    assert drift.check(project, None).selection is drift.read_lock(project, SyncChoice())


def test_nothing_is_read_before_uv_resolved_nor_when_the_lock_stays_as_it_was(project: Project) -> None:
    drift = DriftSession()
    assert project.lockfile is not None
    ahead = LockReadAhead(drift, project, SyncChoice())
    ahead.saw("error: No solution found when resolving dependencies:")
    relock(project.lockfile, "3.99")
    ahead.stop()
    assert not ahead.read.is_set()
    with pytest.raises(AssertionError, match="parsed again"):
        cached_idna(drift, project.lockfile)
    ahead = LockReadAhead(drift, project, SyncChoice())
    ahead.saw(RESOLVED)
    ahead.stop()
    assert not ahead.read.is_set()
    with pytest.raises(AssertionError, match="parsed again"):
        cached_idna(drift, project.lockfile)
