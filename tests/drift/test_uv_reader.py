"""The fast uv.lock reader agrees with a full tomllib parse, and falls back when the layout is unusual."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyhelper.lockfiles import uv
from pyhelper.tomlfile import TomlDocument, parse_toml

ROOT = Path(__file__).parents[2]
LOCKS = [
    *sorted((ROOT / "tests/fixtures/drift").glob("uv-*/*/uv.lock")),
    ROOT / "bench/fixtures/large/uv.lock",
]


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
        n: local.data for n, local in full.local.items()
    }
    assert [message for _, message in fast.problems] == [message for _, message in full.problems]
    for name, local in fast.local.items():
        path_in_chunk = (*local.path, "metadata", "requires-dist", 0)
        path_in_full = (*full.local[name].path, "metadata", "requires-dist", 0)
        if local.chunk.doc.span(path_in_chunk):
            assert fast.range_in(local.chunk, path_in_chunk) == full.range_in(
                full.local[name].chunk, path_in_full
            )


def test_unusual_layout_falls_back_to_a_full_parse() -> None:
    path = ROOT / "tests/fixtures/drift/uv-app/in-sync/uv.lock"
    text = path.read_text(encoding="utf-8").replace(
        '[[package]]\nname = "idna"', '[[package]]\n# hand note\nname = "idna"'
    )
    assert uv._scan(path, text) is None
    lock = uv.parse_lock(path, text)
    assert isinstance(lock, uv.UvLock)
    assert "idna" in lock.by_name
