"""Locks that cannot be read as they are: not UTF-8, not a file (still being written: test_torn_reads.py).

Each is one finding on the lock with a message saying why, never a crash or a verdict from a partial
read, and the lock is left exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pyhelper.drift.lock import check_project
from pyhelper.lockfiles import LockCache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"


def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))


def test_a_lock_that_is_not_utf8_is_one_clear_finding_and_left_alone(tmp_path: Path) -> None:
    root = project(tmp_path)
    lock = root / "uv.lock"
    content = lock.read_bytes().replace(b'name = "six"', b'name = "s\xefx"', 1)
    lock.write_bytes(content)
    findings = check_project(root, cache=LockCache())
    assert [(f.code, f.path, f.range.start.line) for f in findings] == [("toml-syntax", lock, 0)]
    assert findings[0].message.startswith("uv.lock cannot be read: not UTF-8 text")
    assert lock.read_bytes() == content


def test_a_lock_that_cannot_be_read_names_the_reason(tmp_path: Path) -> None:
    root = Path(shutil.copytree(FIXTURES / "pdm-app" / "in-sync", tmp_path / "pdm"))
    lock = root / "pdm.lock"
    lock.unlink()
    lock.mkdir()  # root reads any file whatever its mode; a folder cannot be read by anyone
    findings = check_project(root, cache=LockCache())
    assert [(f.code, f.path) for f in findings] == [("toml-syntax", lock)], findings
    assert findings[0].message == "pdm.lock cannot be read: it is a folder, not a regular file"
