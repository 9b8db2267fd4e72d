"""Index sources scoped to dependency groups, with verdicts of real uv asked live: two flat indexes on disk
(`file://`, a wheel built here in each), a project locked with `uv lock --offline` that takes `six` from
one index in group g1 and from the other in g2 (conflicting groups), then edited and checked with
`uv lock --check --offline`. uv records such a requirement with the conflict it resolves in (the
project and the group), which the engine compares and names as `app:g1`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyhelper.drift.lock import check_project, is_drift
from support.index import Dist, build_wheel
from support.tools import uv_offline

PROJECT = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"

[dependency-groups]
g1 = ["six"]
g2 = ["six"]

[tool.uv]
conflicts = [[{{ group = "g1" }}, {{ group = "g2" }}]]

[tool.uv.sources]
six = {sources}

[[tool.uv.index]]
name = "one"
url = "{one}"
format = "flat"
explicit = true

[[tool.uv.index]]
name = "two"
url = "{two}"
format = "flat"
explicit = true
"""
LOCKED = '[{ index = "one", group = "g1" }, { index = "two", group = "g2" }]'


def _write(root: Path, sources: str) -> None:
    indexes = {name: (root.parent / name).as_uri() for name in ("one", "two")}
    (root / "pyproject.toml").write_text(PROJECT.format(sources=sources, **indexes), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, uv: Path) -> Path:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        build_wheel(Dist("six", "1.16.0"), tmp_path / name)
    root = tmp_path / "app"
    root.mkdir()
    _write(root, LOCKED)
    assert uv_offline(uv, root, "lock") == 0
    return root


@pytest.mark.parametrize(
    ("sources", "verdict"),
    [
        (LOCKED, False),
        ('[{ index = "two", group = "g2" }, { index = "one", group = "g1" }]', False),
        ('[{ index = "one", group = "G1" }, { index = "two", group = "g2" }]', False),
        ('[{ index = "two", group = "g1" }, { index = "one", group = "g2" }]', True),
    ],
)
def test_a_group_scoped_index_source_verdict_is_uvs(
    project: Path, uv: Path, sources: str, verdict: bool
) -> None:
    _write(project, sources)
    stale = uv_offline(uv, project, "lock", "--check") != 0
    assert stale == verdict
    findings = check_project(project)
    assert is_drift(findings) == stale, [f"{f.code} {f.message}" for f in findings]


def test_the_conflict_of_a_group_scoped_source_is_named_by_its_group(project: Path) -> None:
    _write(project, '[{ index = "two", group = "g1" }, { index = "one", group = "g2" }]')
    messages = [f.message for f in check_project(project) if f.code == "lock-stale"]
    assert messages and all(" from conflict app:g" in message for message in messages), messages
    assert any(" from conflict app:g1 " in message for message in messages), messages
