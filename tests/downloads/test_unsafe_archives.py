"""Archives whose members would write outside the install folder are refused whole, before they can.

Each case is a real .tar.gz served by the loopback mirror and installed through `install_python`; the
attack from issue 18 also goes through the `pyhelper python install` command, as a user would meet it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from downloads.mirror_server import Mirror
from downloads.pbs_fixture import MIRROR_ROOT, Archive, leftovers, tar_gz_bytes
from pyhelper.downloads import InstallSettings, UnsafeArchiveError, _extract, install_python


def member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode = kind, link, 0o644
    return info


def cases(outside: Path) -> dict[str, tuple[list[tarfile.TarInfo], str, str]]:
    """name -> (members before the payload file, the member refused, the reason given)."""
    return {
        "dot-dot": (
            [member("python/../../../escaped")],
            "python/../../../escaped",
            "contains '..'",
        ),
        "absolute": (
            [member(str(outside / "escaped"))],
            str(outside / "escaped"),
            "has an absolute path",
        ),
        "symlink-out": (
            [member("python/lib", tarfile.SYMTYPE, "../../../..")],
            "python/lib",
            "links outside the archive",
        ),
        # Windows spellings: tarfile keeps a backslash, and a drive letter is absolute there.
        "symlink-backslash-out": (
            [member("python/lib", tarfile.SYMTYPE, "..\\..\\..\\..")],
            "python/lib",
            "links outside the archive",
        ),
        "symlink-drive": (
            [member("python/lib", tarfile.SYMTYPE, "C:x")],
            "python/lib",
            "links to the absolute path 'C:x'",
        ),
        "symlink-drive-only": (
            [member("python/lib", tarfile.SYMTYPE, "C:")],
            "python/lib",
            "links to the absolute path 'C:'",
        ),
        "symlink-absolute": (
            [member("python/lib", tarfile.SYMTYPE, str(outside))],
            "python/lib",
            "links to the absolute path",
        ),
        "hardlink-out": (
            [member("python/passwd", tarfile.LNKTYPE, "../../../../etc/passwd")],
            "python/passwd",
            "links outside the archive",
        ),
        "write-through-link": (
            [member("python/up", tarfile.SYMTYPE, "."), member("python/up/escaped")],
            "python/up/escaped",
            "is written through a link",
        ),
        # Each link alone stays inside (lexically), but the second climbs out through the first.
        "link-chain": (
            [
                member("python/d/s1", tarfile.SYMTYPE, "../.."),
                member("python/s2", tarfile.SYMTYPE, "d/s1/.."),
            ],
            "python/s2",
            "links outside the archive or through another link",
        ),
        "device": (
            [member("python/dev", tarfile.CHRTYPE)],
            "python/dev",
            "is a device, FIFO or other special file",
        ),
        "block-device": (
            [member("python/disk", tarfile.BLKTYPE)],
            "python/disk",
            "is a device, FIFO or other special file",
        ),
        "fifo": (
            [member("python/pipe", tarfile.FIFOTYPE)],
            "python/pipe",
            "is a device, FIFO or other special file",
        ),
        "hardlink-absolute": (
            [member("python/passwd", tarfile.LNKTYPE, "/etc/passwd")],
            "python/passwd",
            "links to the absolute path",
        ),
        # A hard link to a symlink would be a second door to wherever the symlink leads.
        "hardlink-to-link": (
            [member("python/s", tarfile.SYMTYPE, "bin"), member("python/h", tarfile.LNKTYPE, "python/s")],
            "python/h",
            "links outside the archive or to what is no file unpacked before it",
        ),
        # Issue 18's attack, with the final file: the link is replaced by a file written through it.
        "link-then-file": (
            [*late_link(outside), member("python/a")],
            "python/a",
            "replaces an earlier member of the same name (a link)",
        ),
        # The same links without the file: the first one leads outside once the second exists.
        "link-made-outside-later": (late_link(outside), "python/a", "leads outside the installation"),
        "file-then-link": (
            [member("python/x"), member("python/x", tarfile.SYMTYPE, "bin")],
            "python/x",
            "replaces an earlier member of the same name (a file)",
        ),
        "folder-then-link": (
            [member("python/lib", tarfile.DIRTYPE), member("python/lib", tarfile.SYMTYPE, "bin")],
            "python/lib",
            "replaces an earlier member of the same name (a dir)",
        ),
        "file-inside-a-file": (
            [member("python/x"), member("python/x/y")],
            "python/x/y",
            "is inside a file",
        ),
        "decompression-bomb": ([big_member()], "python/big", "makes the archive unpack to more than 4 GB"),
    }


def late_link(outside: Path) -> list[tarfile.TarInfo]:
    """`python/a -> d/d/…/../…/<outside>/victim.txt`, then `python/d -> .`: each is inside as written, but
    once `d` exists the first climbs out (`d/d/…` is `python` itself, and the `..` go above the root)."""
    depth = len(outside.parts) + 4
    target = "d/" * depth + "../" * (depth + 1) + str(outside / "victim.txt").lstrip("/")
    return [member("python/a", tarfile.SYMTYPE, target), member("python/d", tarfile.SYMTYPE, ".")]


def big_member() -> tarfile.TarInfo:
    """A header claiming 5 GB (the data is not there: the claim is refused before anything is read)."""
    info = member("python/big")
    info.size = 5 * 2**30
    return info


@pytest.mark.parametrize("case", list(cases(Path("/x"))))
def test_unsafe_member_is_refused_and_nothing_is_written(
    case: str,
    publish: Callable[..., Path],
    settings: Callable[..., InstallSettings],
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    members, refused, reason = cases(outside)[case]
    payload = [(m, b"payload" if m.isreg() and m.size == 0 else None) for m in members]
    archive = tar_gz_bytes([(member("python/bin", tarfile.DIRTYPE), None), *payload])
    config = settings(publish(("3.12.9", archive)))

    with pytest.raises(UnsafeArchiveError) as raised:
        install_python("3.12", config)

    assert f"member {refused!r} {reason}" in str(raised.value)
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escaped").exists()
    assert leftovers(config.install_dir) == []


def test_the_issue_18_archive_is_refused_by_pyhelper_python_install_and_the_victim_is_untouched(
    pbs_archive: Archive, publish: Callable[..., Path], mirror: Mirror, tmp_path: Path
) -> None:
    """The real interpreter archive with the attack appended: a link, a link making it lead out, then a
    regular file of the link's name. Before the fix this printed an interpreter, exit 0, and the
    victim held the attacker's bytes."""
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("the user's file\n")
    before = victim.stat()
    with tarfile.open(pbs_archive.path) as real:
        # The members of the real archive (regular files and links), then the attack.
        members = [(m, real.extractfile(m).read() if m.isreg() else None) for m in real]  # type: ignore[union-attr]
    attack = [(m, None) for m in late_link(outside)] + [(member("python/a"), b"attacker's bytes\n")]
    downloads = publish((pbs_archive.version, tar_gz_bytes(members + attack)))
    install_dir = tmp_path / "installs"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCKSTEP_")}
    env["UV_PYTHON_INSTALL_DIR"] = str(tmp_path / "uv-python")

    flags = ["--mirror", mirror.url + MIRROR_ROOT, "--downloads-json", str(downloads)]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pyhelper",
            "python",
            "install",
            "3.12",
            *flags,
            "--install-dir",
            str(install_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"pyhelper: refusing to unpack cpython-{pbs_archive.version}+20990101-x86_64-unknown-linux-gnu"
        "-install_only.tar.gz: member 'python/a' replaces an earlier member of the same name (a link)"
    ]
    assert victim.read_text() == "the user's file\n"
    assert victim.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert leftovers(install_dir) == []


