"""A lockfile rewritten while the drift check reads it: every report is the one for a whole file.

A writer process rewrites uv.lock in place (truncate, then the content in pieces, as a tool writing
without a temporary file does), alternating two versions, and stops where the test says, for as long
as the test says: right after the truncate, and cut off mid-line early and late in the file. The
check runs at each stop and while the writer goes on. Each result must equal the result for the
version last written whole, or be the one finding that the file is still being written (it is checked
again on the next change event). The length of a pause proves nothing: it is a handshake, not a time.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from reliability_support import PausedWriter

from pyhelper import lockfiles
from pyhelper.codes import LOCK_CHANGING
from pyhelper.drift.lock import check_project
from pyhelper.findings import Finding, Range, Severity
from pyhelper.lockfiles import LockCache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"


def cut_points(content: bytes) -> list[int]:
    """Where the writer stops: after the truncate, then mid-line a third of the way and near the end."""
    points = [0, len(content) // 3, len(content) - 10]
    for point in points[1:]:
        assert content[point - 1 : point] != b"\n", "each later stop must cut a line"
    return points


def check(root: Path) -> tuple[Finding, ...]:
    return tuple(check_project(root, cache=LockCache()))


def waits_for_a_change(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set when the check starts waiting for a cut-off lock to change (for as long as a test takes)."""
    monkeypatch.setattr(lockfiles, "_WHOLE_LIMIT", 600.0)
    waiting = threading.Event()
    changes_by = lockfiles._changes_by

    def waits(*args: Any) -> bool:
        waiting.set()
        return changes_by(*args)

    monkeypatch.setattr(lockfiles, "_changes_by", waits)
    return waiting


def test_rewritten_lock_is_never_reported_from_a_torn_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))
    lock = root / "uv.lock"
    versions = {
        "a": lock.read_bytes(),
        "b": (FIXTURES / "uv-app" / "lock-version-unsatisfying" / "uv.lock").read_bytes(),
    }
    expected = {}
    for name, content in versions.items():
        (tmp_path / name).write_bytes(content)
        lock.write_bytes(content)
        expected[name] = check(root)
    assert expected["a"] != expected["b"], "the two versions must give different reports"
    # A paused writer is waited for until it goes on: kept short, as the pause lasts as long as the test
    # wants whatever the wait.
    monkeypatch.setattr(lockfiles, "_WHOLE_LIMIT", 0.1)

    writer = PausedWriter()
    try:
        for name in ["b", "a", "b"]:
            stops = cut_points(versions[name])
            writer.start(tmp_path / name, lock, stops)
            for index in range(len(stops)):
                report = check(root)
                assert [(f.code, f.path) for f in report] == [(LOCK_CHANGING, lock)], (
                    f"{name} cut at byte {stops[index]}: {report[:2]}"
                )
                assert (report[0].severity, report[0].range, report[0].message) == (
                    Severity.INFORMATION,
                    Range.at(0),
                    "uv.lock is still being written (it was cut off or kept changing while read); it is "
                    "checked again when it changes next.",
                )
                writer.resume(stops[index + 1] if index + 1 < len(stops) else None)
            assert check(root) == expected[name]

    finally:
        writer.close()


def test_a_check_that_finds_the_lock_cut_off_reads_it_once_the_writer_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))
    lock = root / "uv.lock"
    whole = lock.read_bytes()
    (tmp_path / "whole").write_bytes(whole)
    assert check(root) == (), "the fixture's lock is in sync"
    # The check says when it starts waiting for the cut-off lock to change: the writer goes on only
    # then, so the check has seen the half file, whatever the machine's load.
    waiting = waits_for_a_change(monkeypatch)
    writer = PausedWriter()
    try:
        writer.start(tmp_path / "whole", lock, [len(whole) // 2])
        seen: list[tuple[Finding, ...]] = []
        checker = threading.Thread(target=lambda: seen.append(check(root)))
        checker.start()
        assert waiting.wait(timeout=60), "the check never waited for the cut-off lock"
        writer.resume(None)
        checker.join()
    finally:
        writer.close()
    assert seen == [()]


def test_a_still_lock_without_a_final_newline_is_checked_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lock edited by hand may lose its final newline; nobody is writing it, so it is not "changing".
    root = Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))
    lock = root / "uv.lock"
    lock.write_bytes(lock.read_bytes().rstrip(b"\n"))
    monkeypatch.setattr(lockfiles, "_WHOLE_LIMIT", 0.1)
    assert check(root) == (), "the fixture's lock is in sync"


def test_a_cut_off_lock_removed_while_waited_for_is_one_that_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))
    lock = root / "uv.lock"
    whole = lock.read_bytes()
    lock.write_bytes(whole[: len(whole) // 2])  # cut off mid-line, and nobody writes the rest
    assert not lock.read_bytes().endswith(b"\n")
    waiting = waits_for_a_change(monkeypatch)
    seen: list[tuple[Finding, ...]] = []
    checker = threading.Thread(target=lambda: seen.append(check(root)))
    checker.start()
    assert waiting.wait(timeout=60), "the check never waited for the cut-off lock"
    lock.unlink()
    checker.join(timeout=60)
    assert not checker.is_alive(), "the check went on waiting for a lock that is gone"
    (finding,) = seen[0]
    assert (finding.path, finding.severity) == (lock, Severity.ERROR), finding
    assert finding.message == "uv.lock cannot be read: No such file or directory", finding.message
