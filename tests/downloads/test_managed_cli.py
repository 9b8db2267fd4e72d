"""`pyhelper python install|uninstall` as a user runs them: real processes, a loopback mirror, faults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from downloads.mirror_server import Fault, Mirror
from downloads.pbs_fixture import MIRROR_ROOT, Archive, leftovers, served_path, write_tar_gz

JSON_PATH = MIRROR_ROOT + "/downloads.json"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The user's environment (SSL_CERT_FILE and all), minus Lockstep settings, with an empty uv dir."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOCKSTEP_")}
    clean["UV_PYTHON_INSTALL_DIR"] = str(tmp_path / "uv-python")
    return clean


def pyhelper(*args: str) -> list[str]:
    return [sys.executable, "-m", "pyhelper", "python", *args]


def flags(mirror: Mirror, downloads: Path | str, install_dir: Path) -> list[str]:
    return [
        "--mirror",
        mirror.url + MIRROR_ROOT,
        "--downloads-json",
        str(downloads),
        "--install-dir",
        str(install_dir),
    ]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        pyhelper(*args),
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def temp_files(install_dir: Path, pattern: str, min_size: int) -> Callable[[], bool]:
    """A condition: a file matching `pattern` under the install dir's temp folder reached `min_size`."""
    return lambda: any(p.stat().st_size >= min_size for p in (install_dir / ".temp").glob(pattern))


def visible(install_dir: Path) -> list[str]:
    """What discovery would list: the installation folders (dot-entries are the lock and temp)."""
    return sorted(p.name for p in install_dir.iterdir() if not p.name.startswith("."))


def test_install_prints_a_working_interpreter_and_uninstall_removes_it(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    mirror: Mirror,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    install_dir = tmp_path / "installs"
    downloads = publish((pbs_archive.version, pbs_archive.path))

    installed = run("install", "3.12", *flags(mirror, downloads, install_dir), env=env)

    assert installed.returncode == 0, installed.stderr
    python = Path(installed.stdout.strip())
    assert python == install_dir / pbs_archive.key / "bin" / "python3.12"
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version)"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert version.stdout.startswith(pbs_archive.version + " ")

    removed = run("uninstall", pbs_archive.version, "--install-dir", str(install_dir), env=env)

    assert (removed.returncode, removed.stdout.strip()) == (
        0,
        str(install_dir / pbs_archive.key),
    )
    assert leftovers(install_dir) == []


def test_settings_come_from_the_environment(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    mirror: Mirror,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    env["LOCKSTEP_PYTHON_INSTALL_MIRROR"] = mirror.url + MIRROR_ROOT
    env["LOCKSTEP_PYTHON_DOWNLOADS_JSON"] = str(publish((pbs_archive.version, pbs_archive.path)))
    env["LOCKSTEP_PYTHON_INSTALL_DIR"] = str(tmp_path / "from-env")

    installed = run("install", "==3.12.*", env=env)

    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.strip() == str(tmp_path / "from-env" / pbs_archive.key / "bin" / "python3.12")


@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        ("3.12", "pyhelper: sha256 mismatch for cpython-3.12.1"),
        ("3.9", "pyhelper: no CPython build matching 3.9 for linux-x86_64-gnu"),
        ("banana", "pyhelper: 'banana' is not a Python version"),
    ],
)
def test_a_failure_is_one_line_and_a_non_zero_exit(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    mirror: Mirror,
    env: dict[str, str],
    tmp_path: Path,
    request_text: str,
    message: str,
) -> None:
    downloads = publish((pbs_archive.version, pbs_archive.path, "f" * 64))

    failed = run(
        "install",
        request_text,
        *flags(mirror, downloads, tmp_path / "installs"),
        env=env,
    )

    assert failed.returncode == 1
    assert failed.stdout == ""
    assert failed.stderr.startswith(message)
    assert len(failed.stderr.splitlines()) == 1


