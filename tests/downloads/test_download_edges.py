"""The download paths the install tests do not walk, each against its own oracle, in process and fast:
settings read from the environment (uv itself says where its managed Pythons live), the build a
"Download Python X.Y" entry names, a size the mirror cannot give, a pre-release uninstalled, and file
modes as the standard library's `data` extraction filter sets them.
"""

from __future__ import annotations

import io
import os
import socket
import stat
import subprocess
import tarfile
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from downloads.mirror_server import Mirror
from downloads.pbs_fixture import Archive, served_path, tar_gz_bytes
from pyhelper import downloads
from pyhelper.catalog import host_platform
from pyhelper.downloads import (
    DEFAULT_TIMEOUT,
    DOWNLOADS_JSON_ENV,
    MIRROR_ENV,
    InstallCancelled,
    InstallError,
    InstallSettings,
    UnsafeArchiveError,
    _describe,
    _extract,
    _GunzipAhead,
    download_offer,
    resolve_build,
    uninstall_python,
)
from support.tools import uv_binary

Settings = Callable[..., InstallSettings]


def uv_python_dir(environ: dict[str, str]) -> Path:
    """Where uv itself installs its managed Pythons in this environment."""
    done = subprocess.run(
        [str(uv_binary()), "python", "dir"], env=environ, capture_output=True, text=True, check=True
    )
    return Path(done.stdout.strip())


def test_settings_come_from_the_environment_and_uvs_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MIRROR_ENV, "https://mirror.example/pbs")
    monkeypatch.setenv(DOWNLOADS_JSON_ENV, str(tmp_path / "downloads.json"))
    monkeypatch.setenv("LOCKSTEP_PYTHON_INSTALL_DIR", str(tmp_path / "installs"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("UV_PYTHON_INSTALL_DIR", raising=False)

    settings = InstallSettings.resolve()

    assert settings == InstallSettings(
        tmp_path / "installs",
        "https://mirror.example/pbs",
        str(tmp_path / "downloads.json"),
        uv_python_dir(dict(os.environ)),
        DEFAULT_TIMEOUT,
    )
    assert settings.uv_install_dir == tmp_path / "data" / "uv" / "python"


def test_explicit_settings_win_and_empty_ones_are_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MIRROR_ENV, "")
    monkeypatch.setenv(DOWNLOADS_JSON_ENV, "")
    monkeypatch.setenv("LOCKSTEP_PYTHON_INSTALL_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("UV_PYTHON_INSTALL_DIR", str(tmp_path / "uv"))
    assert InstallSettings.resolve() == InstallSettings(
        tmp_path / "from-env", None, None, uv_python_dir(dict(os.environ)), DEFAULT_TIMEOUT
    )
    assert InstallSettings.resolve(
        install_dir=tmp_path / "given", mirror="file:///m", downloads_json="d.json", timeout=3.0
    ) == InstallSettings(tmp_path / "given", "file:///m", "d.json", tmp_path / "uv", 3.0)


def test_the_build_to_download_is_named_under_the_mirror(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings, mirror: Mirror
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path)))

    build = resolve_build("3.12", config)

    assert (str(build.version), build.key) == (pbs_archive.version, pbs_archive.key)
    assert build.url == mirror.url + served_path(pbs_archive.version)
    assert mirror.requests_for(served_path(pbs_archive.version)) == 0, "named, not fetched"


def test_the_bundled_catalogue_names_a_build_without_the_network(tmp_path: Path) -> None:
    config = InstallSettings(tmp_path / "installs", mirror="http://127.0.0.1:9/pbs", uv_install_dir=None)
    build = resolve_build("3.12", config)
    assert build.platform == host_platform() and (build.version.major, build.version.minor) == (3, 12)
    assert build.url.startswith("http://127.0.0.1:9/pbs/")


def test_a_size_the_mirror_does_not_give_is_unknown(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings, mirror: Mirror
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path)))
    # Not served: the HEAD answer is a 404 (whose own body has a length).
    del mirror.files[served_path(pbs_archive.version)]
    offer = download_offer("3.12", config, timeout=5.0)
    assert str(offer.build.version) == pbs_archive.version and offer.size is None
    assert mirror.requests_for(f"HEAD {served_path(pbs_archive.version)}") == 1


def test_a_pre_release_is_uninstalled_by_its_minor_version(tmp_path: Path) -> None:
    home = tmp_path / f"cpython-3.13.0rc1-{host_platform()}"
    (home / "bin").mkdir(parents=True)
    kept = tmp_path / f"cpython-3.12.1-{host_platform()}"
    kept.mkdir()
    assert uninstall_python("3.13", tmp_path) == [home]
    assert not home.exists() and kept.is_dir()


