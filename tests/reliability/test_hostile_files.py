"""Files a cloned repository can commit to take the helper down: links to /dev/zero (a read that never
ends) and /dev/stdin (the helper's own LSP input), FIFOs (opening one blocks until a writer comes), and
regular files far larger than any real one. Every read goes through `pyhelper.boundedread`.

The workspace holds each such file in every role the helper reads (pyproject.toml, .python-version,
.venv/pyvenv.cfg, a lock, a dist-info's METADATA, direct_url.json and INSTALLER), several times over,
beside one ordinary project. The real helper scans it over stdio: it must list every project, put a
diagnostic on each refused file, answer later requests, and stay under 300 MB. `pyhelper check` on the
same tree must end with exit 2 and a message per file, never hang and never print a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from helper.helper_support import TIMEOUT
from pyhelper import boundedread
from pyhelper.drift.lock import check_project
from pyhelper.lockfiles import LockCache
from pyhelper.tomlfile import MAX_VALUES
from reliability.reliability_support import MB, Channel, memory, peak_memory, start_helper

COPIES = 4
"""Each hostile file appears this many times (in as many projects)."""
PEAK_LIMIT = 300 * MB
PROJECT = '[project]\nname = "{name}"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = []\n'
UV_LOCK = (
    'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n'
    '[[package]]\nname = "{name}"\nversion = "0.1.0"\nsource = {{ virtual = "." }}\n'
)
PYVENV = "home = /usr/bin\nversion_info = 3.12.7\n"
SITE = ".venv/lib/python3.12/site-packages"
# Where each role's file sits in a project folder.
ROLES = {
    "pyproject": "pyproject.toml",
    "python-version": ".python-version",
    "pyvenv": ".venv/pyvenv.cfg",
    "uv-lock": "uv.lock",
    "pylock": "pylock.toml",
    "metadata": f"{SITE}/evil-1.0.dist-info/METADATA",
    "direct-url": f"{SITE}/evil-1.0.dist-info/direct_url.json",
    "installer": f"{SITE}/evil-1.0.dist-info/INSTALLER",
}
# Roles whose refusal is a diagnostic on the file itself; a dist-info that cannot be read is skipped
# (uv would reinstall it), which shows as the package missing from the venv rather than on that file.
DIAGNOSED = ("pyproject", "python-version", "pyvenv", "uv-lock", "pylock")


def hostile(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "huge":
        # A million keys (an attack on tomllib's memory): 16.7 MB, over the cap of every kind.
        with path.open("w") as file:
            file.writelines(f"k{i} = {i}\n" for i in range(1_000_000))
    elif kind == "dense":
        # Under the lock's 16 MB cap, yet 2.7 million tables: 500 MB once parsed, were it parsed.
        path.write_text("x = [" + "{a=1}," * 2_700_000 + "]\n")
    else:
        path.symlink_to(f"/dev/{kind}")


def ordinary_project(root: Path, name: str) -> None:
    """A uv project with its lock and a venv holding one distribution, evil 1.0, that the lock lacks."""
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PROJECT.format(name=name))
    (root / "uv.lock").write_text(UV_LOCK.format(name=name))
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text(PYVENV)
    info = root / SITE / "evil-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (info / "INSTALLER").write_text("uv\n")


def hostile_workspace(base: Path) -> tuple[Path, dict[Path, str]]:
    """The workspace, and each file that must get a diagnostic with the words it must contain."""
    workspace = base / "workspace"
    expected: dict[Path, str] = {}
    what = {"zero": "character device", "stdin": "FIFO", "fifo": "FIFO", "huge": "larger than"}
    what["dense"] = "keys, values and tables"
    ordinary_project(workspace / "good", "good")
    for role, relative in ROLES.items():
        for kind in ("zero", "stdin", "fifo", "huge", "dense"):
            if (kind == "huge" and role not in ("pyproject", "uv-lock", "python-version")) or (
                kind == "dense" and role not in ("uv-lock", "pylock")
            ):
                continue
            for copy in range(COPIES):
                root = workspace / f"{role}-{kind}-{copy}"
                ordinary_project(root, f"{role}-{kind}-{copy}")
                if role == "pylock":
                    (root / "uv.lock").unlink()
                hostile(root / relative, kind)
                if role in DIAGNOSED and not (kind == "huge" and role == "uv-lock"):
                    expected[root / relative] = what[kind]
    return workspace, expected


def diagnostics(channel: Channel) -> dict[Path, list[dict[str, Any]]]:
    latest: dict[Path, list[dict[str, Any]]] = {}
    for message in channel.received:
        if message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            latest[Path(params["uri"].removeprefix("file://"))] = params["diagnostics"]
    return latest


async def test_a_workspace_full_of_hostile_files_is_scanned_and_the_helper_keeps_serving(
    tmp_path: Path,
) -> None:
    workspace, expected = hostile_workspace(tmp_path)
    channel = await start_helper(tmp_path)
    try:
        await channel.start(workspace)
        answer = await channel.request("lockstep/projects")
        roots = {Path(project["root"]) for project in answer["result"]["projects"]}
        assert roots == {path for path in workspace.iterdir()}, "every project is listed"

        def all_diagnosed(messages: list[dict[str, Any]]) -> bool:
            shown = diagnostics(channel)
            return all(shown.get(path) for path in expected)

        await channel.until("a diagnostic on every hostile file", all_diagnosed)
        shown = diagnostics(channel)
        for path, words in expected.items():
            messages = [d["message"] for d in shown[path]]
            assert any("read" in m and words in m for m in messages), (path, messages)
        zero = shown[workspace / "pyproject-zero-0" / "pyproject.toml"][0]
        assert zero["message"] == (
            "pyproject.toml cannot be read: it is a character device (a link to /dev/zero), not a regular file"
        )
        assert shown[workspace / "pyvenv-fifo-0" / ".venv" / "pyvenv.cfg"][0]["code"] == "file-unreadable"

        # The ordinary projects were checked past the hostile files: the readable dist-info's package,
        # not in the lock, is reported; the ordinary project itself is intact.
        good = {project["root"]: project for project in answer["result"]["projects"]}
        assert good[str(workspace / "good")]["venv"]["version"] == "3.12.7"
        assert good[str(workspace / "metadata-zero-0")]["venv"] is not None

        # Nothing read the helper's stdin: later requests are answered, and a fresh scan too.
        refreshed = await channel.request("lockstep/projects", {"refresh": True})
        assert len(refreshed["result"]["projects"]) == len(roots)
        await channel.serving()
        peak = memory(channel.process.pid)["VmHWM"]
        print(f"helper peak RSS on {len(roots)} projects: {peak / MB:.1f} MB")
        assert peak < PEAK_LIMIT, f"peak RSS {peak / MB:.0f} MB"
        assert channel.errors() == []
        assert await channel.close() == 0
    finally:
        await channel.stop()


def test_pyhelper_check_on_hostile_files_exits_2_with_a_message_per_file(tmp_path: Path) -> None:
    workspace, expected = hostile_workspace(tmp_path)
    # stdin is a pipe that stays open and empty: a read of /dev/stdin would wait on it until the timeout.
    result = subprocess.run(
        [sys.executable, "-m", "pyhelper", "check", "."],
        cwd=workspace,
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    for path, words in expected.items():
        if path.name in ("pyproject.toml", "uv.lock", "pylock.toml"):  # the files `check` reads
            relative = str(path.relative_to(workspace))
            assert any(line.startswith(relative + ":") and words in line for line in lines), relative


@pytest.mark.parametrize("kind", ["zero", "stdin", "fifo", "folder", "huge"])
def test_the_reader_refuses_at_once_what_is_not_a_small_regular_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "pyproject.toml"
    if kind == "folder":
        path.mkdir()
    elif kind == "huge":
        with path.open("wb") as file:
            file.truncate(boundedread.PYPROJECT.max_bytes + 1)
    else:
        hostile(path, kind)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            boundedread.read_bytes(path, boundedread.PYPROJECT)
        except BaseException as error:
            outcome.append(error)

    # In a thread, so that a read that blocks (a FIFO opened without O_NONBLOCK) fails the test.
    with peak_memory() as peak:
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(TIMEOUT)
        assert not reader.is_alive(), "the read blocked"
        assert peak() < MB  # /dev/zero is never read, a huge file never loaded
    assert len(outcome) == 1 and isinstance(outcome[0], boundedread.RefusedFile), outcome
    reason = {"zero": "character device", "stdin": "not a regular file", "fifo": "FIFO"}
    reason |= {"folder": "a folder", "huge": "larger than 2 MB"}
    assert reason[kind] in str(outcome[0].strerror)


def test_the_reader_reads_regular_files_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"x" * boundedread.PYPROJECT.max_bytes)
    assert len(boundedread.read_bytes(path, boundedread.PYPROJECT)) == boundedread.PYPROJECT.max_bytes
    link = tmp_path / "link.toml"
    link.symlink_to(path)
    assert boundedread.read_head(link, 3) == b"xxx"
    with pytest.raises(FileNotFoundError):
        boundedread.read_bytes(tmp_path / "missing", boundedread.PYPROJECT)


def test_a_lock_of_millions_of_tiny_tables_is_refused_at_once(tmp_path: Path) -> None:
    """16 MB of `{a=1},` is under the lock's size cap, but tomllib would make 2.7 million dicts of it."""
    root = tmp_path / "app"
    ordinary_project(root, "app")
    hostile(root / "uv.lock", "dense")
    with peak_memory() as peak:
        findings = check_project(root, cache=LockCache())
        # The bytes and the decoded text (32 MB); parsed, it would be 500 MB.
        assert peak() < 48 * MB
    assert [(f.code, f.path) for f in findings] == [("toml-syntax", root / "uv.lock")]
    assert f"more than {MAX_VALUES:,} keys, values and tables" in findings[0].message


def test_the_lock_cache_keeps_a_bounded_number_of_values(tmp_path: Path) -> None:
    """Locks that fill the budget push out the least recently used; small ones all stay."""
    calls: list[Path] = []

    def parse(path: Path, text: str) -> str:
        calls.append(path)
        return text

    def locks(size: int) -> list[Path]:
        made = []
        for name in ("a", "b"):
            path = tmp_path / f"{name}-{size}.lock"
            path.write_text("k = 1\n" * size)
            made.append(path)
        return made

    cache = LockCache()
    for first, second in (locks(10), locks(MAX_VALUES // 2 + 1)):
        calls.clear()
        for path in (first, second, first):
            cache.get(path, "probe", parse)
        assert len(calls) == (2 if first.name.endswith("-10.lock") else 3), calls
