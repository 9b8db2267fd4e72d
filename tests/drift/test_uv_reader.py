"""The fast uv.lock reader agrees with a full tomllib parse, and falls back when the layout is unusual."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyhelper.drift.lock import check_project
from pyhelper.lockfiles import uv
from pyhelper.lockfiles.selection import uv_graph
from pyhelper.tomlfile import TomlDocument, loads, parse_toml

ROOT = Path(__file__).parents[2]
# Every uv.lock the repository holds: the generated cases, the real corpus, the benchmark's.
LOCKS = sorted(
    path
    for folder in ("tests/fixtures", "tests/corpus/projects", "bench/fixtures")
    for path in (ROOT / folder).rglob("uv.lock")
)
# What the fast reader leaves out of a local entry (see uv._without_edges): its dependency edges.
_EDGE_KEYS = ("dependencies", "optional-dependencies", "dev-dependencies")


def slow(path: Path, text: str) -> uv.UvLock:
    doc = parse_toml(path, text)
    assert isinstance(doc, TomlDocument)
    return uv._from_document(doc)


@pytest.mark.parametrize("path", LOCKS, ids=[str(p.relative_to(ROOT)) for p in LOCKS])
def test_fast_reader_matches_tomllib(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = uv._scan(path, text)
    assert fast is not None, "the fixture is in uv's layout, so the fast path must take it"
    full = slow(path, text)
    assert fast.top == full.top
    assert [(p.name, p.version, p.source_kind, p.source) for p in fast.packages] == [
        (p.name, p.version, p.source_kind, p.source) for p in full.packages
    ]
    assert {n: local.data for n, local in fast.local.items()} == {
        n: _without_edges(local.data) for n, local in full.local.items()
    }
    assert [message for _, message in fast.problems] == [message for _, message in full.problems]
    assert [m for _, m in fast.dependency_problems] == [m for _, m in full.dependency_problems]
    for name, local in fast.local.items():
        for key_path in _checked_paths(full.local[name].data):
            path_in_chunk = (*local.path, *key_path)
            path_in_full = (*full.local[name].path, *key_path)
            assert fast.range_in(local.chunk, path_in_chunk) == full.range_in(
                full.local[name].chunk, path_in_full
            ), key_path


def _without_edges(data: dict[str, Any]) -> dict[str, Any]:
    """A fully parsed entry as the fast reader gives it: its edge arrays empty."""
    stripped = dict(data)
    for key in _EDGE_KEYS:
        if key in stripped:
            value = stripped[key]
            stripped[key] = [] if isinstance(value, list) else {extra: [] for extra in value}
    return stripped


def _checked_paths(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """The places in a local entry the check reports at: its version, default-groups and metadata."""
    paths: list[tuple[str | int, ...]] = [
        (),
        *((key,) for key in ("version", "default-groups") if key in data),
    ]
    metadata = data.get("metadata", {})
    for key, value in metadata.items():
        paths.append(("metadata", key))
        if isinstance(value, list):
            paths.extend(("metadata", key, index) for index in range(len(value)))
        elif isinstance(value, dict):
            paths.extend(("metadata", key, group) for group in value)
    return paths


def test_unusual_layout_falls_back_to_a_full_parse() -> None:
    path = ROOT / "tests/fixtures/drift/uv-app/in-sync/uv.lock"
    text = path.read_text(encoding="utf-8").replace(
        '[[package]]\nname = "idna"', '[[package]]\n# hand note\nname = "idna"'
    )
    assert uv._scan(path, text) is None
    lock = uv.parse_lock(path, text)
    assert isinstance(lock, uv.UvLock)
    assert "idna" in lock.by_name


@pytest.mark.parametrize("path", LOCKS, ids=[str(p.relative_to(ROOT)) for p in LOCKS])
def test_the_entry_reader_reads_what_tomllib_reads(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lock = uv._scan(path, text)
    assert lock is not None
    for local in lock.local.values():
        assert uv._read_entry(local.chunk.doc.text) is not None, "uv's layout of a local entry"
    ends = [*(p.offset for p in lock.packages[1:]), len(text)]
    for package, end in zip(lock.packages, ends, strict=True):
        entry = text[package.offset : end]
        for variant in (entry, uv._without_edges(entry)):
            read = uv._read_entry(variant)
            if read is not None:  # None: tomllib reads it (registry entries hold integers, for one)
                assert read == loads(variant), package.name


@pytest.mark.parametrize(
    "entry",
    [
        '[[package]]\nname = "a"\nsource = { virtual = ".", }\n',  # TOML has no trailing comma there
        '[[package]]\nname = "a"\nextras = ["x" "y"]\n',
        '[[package]]\nname = "a"\nname = "b"\n',
        '[[package]]\nname = "a"\nmetadata = { x = "1" }\n\n[package.metadata]\ny = "2"\n',
        '[[package]]\nname = "a"\n\n[package.metadata]\n\n[package.metadata]\n',
        '[[package]]\nname = "a\\"b"\n',
        '[[package]]\nname = "a" # note\n',
        "[[package]]\nsize = 12\n",
        '[[package]]\nlist = [\n    "a"\n]\n',
        '[[package]]\nname = "a"\nx = ' + "[" * 50_000 + "]" * 50_000 + "\n",  # the limit is tomllib's
    ],
)
def test_the_entry_reader_leaves_the_rest_to_tomllib(entry: str) -> None:
    assert uv._read_entry(entry) is None


def test_a_local_entry_nested_too_deeply_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "a"\nversion = "1"\n')
    deep = "[" * 50_000 + "]" * 50_000
    (tmp_path / "uv.lock").write_text(
        f'version = 1\nrevision = 3\n\n[[package]]\nname = "a"\nversion = "1"\nsource = {{ editable = "." }}\nx = {deep}\n'
    )
    (found,) = [f for f in check_project(tmp_path) if f.code == "toml-syntax"]
    assert "nested too deeply" in found.message


@pytest.mark.parametrize("path", LOCKS, ids=[str(p.relative_to(ROOT)) for p in LOCKS])
def test_the_graph_of_a_rewritten_lock_built_from_the_last_one_is_the_graph_built_afresh(path: Path) -> None:
    # As after `uv add`: an entry gone (those after it move), one changed, the rest as they were.
    text = path.read_text(encoding="utf-8")
    old = uv._scan(path, text)
    assert old is not None
    starts = [package.offset for package in old.packages]
    if len(starts) < 3:
        return
    gone, changed = len(starts) // 2, 1
    new_text = text[: starts[gone]] + text[starts[gone + 1] :]
    at = new_text.index('\nversion = "', starts[changed]) + 1
    new_text = new_text[:at] + 'version = "0.0.0.post9"' + new_text[new_text.index("\n", at) :]
    new = uv._scan(path, new_text)
    assert new is not None
    earlier = uv_graph(old)
    revised = uv_graph(new, earlier=earlier)
    assert revised == uv_graph(new)
    assert revised.nodes[0] is earlier.nodes[0]  # taken as it was, not parsed again
    assert revised.nodes[changed].version == "0.0.0.post9"
