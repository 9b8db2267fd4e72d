"""The download paths the install tests do not walk, each against its own oracle, in process and fast:
settings read from the environment (uv itself says where its managed Pythons live), the build a
"Download Python X.Y" entry names, a size the mirror cannot give, a pre-release uninstalled, and file
modes as the standard library's `data` extraction filter sets them.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from downloads.mirror_server import Mirror
from downloads.pbs_fixture import Archive, served_path, tar_gz_bytes
from pyhelper.catalog import host_platform
from pyhelper.downloads import (
    DEFAULT_TIMEOUT,
    DOWNLOADS_JSON_ENV,
    MIRROR_ENV,
    InstallSettings,
    _extract,
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
        members.append((info, b"x"))
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz_bytes(members))

    _extract(archive, tmp_path / "out", "a.tar.gz", None)

    for index, (info, _) in enumerate(members):
        filtered = tarfile.data_filter(info, str(tmp_path / "out"))
        got = stat.S_IMODE((tmp_path / "out" / "python" / f"f{index}").stat().st_mode)
        assert got == filtered.mode, (oct(info.mode), oct(got), oct(filtered.mode))
