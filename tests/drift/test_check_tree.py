"""Checking a folder of projects (the CLI's unit of work) and the project-level rules around the
format checks: a workspace checked once, every other project still checked, one finding per problem
however many locks see it, unreadable locks reported, and where `lock-missing` goes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pyhelper.drift.lock import check_project, check_tree
from pyhelper.findings import Position, Range, Severity
from pyhelper.lockfiles import LockCache

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"


def test_a_workspace_is_checked_once_and_the_projects_after_it_too(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "uv-workspace/member-add-dependency", tmp_path / "a-workspace")
    shutil.copytree(FIXTURES / "uv-app/add-new-package", tmp_path / "b-app")
    findings = check_tree(tmp_path)
    assert sorted((f.code, f.path.relative_to(tmp_path).as_posix()) for f in findings) == [
        ("lock-missing-package", "a-workspace/packages/lib/pyproject.toml"),
        ("lock-missing-package", "b-app/pyproject.toml"),
    ]


def test_a_problem_two_locks_see_is_one_finding(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "uv-app/in-sync", root)
    shutil.copy(FIXTURES / "pylock-uv/in-sync/pylock.toml", root / "pylock.toml")
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(
        text.replace('"six>=1.10,<2",', '"six>=1.10,<2 !!",'), encoding="utf-8"
    )
    invalid = [f for f in check_project(root) if f.code == "requirement-invalid"]
    assert len(invalid) == 1


def test_a_lock_that_cannot_be_read_is_reported_with_the_other_locks(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "pylock-uv/in-sync", root)
    (root / "uv.lock").mkdir()  # there, but not a file that can be read
    findings = check_project(root)
    assert [(f.code, f.severity, f.path.name) for f in findings] == [
        ("toml-syntax", Severity.ERROR, "uv.lock")
    ]
    assert findings[0].message.startswith("uv.lock cannot be read: ")


def test_a_workspace_member_with_a_pylock_of_its_own_is_still_checked_with_its_workspace(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "uv-workspace/member-add-dependency", root)
    member = root / "packages" / "lib"
    (member / "pylock.toml").write_text(
        'lock-version = "1.0"\ncreated-by = "uv"\npackages = []\n', encoding="utf-8"
    )
    messages = [f.message for f in check_project(member) if f.code == "lock-missing-package"]
    assert "attrs is required here but not in uv.lock — run `uv lock`" in messages


def test_lock_missing_sits_on_the_table_that_names_the_manager(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\n\n[build-system]\nrequires = ["poetry-core"]\n'
        'build-backend = "poetry.core.masonry.api"\n',
        encoding="utf-8",
    )
    (finding,) = check_project(tmp_path)
    assert (finding.code, finding.range.start.line) == ("lock-missing", 4)
    assert (
        finding.message
        == "this poetry project has no poetry.lock — run `poetry lock` to pin its dependencies"
    )


def test_lock_missing_without_a_table_of_its_own_sits_on_project_or_the_top(tmp_path: Path) -> None:
    # `[tool.poetry.dependencies]` alone defines `tool.poetry` without a header of its own.
    (tmp_path / "pyproject.toml").write_text(
        '# an app\n[project]\nname = "x"\nversion = "1"\n\n[tool.poetry.dependencies]\nidna = "^3"\n',
        encoding="utf-8",
    )
    (finding,) = check_project(tmp_path)
    assert (finding.code, finding.severity, finding.range) == (
        "lock-missing",
        Severity.INFORMATION,
        Range(Position(1, 0), Position(1, 9)),
    )
    (tmp_path / "pyproject.toml").write_text(
        '\n\n[tool.poetry.dependencies]\nidna = "^3"\n', encoding="utf-8"
    )
    (finding,) = check_project(tmp_path)
    assert (finding.code, finding.range) == ("lock-missing", Range.at(0))


def test_check_tree_keeps_the_locks_it_parsed_in_the_cache_it_is_given(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "uv-app/in-sync", tmp_path / "app")
    cache = LockCache()
    assert check_tree(tmp_path, cache) == []

    def not_again(path: Path, text: str) -> object:
        raise AssertionError(f"{path} was parsed again")

    # The lock is unchanged on disk: the cache answers with what check_tree parsed.
    assert cache.get(tmp_path / "app" / "uv.lock", "uv", not_again) is not None


def test_check_tree_of_something_that_is_no_folder_fails_rather_than_finding_nothing(tmp_path: Path) -> None:
    # The CLI must not say "no problems" of a folder it could not list (walk.folders' `strict`).
    shutil.copytree(FIXTURES / "uv-app/in-sync", tmp_path / "app")
    with pytest.raises(NotADirectoryError):
        check_tree(tmp_path / "app" / "pyproject.toml")
