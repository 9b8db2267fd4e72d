"""Installing a managed CPython through the real code path, from a real archive on a loopback mirror."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

import pytest

from downloads.mirror_server import Fault, Mirror
from downloads.pbs_fixture import (
    GITHUB_PREFIX,
    MIRROR_ROOT,
    Archive,
    leftovers,
    release_path,
    served_path,
    tar_gz_bytes,
)
from pyhelper.downloads import (
    ChecksumError,
    DownloadError,
    InstallCancelled,
    InstallError,
    InstallSettings,
    download_offer,
    install_python,
    uninstall_python,
)
from support.tools import uv_binary

Settings = Callable[..., InstallSettings]


def interpreter_facts(python: Path) -> tuple[str, str]:
    """(version, sys.prefix) reported by the installed interpreter itself."""
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import sys, ssl, json, sqlite3; print('%d.%d.%d' % sys.version_info[:3]); print(sys.prefix)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return out[0], out[1]


def test_installs_a_real_archive_and_the_interpreter_runs(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path)))
    seen: list[tuple[int, int | None]] = []

    result = install_python("3.12", config, progress=lambda done, total: seen.append((done, total)))

    home = config.install_dir / pbs_archive.key
    assert result.python == home / "bin" / "python3.12"
    assert (result.source, result.version, result.key) == (
        "downloaded",
        pbs_archive.version,
        pbs_archive.key,
    )
    assert interpreter_facts(result.python) == (pbs_archive.version, str(home))
    size = pbs_archive.path.stat().st_size
    assert seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert mirror.requests_for(served_path(pbs_archive.version)) == 1
    assert leftovers(config.install_dir) == [pbs_archive.key]


def test_an_existing_installation_is_reused_without_network(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
    tmp_path: Path,
) -> None:
    first = install_python("3.12.1", settings(publish((pbs_archive.version, pbs_archive.path))))

    # The catalogue is not even read: it no longer exists.
    again = install_python("==3.12.*", settings(tmp_path / "gone.json"))

    assert (again.python, again.source) == (first.python, "lockstep")
    assert mirror.requests_for(served_path(pbs_archive.version)) == 1


def test_an_installation_made_by_uv_is_reused(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
    tmp_path: Path,
) -> None:
    uv_dir = tmp_path / "uv-python"
    made_by_uv = _uv_python_install(publish((pbs_archive.version, pbs_archive.path)), mirror, uv_dir)
    requests_before = list(mirror.log)

    result = install_python("3.12", settings(tmp_path / "gone.json", uv_install_dir=uv_dir))

    assert (result.source, result.python) == ("uv", made_by_uv)
    assert mirror.log == requests_before
    assert leftovers(tmp_path / "installs") == []


def _uv_python_install(downloads: Path, mirror: Mirror, uv_dir: Path) -> Path:
    """Have the real uv install the archive from the mirror, as a user of uv would have done."""
    uv = uv_binary()
    env = {
        **os.environ,
        "UV_PYTHON_INSTALL_DIR": str(uv_dir),
        "UV_PYTHON_INSTALL_MIRROR": mirror.url + MIRROR_ROOT,
        "UV_PYTHON_DOWNLOADS_JSON_URL": str(downloads),
        "UV_PYTHON_INSTALL_BIN": "0",
        "UV_CACHE_DIR": str(uv_dir.parent / "uv-cache"),
    }
    subprocess.run([uv, "python", "install", "3.12"], env=env, check=True, capture_output=True)
    # uv also adds a `cpython-3.12-...` link to the newest patch release; take the real folder.
    (installed,) = [p for p in uv_dir.iterdir() if p.name.startswith("cpython-") and not p.is_symlink()]
    return installed / "bin" / "python3.12"


def test_a_wrong_sha256_is_refused_and_nothing_is_left(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path, "0" * 64)))

    with pytest.raises(ChecksumError, match=r"sha256 mismatch for cpython-3\.12\.1"):
        install_python("3.12", config)

    assert leftovers(config.install_dir) == []


FAULTS = {
    "cut": (1_000_000, 10.0, "failed twice: the connection was cut"),
    "stall": (
        300_000,
        0.5,
        r"failed twice: the server stalled \(no progress receiving data for 0.5 s\)",
    ),
}


@pytest.mark.parametrize("times", [1, 2])
@pytest.mark.parametrize("kind", ["cut", "stall"])
def test_a_faulty_download_is_retried_once(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
    kind: Literal["cut", "stall"],
    times: int,
) -> None:
    """The connection is cut, or the server stops sending, mid-body: once, and the retry succeeds;
    on both attempts, a clear error (naming the configured stall timeout) and no partial file."""
    after, timeout, message = FAULTS[kind]
    config = settings(publish((pbs_archive.version, pbs_archive.path)), timeout=timeout)
    mirror.faults[served_path(pbs_archive.version)] = Fault(kind, after=after, times=times)

    if times == 1:
        assert install_python("3.12", config).python.is_file()
        assert leftovers(config.install_dir) == [pbs_archive.key]
    else:
        with pytest.raises(DownloadError, match=message):
            install_python("3.12", config)
        assert leftovers(config.install_dir) == []
    assert mirror.requests_for(served_path(pbs_archive.version)) == 2


def test_cancel_in_the_middle_leaves_nothing_and_a_later_install_works(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path)))
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int | None) -> None:
        seen.append(done)
        if done >= 1_000_000:
            cancel.set()

    with pytest.raises(InstallCancelled):
        install_python("3.12", config, progress=progress, cancel=cancel)

    assert 1_000_000 <= seen[-1] < pbs_archive.path.stat().st_size
    assert leftovers(config.install_dir) == []
    assert install_python("3.12", config).source == "downloaded"


def test_plain_http_is_refused_unless_it_is_the_configured_mirror(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
    tmp_path: Path,
) -> None:
    published = publish((pbs_archive.version, pbs_archive.path))
    direct = tmp_path / "direct.json"
    direct.write_text(published.read_text().replace(GITHUB_PREFIX, mirror.url + MIRROR_ROOT))

    with pytest.raises(InstallError, match="only https:// is allowed"):
        install_python("3.12", settings(direct, mirror=None))
    assert mirror.log == []

    # The same http URLs are fine once that server is the configured mirror.
    assert install_python("3.12", settings(direct)).source == "downloaded"


def test_the_downloads_json_can_come_from_the_mirror(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
) -> None:
    mirror.files[MIRROR_ROOT + "/downloads.json"] = publish(
        (pbs_archive.version, pbs_archive.path)
    ).read_bytes()

    result = install_python("3.12", settings(mirror.url + MIRROR_ROOT + "/downloads.json"))

    assert interpreter_facts(result.python)[0] == pbs_archive.version
    assert mirror.log == [
        MIRROR_ROOT + "/downloads.json",
        served_path(pbs_archive.version),
    ]


def test_a_downloads_json_that_never_ends_is_refused_at_its_cap(
    settings: Settings, mirror: Mirror, tmp_path: Path
) -> None:
    # A hostile mirror streams zeros with no Content-Length: the read stops at the cap, not at the disk.
    mirror.files[MIRROR_ROOT + "/downloads.json"] = b"[]"
    mirror.faults[MIRROR_ROOT + "/downloads.json"] = Fault("endless")
    config = settings(mirror.url + MIRROR_ROOT + "/downloads.json")

    with pytest.raises(InstallError, match=r"larger than 64 MB, more than any real downloads JSON"):
        install_python("3.12", config)
    assert leftovers(config.install_dir) == []


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_downloads_json_that_is_not_a_regular_file_is_refused(
    kind: str, settings: Settings, tmp_path: Path
) -> None:
    path = Path("/dev/zero") if kind == "device" else tmp_path / "downloads.json"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer forever

    with pytest.raises(InstallError, match=r"cannot read the downloads JSON .*(character device|FIFO)"):
        install_python("3.12", settings(path))


def test_an_archive_claiming_more_than_the_cap_is_refused_before_download(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings, mirror: Mirror
) -> None:
    downloads = publish((pbs_archive.version, pbs_archive.path))
    mirror.faults[served_path(pbs_archive.version)] = Fault("oversize")
    config = settings(downloads)

    with pytest.raises(DownloadError, match=r"larger than 1 GB, more than any real Python archive"):
        install_python("3.12", config)
    assert mirror.requests_for(served_path(pbs_archive.version)) == 1, "a refusal is not retried"
    assert leftovers(config.install_dir) == []


def copy_release(archive: Archive, folder: Path) -> Path:
    """The archive in a copy of the release files on disk, named as GitHub names it (`+`, which URLs
    spell %2B)."""
    path = folder / unquote(release_path(archive.version))
    path.parent.mkdir(parents=True)
    shutil.copyfile(archive.path, path)
    return path


def test_a_file_mirror_serves_the_catalogue_the_size_and_the_archive(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
    tmp_path: Path,
) -> None:
    local = tmp_path / "pbs mirror"
    archive = copy_release(pbs_archive, local)
    shutil.copyfile(publish((pbs_archive.version, pbs_archive.path)), local / "downloads.json")
    config = settings((local / "downloads.json").as_uri(), mirror=local.as_uri())

    offer = download_offer("3.12", config)
    assert (str(offer.build.version), offer.size) == (pbs_archive.version, archive.stat().st_size)
    result = install_python("3.12", config)

    assert (result.source, result.version) == ("downloaded", pbs_archive.version)
    assert interpreter_facts(result.python) == (
        pbs_archive.version,
        str(config.install_dir / pbs_archive.key),
    )
    assert mirror.log == [], "nothing came over the network"


def test_a_file_url_outside_the_configured_mirror_is_refused(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    tmp_path: Path,
) -> None:
    # A downloads JSON that sends the download to a local file: only a mirror the user set may.
    elsewhere = tmp_path / "elsewhere"
    copy_release(pbs_archive, elsewhere)
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        publish((pbs_archive.version, pbs_archive.path))
        .read_text()
        .replace(GITHUB_PREFIX, elsewhere.as_uri())
    )
    config = settings(hostile, mirror=(tmp_path / "mirror").as_uri())

    with pytest.raises(InstallError, match="only https:// is allowed"):
        install_python("3.12", config)
    assert leftovers(config.install_dir) == []


def test_no_matching_build_names_the_request_and_platform(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings
) -> None:
    downloads = publish((pbs_archive.version, pbs_archive.path))

    with pytest.raises(
        InstallError,
        match=f"no CPython build matching 3.11 for linux-x86_64-gnu in {downloads}",
    ):
        install_python("3.11", settings(downloads))


def test_an_archive_without_the_install_only_layout_is_refused(
    publish: Callable[..., Path], settings: Settings
) -> None:
    import tarfile

    archive = tar_gz_bytes([(tarfile.TarInfo("python/README"), b"not an interpreter")])
    config = settings(publish(("3.12.9", archive)))

    with pytest.raises(
        InstallError,
        match=r"does not have the install_only layout \(no python/bin/python3.12\)",
    ):
        install_python("3.12", config)
    assert leftovers(config.install_dir) == []


def test_uninstall_removes_only_the_matching_installation(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path)))
    result = install_python("3.12", config)

    assert uninstall_python(pbs_archive.version, config.install_dir) == [result.home]

    assert leftovers(config.install_dir) == []
    with pytest.raises(InstallError, match=f"no Python matching {pbs_archive.version} is installed"):
        uninstall_python(pbs_archive.version, config.install_dir)


def test_cancel_while_waiting_for_another_install(
    pbs_archive: Archive,
    publish: Callable[..., Path],
    settings: Settings,
    mirror: Mirror,
) -> None:
    """Another process holds the install dir's lock; a cancelled request stops waiting and downloads nothing."""
    from filelock import FileLock

    config = settings(publish((pbs_archive.version, pbs_archive.path)))
    config.install_dir.mkdir(parents=True)
    cancel = threading.Event()
    cancel.set()

    with FileLock(config.install_dir / ".lock"), pytest.raises(InstallCancelled):
        install_python("3.12", config, cancel=cancel)

    assert mirror.requests_for(served_path(pbs_archive.version)) == 0