def test_file_modes_are_those_of_the_standard_librarys_data_filter(tmp_path: Path) -> None:
    modes = [0o655, 0o751, 0o4711, 0o640, 0o070, 0o007, 0o100]
    members = []
    for index, mode in enumerate(modes):
        info = tarfile.TarInfo(f"python/f{index}")
        info.mode = mode
        info.mtime = 1_000_000 + index
        members.append((info, b"x"))
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz_bytes(members))

    # A strict umask changes nothing: the archive's modes are set, not masked.
    umask = os.umask(0o077)
    try:
        _extract(archive, tmp_path / "out", "a.tar.gz", None)
    finally:
        os.umask(umask)

    for index, (info, _) in enumerate(members):
        filtered = tarfile.data_filter(info, str(tmp_path / "out"))
        written = (tmp_path / "out" / "python" / f"f{index}").stat()
        got = stat.S_IMODE(written.st_mode)
        assert got == filtered.mode, (oct(info.mode), oct(got), oct(filtered.mode))
        assert written.st_mtime == info.mtime


def tar_bytes(mode: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as tar:
        for name, data in (("python/bin/python3", b"#!\n"), ("python/lib/os.py", b"import sys\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("mode", "gzipped"), [("w:gz", True), ("w:xz", False), ("w:bz2", False), ("w", False)]
)
def test_a_gzip_archive_is_inflated_ahead_and_any_other_is_left_to_tarfile(
    mode: str, gzipped: bool, tmp_path: Path
) -> None:
    archive = tmp_path / "a.tar"
    archive.write_bytes(tar_bytes(mode))
    with _GunzipAhead(archive) as stream:
        assert stream.gzipped == gzipped

    _extract(archive, tmp_path / "out", "a.tar", None)

    assert (tmp_path / "out" / "python" / "lib" / "os.py").read_bytes() == b"import sys\n"
    assert (tmp_path / "out" / "python" / "bin" / "python3").read_bytes() == b"#!\n"


def test_what_is_no_tar_archive_is_said_so(tmp_path: Path) -> None:
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(b"not an archive, not even gzip" * 20)
    with pytest.raises(InstallError) as raised:
        _extract(archive, tmp_path / "out", "cpython-3.12.tar.gz", None)
    assert str(raised.value).startswith("cpython-3.12.tar.gz is not a readable tar archive: ")


def test_a_refusal_names_the_archive(tmp_path: Path) -> None:
    archive = tmp_path / "a.tar.gz"
    link = tarfile.TarInfo("python/lib")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc"
    archive.write_bytes(tar_gz_bytes([(link, None)]))
    with pytest.raises(UnsafeArchiveError) as raised:
        _extract(archive, tmp_path / "out", "cpython-3.12.tar.gz", None)
    assert str(raised.value) == (
        "refusing to unpack cpython-3.12.tar.gz: member 'python/lib' links to the absolute path '/etc'"
    )


def test_the_unpacked_size_counts_every_member_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(
        tar_gz_bytes([(tarfile.TarInfo("python/a"), b"abc"), (tarfile.TarInfo("python/b"), b"defg")])
    )
    monkeypatch.setattr(downloads, "_MAX_UNPACKED_BYTES", 7)
    _extract(archive, tmp_path / "at-limit", "a.tar.gz", None)
    assert (tmp_path / "at-limit" / "python" / "b").read_bytes() == b"defg"

    monkeypatch.setattr(downloads, "_MAX_UNPACKED_BYTES", 6)
    with pytest.raises(UnsafeArchiveError, match="member 'python/b' makes the archive unpack to more than"):
        _extract(archive, tmp_path / "over", "a.tar.gz", None)


def test_a_cancelled_unpack_stops_at_the_first_member(tmp_path: Path) -> None:
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_bytes("w:gz"))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(InstallCancelled):
        _extract(archive, tmp_path / "out", "a.tar.gz", cancel)
    assert not (tmp_path / "out" / "python" / "bin" / "python3").exists()


def test_a_server_that_never_accepts_stalls_while_connecting() -> None:
    with (
        socket.create_server(("127.0.0.1", 0), backlog=0) as server,
        socket.create_connection(server.getsockname()),
    ):
        # The one connection the backlog holds is taken: the next SYN is dropped, so connecting stalls.
        host, port = server.getsockname()
        with pytest.raises(httpx.ConnectTimeout) as raised:
            httpx.get(f"http://{host}:{port}/", timeout=0.3)
    assert _describe(raised.value, 0.3) == "the server stalled (no progress connecting for 0.3 s)"
    # Without a timeout to name, or another error: its own words, else its type.
    assert _describe(raised.value) == str(raised.value)
    assert _describe(ValueError("bad size")) == "bad size"
    assert _describe(OSError()) == "OSError"
