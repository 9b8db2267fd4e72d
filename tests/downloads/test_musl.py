"""Alpine (musl): the bundled catalogue has no build, so uv installs one of its own download list.

Real uv, the real archive and the loopback mirror; the platform is musl through `install_python`'s
seam. uv reads its list from `UV_PYTHON_DOWNLOADS_JSON_URL` here (the user's environment reaches uv
as it is), which names the test archive as a musl build: uv installs a build for a platform named by
its key whatever the host, and never looks inside the archive, which is glibc's and so runs here.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from downloads.mirror_server import Mirror
from downloads.pbs_fixture import MIRROR_ROOT, Archive, downloads_json, leftovers, served_path
from pyhelper.catalog import Platform, pbs_builds, rewrite_mirror
from pyhelper.downloads import InstallError, InstallSettings, download_offer, install_python
from pyhelper.uvpythons import bundled_uv, uv_download_list

MUSL = Platform("linux", "x86_64", "musl")


def uv_list_naming_it_musl(archive: Archive, folder: Path, sha256: str | None = None) -> Path:
    ((key, entry),) = json.loads(downloads_json([(archive.version, sha256 or archive.sha256)])).items()
    path = folder / "uv-downloads.json"
    path.write_text(json.dumps({key.replace("-gnu", "-musl"): {**entry, "libc": "musl"}}))
    return path


@pytest.fixture
def musl_settings(
    pbs_archive: Archive, mirror: Mirror, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> InstallSettings:
    mirror.files[served_path(pbs_archive.version)] = pbs_archive.path
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    monkeypatch.setenv("UV_PYTHON_BIN_DIR", str(tmp_path / "bin"))
    return InstallSettings(
        install_dir=tmp_path / "installs", mirror=mirror.url + MIRROR_ROOT, uv_install_dir=tmp_path / "uv"
    )


def test_the_bundled_catalogue_has_no_musl_build_and_uvs_own_list_has() -> None:
    assert not any(build.platform.libc == "musl" for build in pbs_builds())
    builds = uv_download_list(bundled_uv(os.environ), os.environ)  # the list compiled into uv
    platforms = {build.platform for build in builds}
    assert {MUSL, Platform("linux", "aarch64", "musl")} <= platforms
    assert all(build.sha256 is None for build in builds), "uv keeps the hashes; it checks them itself"
    # Its URLs point at astral's copy of the releases, which a mirror stands for as for GitHub's.
    (newest,) = [b for b in builds if b.platform == MUSL and b.version == max(b.version for b in builds)][:1]
    assert rewrite_mirror(newest.url, "http://127.0.0.1:9/pbs").startswith("http://127.0.0.1:9/pbs/")


def test_on_musl_uv_installs_a_build_of_its_own_list_through_the_mirror(
    pbs_archive: Archive,
    musl_settings: InstallSettings,
    mirror: Mirror,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS_JSON_URL", str(uv_list_naming_it_musl(pbs_archive, tmp_path)))
    offer = download_offer("3.12", musl_settings, platform=MUSL)
    assert offer.build.key == f"cpython-{pbs_archive.version}-linux-x86_64-musl"
    assert offer.size == pbs_archive.path.stat().st_size, "asked of the mirror"

    result = install_python("3.12", musl_settings, platform=MUSL)

    assert (result.source, result.key) == ("downloaded", offer.build.key)
    assert result.home == musl_settings.install_dir / offer.build.key
    shown = subprocess.run(
        [str(result.python), "-c", "import sys, ssl; print(sys.prefix)"], capture_output=True, text=True
    )
    assert shown.returncode == 0 and shown.stdout.strip() == str(result.home)
    fetched = [served_path(pbs_archive.version)]
    assert mirror.log == [f"HEAD {fetched[0]}", *fetched], "the size asked, then one download by uv"
    assert not (tmp_path / "bin").exists(), "nothing was put on the user's PATH"
    # Found again as Lockstep's own, without uv or the network.
    again = install_python("3.12", musl_settings, platform=MUSL)
    assert (again.source, again.python) == ("lockstep", result.python)
    assert mirror.log == [f"HEAD {fetched[0]}", *fetched]


def test_on_musl_an_archive_that_does_not_match_uvs_hash_is_refused(
    pbs_archive: Archive,
    musl_settings: InstallSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = uv_list_naming_it_musl(pbs_archive, tmp_path, sha256="0" * 64)
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS_JSON_URL", str(wrong))
    with pytest.raises(InstallError, match=r"uv could not install cpython-3\.12\.\d+-linux-x86_64-musl: "):
        install_python("3.12", musl_settings, platform=MUSL)
    assert [p for p in leftovers(musl_settings.install_dir) if p.startswith("cpython-")] == []


def test_on_musl_a_version_uv_does_not_list_names_the_request_and_platform(
    musl_settings: InstallSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pbs_archive: Archive
) -> None:
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS_JSON_URL", str(uv_list_naming_it_musl(pbs_archive, tmp_path)))
    with pytest.raises(InstallError) as refused:
        install_python("3.9", musl_settings, platform=MUSL)
    assert str(refused.value) == "no CPython build matching 3.9 for linux-x86_64-musl in uv's download list"
