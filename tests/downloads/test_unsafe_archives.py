"""Archives whose members would write outside the install folder are refused before they can."""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pbs_fixture import leftovers, tar_gz_bytes
from pyhelper.downloads import InstallSettings, UnsafeArchiveError, install_python


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
    }


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
    payload = [(m, b"payload" if m.isreg() else None) for m in members]
    archive = tar_gz_bytes([(member("python/bin", tarfile.DIRTYPE), None), *payload])
    config = settings(publish(("3.12.9", archive)))

    with pytest.raises(UnsafeArchiveError) as raised:
        install_python("3.12", config)

    assert f"member {refused!r} {reason}" in str(raised.value)
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escaped").exists()
    assert leftovers(config.install_dir) == []
