"""Locks that cannot be read as they are: still being written, not UTF-8, not a file.

Each is one finding on the lock with a message saying why, never a crash or a verdict from a partial
read, and the lock is left exactly as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pyhelper.codes import LOCK_CHANGING
from pyhelper.drift.lock import check_project
from pyhelper.lockfiles import LockCache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"

# Rewrites the whole lock every few milliseconds until its stdin closes: a tool that never settles.
_WRITER = """
import sys, threading, time
lock, content = sys.argv[1], open(sys.argv[1], "rb").read()
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
print("writing", flush=True)
while not done.is_set():
    with open(lock, "wb") as file:
        file.write(content)
    time.sleep(0.005)
"""


def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))


def test_a_lock_that_keeps_changing_is_one_lock_changing_finding_then_checked(tmp_path: Path) -> None:
    root = project(tmp_path)
    lock = root / "uv.lock"
    assert check_project(root, cache=LockCache()) == []
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        # The writer rewrites every 5 ms and the reader waits for 200 ms of stillness; a loaded machine
        # may pause the writer that long, so three tries, each either the finding or a whole-file result.
        reports = [check_project(root, cache=LockCache()) for _ in range(3)]
    finally:
        assert writer.stdin is not None
        writer.stdin.close()
        assert writer.wait(timeout=30) == 0
    changing = [r for r in reports if r]
    assert changing, "the reader never saw the lock changing"
    for report in changing:
        assert [(f.code, f.path) for f in report] == [(LOCK_CHANGING, lock)]
        assert "kept changing while being read" in report[0].message
    # Once the writer is gone the same lock is checked as usual.
    assert check_project(root, cache=LockCache()) == []


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
