"""A loopback index of its own for dependency health (tests here yank, advise and misbehave on it),
and a uv project locked against it by real uv."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from health.health_support import run_uv
from support.index import Dist, PackageIndex

CATALOGUE = [
    Dist("web", "1.0"),
    Dist("tool", "1.0", requires=("parser>=1",)),
    Dist("parser", "1.0"),
    Dist("parser", "0.9"),
]

PYPROJECT = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = [
    "web>=1",
    "tool",
]

[[tool.uv.index]]
name = "loopback"
url = "{url}"
default = true
"""


@pytest.fixture
def health_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PackageIndex]:
    index = PackageIndex(tmp_path_factory.mktemp("health-index"))
    index.add(CATALOGUE)
    with index.start():
        yield index


@pytest.fixture
def uv_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uv-cache")


@pytest.fixture
def health_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the health cache goes ($XDG_CACHE_HOME/lockstep/health), empty for each test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path / "xdg-cache" / "lockstep" / "health"


@pytest.fixture
def locked_app(tmp_path: Path, health_index: PackageIndex, uv: Path, uv_cache: Path) -> Path:
    """`app` locked by real uv against the loopback index: web 1.0, tool 1.0, parser 1.0."""
    project = tmp_path / "app"
    project.mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT.format(url=health_index.url))
    run_uv(uv, ["lock"], project, health_index, uv_cache)
    return project
