from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from downloads.mirror_server import Mirror, running_mirror
from downloads.pbs_fixture import (
    MIRROR_ROOT,
    Archive,
    build_archive,
    downloads_json,
    served_path,
    sha256_of,
)
from pyhelper.downloads import InstallSettings


@pytest.fixture(scope="session")
def pbs_archive(request: pytest.FixtureRequest) -> Archive:
    """The real install_only archive of pyenv's 3.12, built once and kept in the pytest cache."""
    return build_archive(Path(request.config.cache.mkdir("lockstep-pbs-archive")))


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    with running_mirror() as server:
        yield server


Publish = Callable[..., Path]


@pytest.fixture
def publish(mirror: Mirror, tmp_path: Path) -> Publish:
    """Serve archives on the mirror and write a downloads JSON naming them; returns the JSON's path.

    Each entry is (version, archive bytes or path[, sha256 to record instead of the true one]).
    """

    def publish(
        *entries: tuple[str, bytes | Path] | tuple[str, bytes | Path, str],
    ) -> Path:
        records = []
        for version, body, *recorded in entries:
            mirror.files[served_path(version)] = body
            records.append((version, recorded[0] if recorded else sha256_of(body)))
        path = tmp_path / "downloads.json"
        path.write_text(downloads_json(records))
        return path

    return publish


@pytest.fixture
def settings(mirror: Mirror, tmp_path: Path) -> Callable[..., InstallSettings]:
    """Settings pointing at the mirror and a fresh install dir (and an empty uv dir)."""

    def make(downloads: Path | str, **overrides: object) -> InstallSettings:
        values: dict[str, object] = {
            "install_dir": tmp_path / "installs",
            "mirror": mirror.url + MIRROR_ROOT,
            "downloads_json": str(downloads),
            "uv_install_dir": tmp_path / "uv-python",
            "timeout": 10.0,
        }
        values.update(overrides)
        return InstallSettings(**values)  # type: ignore[arg-type]

    return make
