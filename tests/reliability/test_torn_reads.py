"""A lockfile rewritten while the drift check reads it: every report is the one for a whole file.

A writer process rewrites uv.lock in place (truncate, then the content in 1 KB pieces, as a tool
writing without a temporary file does), alternating two versions with a short rest after each, as a
person running `uv lock` again and again would; the checker runs with a fresh cache each time. Each
result must equal the result for version A or for version B, or be the one finding that the file kept
changing while read (it is checked again on the next change event).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from pyhelper.drift.lock import check_project
from pyhelper.lockfiles import LockCache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"
CHECKS = 40


# Rewrites the lock in place, alternating two versions: truncate, then 1 KB pieces; then the tool is
# done for a moment (the rest is the simulated tool's behaviour, not a wait of the test).
_WRITER = """
import sys, time
lock, versions = sys.argv[1], [open(p, "rb").read() for p in sys.argv[2:]]
with open(lock, "r+b", buffering=0) as file:
    print("writing", flush=True)
    n = 0
    while True:
        content = versions[n % 2]
        file.seek(0)
        file.truncate(0)
        for start in range(0, len(content), 1024):
            file.write(content[start : start + 1024])
        n += 1
        time.sleep(0.3)
"""


def test_rewritten_lock_is_never_reported_from_a_torn_read(tmp_path: Path) -> None:
    root = Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))
    lock = root / "uv.lock"
    version_a = lock.read_bytes()
    version_b = (FIXTURES / "uv-app" / "lock-version-unsatisfying" / "uv.lock").read_bytes()
    expected = set()
    for content in (version_a, version_b):
        lock.write_bytes(content)
        expected.add(tuple(check_project(root, cache=LockCache())))
    assert len(expected) == 2, "the two versions must give different reports"

    # The writer is another process, as the package manager is.
    (tmp_path / "a").write_bytes(version_a)
    (tmp_path / "b").write_bytes(version_b)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _WRITER,
            str(lock),
            str(tmp_path / "a"),
            str(tmp_path / "b"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        seen = [tuple(check_project(root, cache=LockCache())) for _ in range(CHECKS)]
    finally:
        writer.terminate()
        writer.wait()
    changing = [r for r in seen if len(r) == 1 and "kept changing while being read" in r[0].message]
    torn = [result for result in seen if result not in expected and result not in changing]
    assert not torn, f"{len(torn)} of {CHECKS} checks reported from a torn read, e.g. {torn[0][:2]}"
    whole = [result for result in seen if result in expected]
    assert whole, "no check read a whole file: the test proves nothing"


def test_a_lock_caught_half_written_is_read_once_the_writer_is_done(
    tmp_path: Path,
) -> None:
    """The torn read itself: the check starts while the lock holds only its first half, and the writer
    (a thread here, standing in for the package manager) writes the rest 50 ms later."""
    root = Path(shutil.copytree(FIXTURES / "uv-app" / "in-sync", tmp_path / "app"))
    lock = root / "uv.lock"
    whole = lock.read_bytes()
    expected = check_project(root, cache=LockCache())
    assert expected == [], "the fixture's lock is in sync"
    half = whole[: len(whole) // 2]

    def finish_writing() -> None:
        time.sleep(0.05)  # the simulated tool's own pace, not a wait of the test
        with lock.open("ab") as file:
            file.write(whole[len(half) :])

    lock.write_bytes(half)
    writer = threading.Thread(target=finish_writing)
    writer.start()
    try:
        assert check_project(root, cache=LockCache()) == expected
    finally:
        writer.join()
