"""Where uv.lock findings sit, what they link to and say, and what the lock reader gives dependency
health (`FORMAT.entries`), on the generated cases (verdicts by uv 0.13.9 in cases.json)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pyhelper.drift.lock import check_project
from pyhelper.findings import Finding, Position, Range
from pyhelper.lockfiles import uv
from pyhelper.tomlfile import TomlDocument, loads

DRIFT = Path(__file__).parents[1] / "fixtures" / "drift"


def line_of(path: Path, where: Range) -> str:
    return path.read_text(encoding="utf-8").splitlines()[where.start.line]


def text_at(path: Path, where: Range) -> str:
    assert where.start.line == where.end.line
    return line_of(path, where)[where.start.character : where.end.character]


def only(case: str, code: str) -> Finding:
    (found,) = [f for f in check_project(DRIFT / case) if f.code == code]
    return found


def test_an_edge_uv_refuses_is_marked_to_the_end_of_its_line() -> None:
    invalid = only("uv-rules/lock-dependency-removed", "lock-invalid")
    line = line_of(invalid.path, invalid.range)
    assert invalid.range.end == Position(invalid.range.start.line, len(line))
    assert text_at(invalid.path, invalid.range) == line.strip()
    assert line.strip().startswith('{ name = "urllib3"')


def test_an_entry_edited_to_another_version_is_marked_at_its_header(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(DRIFT / "uv-app/in-sync", project)
    lock = project / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    lock.write_text(
        text.replace('name = "idna"\nversion = "', 'name = "idna"\nversion = "9', 1), encoding="utf-8"
    )
    (invalid,) = [f for f in check_project(project) if f.code == "lock-invalid"]
    assert (text_at(lock, invalid.range), line_of(lock, Range.at(invalid.range.start.line + 1))) == (
        "[[package]]",
        'name = "idna"',
    )


def test_what_uv_lock_recorded_is_linked_where_it_is_written() -> None:
    cases = {
        ("uv-app/requires-python-tightened", "lock-requires-python"): '">=3.10"',
        ("uv-app/project-version", "lock-stale"): '"0.1.0"',
        ("uv-rules/default-groups-changed", "lock-stale"): '["dev", "lint"]',
    }
    for (case, code), recorded in cases.items():
        (related,) = only(case, code).related
        assert (related.path, text_at(related.path, related.range), related.message) == (
            DRIFT / case / "uv.lock",
            recorded,
            "recorded here",
        ), case


def test_default_groups_all_is_shown_as_written() -> None:
    assert only("uv-rules/default-groups-all", "lock-stale").message == (
        'uv.lock records default-groups = ["dev", "lint"] for rules; it is now "all", so uv will re-lock '
        "— run `uv lock`"
    )


def test_dynamic_requirement_lists_are_named_each(tmp_path: Path) -> None:
    one = only("uv-rules/in-sync", "dynamic-requirements")
    assert one.message == (
        "dyn's `dependencies` is dynamic (computed by its build backend), so Lockstep takes uv.lock's record "
        "of it as declared; `uv lock --check` builds the package to compare"
    )
    project = tmp_path / "rules"
    shutil.copytree(DRIFT / "uv-rules/in-sync", project)
    member = project / "dyn" / "pyproject.toml"
    text = member.read_text(encoding="utf-8")
    member.write_text(
        text.replace('dynamic = ["dependencies"]', 'dynamic = ["dependencies", "optional-dependencies"]'),
        encoding="utf-8",
    )
    (two,) = [f for f in check_project(project) if f.code == "dynamic-requirements"]
    assert two.message == (
        "dyn's `dependencies` and `optional-dependencies` are dynamic (computed by its build backend), so "
        "Lockstep takes uv.lock's record of them as declared; `uv lock --check` builds the package to compare"
    )


def test_entries_give_each_package_its_place_index_and_dependencies() -> None:
    path = DRIFT / "uv-app/in-sync/uv.lock"
    lock = uv.parse_lock(path, path.read_text(encoding="utf-8"))
    assert isinstance(lock, uv.UvLock)
    entries = {entry.name: entry for entry in uv.FORMAT.entries(lock)}
    assert [entry.name for entry in uv.FORMAT.entries(lock)] == [p.name for p in lock.packages]
    app, certifi = entries["app"], entries["certifi"]
    # Each edge's name once, in the lock's order: dependencies, the extra's, the groups'.
    assert app[1:] == (
        "0.1.0",
        app.range,
        None,
        False,
        ("idna", "packaging", "six", "typing-extensions", "click", "colorama", "certifi", "iniconfig"),
    )
    assert certifi[1:] == ("2026.10.19.post1", certifi.range, "https://pypi.org/simple", True, ())
    for entry in entries.values():
        line = line_of(path, entry.range)
        assert (text_at(path, entry.range), entry.range.end.character) == (line, len(line))
        assert line == f'name = "{entry.name}"'


def test_a_workspace_member_pattern_never_leaves_the_workspace(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for folder in (root / "inside", tmp_path / "outside"):
        folder.mkdir(parents=True)
        (folder / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    text = '[tool.uv.workspace]\nmembers = ["../outside", "inside"]\n'
    doc = TomlDocument(root / "pyproject.toml", text, loads(text))
    assert uv.member_dirs(root, doc) == [root / "inside"]
