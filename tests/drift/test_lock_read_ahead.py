"""Reading what uv writes while it is still at work (`SyncReadAhead`, used by Add, Remove and Upgrade
Dependency with uv's own sync): the check after uv finds the lock parsed and its selection made, and
the venv read; nothing is read before uv says it resolved, nor when the lock does not change, nor a
lock write that uv makes again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drift.test_venv_reading import dist_info, settled, venv_at
from pyhelper.drift.session import DriftSession, SyncReadAhead
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
    ahead = SyncReadAhead(drift, project, SyncChoice())
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
    ahead = SyncReadAhead(drift, project, SyncChoice())
    ahead.saw("error: No solution found when resolving dependencies:")
    relock(project.lockfile, "3.99")
    ahead.stop()
    assert not ahead.read.is_set()
    with pytest.raises(AssertionError, match="parsed again"):
        cached_idna(drift, project.lockfile)
    ahead = SyncReadAhead(drift, project, SyncChoice())
    ahead.saw(RESOLVED)
    ahead.stop()
    assert not ahead.read.is_set()
    with pytest.raises(AssertionError, match="parsed again"):
        cached_idna(drift, project.lockfile)


def test_a_lock_uv_writes_twice_is_read_at_the_second_write_only(project: Project) -> None:
    """`uv add NAME` without a version writes the lock once resolved, then again with the lower bound
    it put into pyproject.toml: the first is passed over, unparsed."""
    drift = DriftSession()
    drift.check(project, None)
    assert project.lockfile is not None
    ahead = SyncReadAhead(drift, project, SyncChoice(), writes=2)
    ahead.saw(RESOLVED)
    relock(project.lockfile, "3.98")
    assert ahead.changed.wait(30), "the read-ahead never saw the first write"
    ahead.changed.clear()
    assert not ahead.read.is_set()
    with pytest.raises(AssertionError, match="parsed again"):
        cached_idna(drift, project.lockfile)
    relock(project.lockfile, "3.99")
    assert ahead.read.wait(30), "the read-ahead never read the second write"
    ahead.stop()
    assert cached_idna(drift, project.lockfile) == ["3.99"]


@pytest.mark.parametrize("check", [False, True])
def test_the_venv_is_read_at_the_change_list_uv_prints_after_installing(
    project: Project, check: bool
) -> None:
    """With `check`, the project is checked then too, as the check after uv would check it."""
    drift = DriftSession()
    drift.check(project, None)
    assert project.venv is not None
    site = next(project.venv.path.glob("lib/python*/site-packages"))
    ahead = SyncReadAhead(drift, project, SyncChoice(), check=check)
    dist_info(site, "rich-14.0.0.dist-info", "Name: rich\nVersion: 14.0.0\n")
    # A change-list line before uv said it installed is not uv's list: nothing is read.
    ahead.saw(" + something said while resolving")
    assert not ahead.venv_read
    for line in ("Prepared 1 package in 2ms", "Installed 1 package in 3ms", " + rich==14.0.0"):
        ahead.saw(line)
    assert ahead.venv_read
    ahead.stop()
    snapshot = drift.venvs.last(project.venv.path)
    assert snapshot is not None and snapshot.packages["rich"].version == "14.0.0"
    after = drift.check(project, None)
    assert after.snapshot is snapshot  # the check after uv reads no more
    if check:
        assert ahead.checked is not None and ahead.checked.snapshot is snapshot
        assert (ahead.checked.findings, ahead.checked.summary) == (after.findings, after.summary)
        assert ahead.checked.summary.extraneous == 1  # rich, which the lock does not hold
    else:
        assert ahead.checked is None
