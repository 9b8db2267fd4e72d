"""The fast uv.lock reader agrees with a full tomllib parse, and falls back when the layout is unusual."""

from __future__ import annotations

import re
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


# The generated cases' locks (small): the full parse read from them what the fast reader reads.
CASE_LOCKS = [path for path in LOCKS if path.is_relative_to(ROOT / "tests/fixtures")]


def _edges(lock: uv.UvLock) -> list[tuple[str, str, str | None, tuple[str, str] | None]]:
    """A lock's dependency edges by owner; not where each is (the full parse knows only the entry's)."""
    return [(owner.name, name, version, source) for owner, _, name, version, source in lock._edges()]


@pytest.mark.parametrize("path", CASE_LOCKS, ids=[str(p.relative_to(ROOT)) for p in CASE_LOCKS])
def test_the_full_parse_places_entries_and_edges_as_the_fast_reader(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, full = uv._scan(path, text), slow(path, text)
    assert fast is not None
    assert full.path == path
    assert [p.offset for p in full.packages] == [p.offset for p in fast.packages]
    assert _edges(full) == _edges(fast)
    assert uv.FORMAT.entries(full) == uv.FORMAT.entries(fast)


def test_the_full_parse_reads_every_kind_of_edge() -> None:
    # The local entry's dependencies, then those of its extra cli, then of its groups dev and lint.
    path = ROOT / "tests/fixtures/drift/uv-app/in-sync/uv.lock"
    full = slow(path, path.read_text(encoding="utf-8"))
    assert [(name, version, source) for owner, name, version, source in _edges(full) if owner == "app"] == [
        ("idna", None, None),
        ("packaging", None, None),
        ("six", None, None),
        ("typing-extensions", None, None),
        ("click", None, None),
        ("colorama", None, None),
        ("certifi", None, None),
        ("iniconfig", None, None),
        ("certifi", None, None),
    ]


def test_an_edge_that_names_its_version_and_source_is_read_whole_by_either_reader() -> None:
    path = ROOT / "tests/fixtures/drift/uv-rules/in-sync/uv.lock"
    text = path.read_text(encoding="utf-8")
    fast = uv._scan(path, text)
    assert fast is not None
    pinned = [edge for edge in _edges(fast) if edge[2] is not None]
    assert pinned and all(source is not None for *_, source in pinned)
    assert [edge for edge in _edges(slow(path, text)) if edge[2] is not None] == pinned


@pytest.mark.parametrize("host", ["files.pythonhosted.org", "test-files.pythonhosted.org"])
def test_entries_edited_to_another_version_are_refused_alike_by_either_reader(host: str) -> None:
    # Every registry entry's version edited by hand: uv refuses the lock at each entry with files, wheels
    # only (certifi) or an sdist and wheels, whatever hyphens the index's host has.
    path = ROOT / "tests/fixtures/drift/uv-app/in-sync/uv.lock"
    text = path.read_text(encoding="utf-8").replace("files.pythonhosted.org", host)
    text = re.sub(r'(\nversion = )"[^"]+"(\nsource = \{ registry)', r'\1"0.0.0.post9"\2', text)
    fast = uv._scan(path, text)
    assert fast is not None
    registry = [p for p in fast.packages if p.source_kind == "registry"]
    assert [(at, message.split(" says ")[0]) for at, message in fast.problems] == [
        (p.offset, f"uv.lock's entry for {p.name}") for p in registry
    ]
    assert "says 0.0.0.post9, but its files are version 2026.10.19.post1:" in fast.problems[0][1]
    assert slow(path, text).problems == fast.problems


ODD_ENTRIES = """\
version = 1
revision = 3
requires-python = ">=3.10"

[[package]]
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "no-source"
version = "2.0"

[[package]]
name = "number-version"
version = 3
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/number_version-9.9.tar.gz" }

[[package]]
name = "sdist-only"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/packages/sdist_only-1.1.tar.gz" }

[[package]]
name = "with-metadata"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[package.metadata]
requires-dist = [{ name = "six" }]
"""


def test_the_full_parse_reads_entries_uv_never_writes_as_they_are() -> None:
    # CRLF: the fast reader leaves the lock to the full parse.
    lock = uv.parse_lock(Path("uv.lock"), ODD_ENTRIES.replace("\n", "\r\n"))
    assert isinstance(lock, uv.UvLock)
    # The entry without a name is passed over, not the ones after it.
    assert [(p.name, p.version, p.source_kind, p.source) for p in lock.packages] == [
        ("no-source", "2.0", "", ""),
        ("number-version", None, "registry", "https://pypi.org/simple"),
        ("sdist-only", "1.0", "registry", "https://pypi.org/simple"),
        ("with-metadata", "1.0", "registry", "https://pypi.org/simple"),
    ]
    # A registry entry with metadata is read whole, as a local one; the sdist of another version is
    # refused (a version with no text has nothing to compare).
    assert set(lock.local) == {"with-metadata"}
    ((offset, problem),) = lock.problems
    assert offset == ODD_ENTRIES.replace("\n", "\r\n").index('[[package]]\r\nname = "sdist-only"')
    assert problem.startswith("uv.lock's entry for sdist-only says 1.0, but its files are version 1.1:"), (
        problem
    )