def test_modes_are_sanitised_and_links_inside_are_kept(tmp_path: Path) -> None:
    """What the `data` filter keeps: setuid/setgid/sticky and group/other write go, the owner can read
    and write, execute stays only where the owner has it; links inside the tree are made as written."""
    archive = tmp_path / "a.tar.gz"
    setuid = member("python/bin/tool")
    setuid.mode = 0o6777
    private = member("python/lib/data")
    private.mode = 0o044
    files = [
        (member("python/bin", tarfile.DIRTYPE), None),
        (setuid, b"#!/bin/sh\n"),
        (private, b"data"),
        (member("python/bin/alias", tarfile.SYMTYPE, "tool"), None),
        (member("python/lib/same", tarfile.LNKTYPE, "python/lib/data"), None),
    ]
    archive.write_bytes(tar_gz_bytes(files))

    _extract(archive, tmp_path / "out", "a.tar.gz", None)

    tree = tmp_path / "out" / "python"
    assert stat.S_IMODE((tree / "bin/tool").stat().st_mode) == 0o755
    assert stat.S_IMODE((tree / "lib/data").stat().st_mode) == 0o644
    assert os.readlink(tree / "bin/alias") == "tool"
    assert (tree / "lib/same").stat().st_ino == (tree / "lib/data").stat().st_ino


def test_an_installed_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    """`python -> .` with the interpreter beside it: renamed into place, the installation would be a
    link to the install dir itself."""
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(
        tar_gz_bytes([(member("python", tarfile.SYMTYPE, "."), None), (member("bin/python3.12"), b"x")])
    )
    with pytest.raises(UnsafeArchiveError, match="member 'python' is a link, not a folder"):
        _extract(archive, tmp_path / "out", "a.tar.gz", None)
