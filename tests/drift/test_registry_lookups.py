"""The registry's lookups: by name, by file name, by manager, the locks in a folder and the watcher's
globs, for the formats registered today and for a registry shaped otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyhelper.lockfiles import pdm, poetry, pylock, registry, uv
from pyhelper.lockfiles.format import LockFormat


def test_formats_by_name_file_and_manager() -> None:
    assert [registry.format_named(n) for n in ("uv", "poetry", "pdm", "pylock", "hatch")] == [
        uv.FORMAT,
        poetry.FORMAT,
        pdm.FORMAT,
        pylock.FORMAT,
        None,
    ]
    assert [
        registry.format_of_file(n)
        for n in ("uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "pylock.dev.toml", "pylock.a.b.toml")
    ] == [uv.FORMAT, poetry.FORMAT, pdm.FORMAT, pylock.FORMAT, pylock.FORMAT, None]
    assert registry.format_of_file("pyproject.toml") is None
    assert [registry.format_for_manager(m) for m in ("uv", "poetry", "pdm", "hatch", "pep621")] == [
        uv.FORMAT,
        poetry.FORMAT,
        pdm.FORMAT,
        None,
        None,
    ]


def test_the_locks_of_a_folder_in_precedence_order(tmp_path: Path) -> None:
    for name in ("pylock.toml", "pylock.b.toml", "pylock.a.toml", "pdm.lock", "uv.lock", "pylock.x.y.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    os.mkfifo(tmp_path / "poetry.lock")  # not a regular file: reported as unreadable later, not missing
    assert [(fmt.name, path.name) for fmt, path in registry.find_lockfiles(tmp_path)] == [
        ("uv", "uv.lock"),
        ("poetry", "poetry.lock"),
        ("pdm", "pdm.lock"),
        ("pylock", "pylock.a.toml"),
        ("pylock", "pylock.b.toml"),
        ("pylock", "pylock.toml"),
    ]


def test_a_folder_that_cannot_be_listed_has_no_locks(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "pyproject.toml"
    not_a_folder.write_text("", encoding="utf-8")
    assert registry.find_lockfiles(not_a_folder) == []
    assert registry.find_lockfiles(tmp_path / "missing") == []


def _format(name: str, **fields: object) -> LockFormat[object]:
    return LockFormat(
        name=name,
        manager=None,
        parse=lambda p, t: t,
        check=lambda c, lock: [],
        versions=lambda lock, n: [],
        **fields,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("formats", "globs"),
    [
        (
            (uv.FORMAT, poetry.FORMAT, pdm.FORMAT, pylock.FORMAT),
            ("**/{uv,poetry,pdm}.lock", "**/pylock*.toml"),
        ),
        ((pylock.FORMAT,), ("**/pylock*.toml",)),
        (
            (
                uv.FORMAT,
                _format("wild", watch_globs=("wild-*.lock",)),
                _format("plain", file_names=("plain.txt",)),
            ),
            ("**/{uv}.lock", "**/wild-*.lock", "**/plain.txt"),
        ),
    ],
)
def test_watch_globs(
    monkeypatch: pytest.MonkeyPatch, formats: tuple[LockFormat[object], ...], globs: tuple[str, ...]
) -> None:
    monkeypatch.setattr(registry, "FORMATS", formats)
    assert registry.watch_globs() == globs