def test_the_offer_names_the_build_and_its_size_without_downloading_it(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings, mirror: Mirror
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path)))
    path = served_path(pbs_archive.version)

    offer = download_offer("3.12", config)

    assert str(offer.build.version) == pbs_archive.version
    assert offer.size == pbs_archive.path.stat().st_size
    assert mirror.requests_for(f"HEAD {path}") == 1
    assert mirror.requests_for(path) == 0, "only the headers are fetched"
    assert not config.install_dir.exists() or not any(config.install_dir.iterdir())


def test_the_offer_does_not_wait_for_a_silent_mirror(
    pbs_archive: Archive, publish: Callable[..., Path], settings: Settings
) -> None:
    config = settings(publish((pbs_archive.version, pbs_archive.path)))
    # A server that accepts the connection and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        config = replace(config, mirror=f"http://127.0.0.1:{port}{MIRROR_ROOT}")
        offer = download_offer("3.12", config, timeout=0.5)
        # The question came without the size, and the helper hung up on the mirror rather than waiting
        # on: its connection is closed (end of stream), not left open.
        client, _ = silent.accept()
        with client:
            client.settimeout(30)
            request = client.recv(65536)
            while chunk := client.recv(65536):
                request += chunk
    assert str(offer.build.version) == pbs_archive.version and offer.size is None
    assert request.startswith(b"HEAD "), request
