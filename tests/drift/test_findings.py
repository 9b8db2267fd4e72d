"""What each finding says and where: code, severity, exact range and message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pyhelper.drift.lock import LockCache, check_project
from pyhelper.findings import Finding, Position, Range, Severity
from pyhelper.tomlfile import parse_toml

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def text_at(finding: Finding) -> str:
    lines = finding.path.read_text(encoding="utf-8").splitlines()
    assert finding.range.start.line == finding.range.end.line
    return lines[finding.range.start.line][finding.range.start.character : finding.range.end.character]


def test_new_requirement_not_in_uv_lock() -> None:
    finding = only(check_project(FIXTURES / "uv-app/add-new-package"))
    assert (finding.code, finding.severity, finding.path.name) == (
        "lock-missing-package",
        Severity.ERROR,
        "pyproject.toml",
    )
    assert text_at(finding) == '"attrs>=22"'
    assert finding.message == "attrs is required here but not in uv.lock — run `uv lock`"


def test_requirement_the_locked_version_does_not_satisfy() -> None:
    finding = only(check_project(FIXTURES / "uv-app/tighten-unsatisfied"))
    assert (finding.code, finding.severity) == ("lock-unsatisfied", Severity.ERROR)
    assert text_at(finding) == '"idna<3"'
    assert finding.message.startswith("idna is locked at 3.")
    assert finding.message.endswith("which does not satisfy <3 — run `uv lock`")
    # The lock's record of the old requirement is pointed at, not reported a second time.
    assert [r.path.name for r in finding.related] == ["uv.lock"]


def test_tightened_but_still_satisfied_is_a_warning() -> None:
    finding = only(check_project(FIXTURES / "uv-app/tighten-satisfied"))
    assert (finding.code, finding.severity) == ("lock-stale", Severity.WARNING)
    assert text_at(finding) == '"idna>=3.1"'
    assert finding.message == (
        "uv.lock records `idna>=3.0` for app; it still satisfies `idna>=3.1`, but uv will re-lock — run `uv lock`"
    )
    related = only(list(finding.related))  # type: ignore[arg-type]
    assert related.path.name == "uv.lock"


def test_removed_requirement_is_extraneous_on_the_lock_entry() -> None:
    finding = only(check_project(FIXTURES / "uv-app/remove-requirement"))
    assert (finding.code, finding.severity, finding.path.name) == (
        "lock-extraneous",
        Severity.WARNING,
        "uv.lock",
    )
    assert text_at(finding) == '{ name = "six", specifier = ">=1.10,<2" }'


def test_requires_python_finding_is_on_its_value() -> None:
    finding = only(check_project(FIXTURES / "uv-app/requires-python-tightened"))
    assert (finding.code, finding.severity) == ("lock-requires-python", Severity.ERROR)
    assert text_at(finding) == '">=3.11"'
    assert finding.range == Range(Position(4, 18), Position(4, 26))


def test_workspace_member_findings_are_on_the_members_file() -> None:
    finding = only(check_project(FIXTURES / "uv-workspace/member-add-dependency/packages/lib"))
    assert (
        finding.path
        == (FIXTURES / "uv-workspace/member-add-dependency/packages/lib/pyproject.toml").absolute()
    )
    assert (finding.code, text_at(finding)) == ("lock-missing-package", '"attrs"')


def test_hand_edited_uv_lock_version_is_invalid() -> None:
    finding = only(check_project(FIXTURES / "uv-app/lock-version-satisfying"))
    assert (finding.code, finding.path.name) == ("lock-invalid", "uv.lock")
    assert finding.path.read_text().splitlines()[finding.range.start.line] == "[[package]]"


def test_poetry_hash_mismatch_without_a_culprit_is_on_the_content_hash() -> None:
    finding = only(check_project(FIXTURES / "poetry-pep621/reorder"))
    assert (finding.code, finding.severity, finding.path.name) == (
        "lock-stale",
        Severity.WARNING,
        "poetry.lock",
    )
    assert text_at(finding).startswith('"') and len(text_at(finding)) == 66
    assert "content hash no longer matches" in finding.message


def test_poetry_names_the_requirement_it_can() -> None:
    finding = only(check_project(FIXTURES / "poetry-classic/tighten-unsatisfied"))
    assert (finding.code, text_at(finding)) == ("lock-unsatisfied", '"^2.0"')


def test_pdm_hand_edit_with_matching_hash_is_information() -> None:
    finding = only(check_project(FIXTURES / "pdm-app/lock-package-removed"))
    assert (finding.code, finding.severity) == (
        "lock-missing-package",
        Severity.INFORMATION,
    )
    assert "`pdm lock --check` still passes" in finding.message


def test_pylock_requires_python_conflict() -> None:
    finding = only(check_project(FIXTURES / "pylock-uv/requires-python-conflict"))
    assert (finding.code, text_at(finding)) == ("lock-requires-python", '">=3.8"')


def test_unsaved_buffer_stands_in_for_the_file() -> None:
    root = FIXTURES / "uv-app/in-sync"
    text = (root / "pyproject.toml").read_text().replace('"idna>=3.0",', '"idna>=3.0",\n    "httpx>=0.28",')
    finding = only(check_project(root, pyproject_text=text))
    assert (finding.code, finding.range.start.line) == ("lock-missing-package", 7)
    assert finding.message == "httpx is required here but not in uv.lock — run `uv lock`"
    assert check_project(root) == []


def test_a_buffer_parsed_once_stands_in_for_the_file() -> None:
    # The server parses a buffer once per change and hands the document to every check.
    root = FIXTURES / "uv-app/in-sync"
    text = (root / "pyproject.toml").read_text().replace('"idna>=3.0",', '"idna>=3.0",\n    "httpx>=0.28",')
    document = parse_toml(root / "pyproject.toml", text)
    finding = only(check_project(root, pyproject=document))
    assert (finding.code, finding.range.start.line) == ("lock-missing-package", 7)
    assert check_project(root, pyproject=document) == check_project(root, pyproject_text=text)
    broken = parse_toml(root / "pyproject.toml", text.replace('"six>=1.10,<2",', '"six>=1.10,<2" "x",'))
    assert [f.code for f in check_project(root, pyproject=broken)] == ["toml-syntax"]


def test_syntax_error_is_one_finding_at_its_place() -> None:
    root = FIXTURES / "uv-app/in-sync"
    text = (root / "pyproject.toml").read_text().replace('"six>=1.10,<2",', '"six>=1.10,<2" "x",')
    finding = only(check_project(root, pyproject_text=text))
    assert (finding.code, finding.severity, finding.range.start.line) == (
        "toml-syntax",
        Severity.ERROR,
        7,
    )


def test_broken_lock_is_a_syntax_finding_on_the_lock(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "uv-app/in-sync", tmp_path, dirs_exist_ok=True)
    (tmp_path / "uv.lock").write_text('version = 1\n[[package]]\nname = "x\n', encoding="utf-8")
    finding = only(check_project(tmp_path))
    assert (finding.code, finding.path.name, finding.range.start.line) == (
        "toml-syntax",
        "uv.lock",
        2,
    )


@pytest.mark.parametrize(
    ("tool_table", "lock_name"),
    [
        ("[tool.uv]\n", "uv.lock"),
        ("[tool.poetry]\n", "poetry.lock"),
        ("[tool.pdm]\n", "pdm.lock"),
    ],
)
def test_manager_without_its_lock_is_information(tmp_path: Path, tool_table: str, lock_name: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\nversion = "1"\ndependencies = ["six"]\n\n{tool_table}',
        encoding="utf-8",
    )
    finding = only(check_project(tmp_path))
    assert (finding.code, finding.severity) == ("lock-missing", Severity.INFORMATION)
    assert lock_name in finding.message
    assert finding.range.start.line == 5


def test_plain_pep621_project_without_lock_has_no_findings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\n', encoding="utf-8")
    assert check_project(tmp_path) == []


def test_lock_cache_parses_once_and_notices_changes(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "uv-app/in-sync", tmp_path, dirs_exist_ok=True)
    cache = LockCache()
    calls: list[str] = []

    def parse(path: Path, text: str) -> str:
        calls.append(text)
        return text

    lock = tmp_path / "uv.lock"
    first = cache.get(lock, "probe", parse)
    assert cache.get(lock, "probe", parse) is first
    lock.touch()
    lock.write_text(first, encoding="utf-8")  # same bytes, new mtime: hash says unchanged
    assert cache.get(lock, "probe", parse) is first
    assert len(calls) == 1
    lock.write_text(first + "\n", encoding="utf-8")
    assert cache.get(lock, "probe", parse) == first + "\n"
    assert len(calls) == 2
    assert check_project(tmp_path, cache=cache) == []