def test_two_concurrent_installs_download_once(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    mirror: Mirror,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    mirror.files[JSON_PATH] = publish((pbs_archive.version, pbs_archive.path)).read_bytes()
    archive = served_path(pbs_archive.version)
    gate = mirror.faults[archive] = Fault("gate", times=2)
    command = pyhelper("install", "3.12", *flags(mirror, mirror.url + JSON_PATH, tmp_path / "installs"))

    both = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in "ab"
    ]
    # Both have read the catalogue and one is mid-download (held at the gate) before any finishes.
    mirror.wait_for(JSON_PATH, 2)
    mirror.wait_for(archive, 1)
    gate.gate.set()
    outputs = [process.communicate(timeout=120) for process in both]

    assert [process.returncode for process in both] == [0, 0], outputs
    assert (
        outputs[0][0]
        == outputs[1][0]
        == f"{tmp_path / 'installs' / pbs_archive.key / 'bin' / 'python3.12'}\n"
    )
    assert mirror.requests_for(archive) == 1


def test_killed_mid_download_leaves_nothing_visible_and_the_next_install_works(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    mirror: Mirror,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    install_dir = tmp_path / "installs"
    downloads = publish((pbs_archive.version, pbs_archive.path))
    mirror.faults[served_path(pbs_archive.version)] = Fault("stall", after=2_000_000)
    process = subprocess.Popen(pyhelper("install", "3.12", *flags(mirror, downloads, install_dir)), env=env)

    # Well short of the 2 MB sent: the last chunk may still sit in the writer's buffer.
    wait_until(temp_files(install_dir, "*/archive", 1_000_000), "the partial download")
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert visible(install_dir) == []
    again = run("install", "3.12", *flags(mirror, downloads, install_dir), env=env)
    assert again.returncode == 0, again.stderr
    assert leftovers(install_dir) == [pbs_archive.key]


def test_killed_mid_unpack_leaves_nothing_visible_and_the_next_install_works(
    publish: Callable[..., Path], mirror: Mirror, env: dict[str, str], tmp_path: Path
) -> None:
    """An archive whose first big member takes a moment to write, so the kill lands inside the unpack."""
    tree = tmp_path / "tree"
    (tree / "python" / "bin").mkdir(parents=True)
    (tree / "python" / "bin" / "python3.12").write_text("#!/bin/sh\n")
    with open(tree / "python" / "aaa-zeros", "wb") as f:
        f.truncate(300_000_000)
    archive = tmp_path / "slow.tar.gz"
    write_tar_gz(archive, tree, level=1)
    install_dir = tmp_path / "installs"
    downloads = publish(("3.12.9", archive))
    process = subprocess.Popen(pyhelper("install", "3.12", *flags(mirror, downloads, install_dir)), env=env)

    wait_until(temp_files(install_dir, "*/unpacked/python/aaa-zeros", 1), "the unpack to start")
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert visible(install_dir) == []
    again = run("install", "3.12", *flags(mirror, downloads, install_dir), env=env)
    assert again.returncode == 0, again.stderr
    assert leftovers(install_dir) == ["cpython-3.12.9-linux-x86_64-gnu"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 10 MB filesystem (tmpfs; the tests run as root on this machine kind)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=10m", "tmpfs", str(mount_point)],
        check=True,
    )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_no_space_left_is_a_clear_error_and_nothing_is_half_written(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    mirror: Mirror,
    env: dict[str, str],
    small_disk: Path,
) -> None:
    """The archive (under 7 MB) fits; its unpacked tree (about 25 MB) does not."""
    downloads = publish((pbs_archive.version, pbs_archive.path))

    failed = run("install", "3.12", *flags(mirror, downloads, small_disk), env=env)

    assert failed.returncode == 1
    assert failed.stderr.startswith(f"pyhelper: cannot use {small_disk}/.temp/")
    assert failed.stderr.rstrip().endswith(": No space left on device")
    assert len(failed.stderr.splitlines()) == 1
    assert leftovers(small_disk) == []
