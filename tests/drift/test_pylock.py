"""pylock.toml is judged as the tool that wrote it judges it: PDM by its hash, others by PEP 751."""

from __future__ import annotations

import shutil
from pathlib import Path

from pyhelper.drift.lock import check_project
from pyhelper.findings import Finding, Position, Range, Severity

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def line_of(finding: Finding) -> str:
    return finding.path.read_text(encoding="utf-8").splitlines()[finding.range.start.line]


def copy(case: str, tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / case, tmp_path / "project")
    return tmp_path / "project"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_pdm_pylock_satisfied_tighten_is_stale_on_its_hash() -> None:
    finding = only(check_project(FIXTURES / "pylock-pdm/tighten-satisfied"))
    assert (finding.code, finding.severity, finding.path.name) == (
        "lock-stale",
        Severity.WARNING,
        "pylock.toml",
    )
    assert line_of(finding).startswith("hashes = {sha256 = ")
    assert finding.message == (
        "pyproject.toml changed since pylock.toml was made (its content hash no longer matches), so "
        "`pdm lock --check --lockfile pylock.toml` fails — re-lock it (`pdm lock --lockfile pylock.toml`)"
    )


def test_uv_pylock_satisfied_tighten_and_reorder_are_in_sync() -> None:
    assert check_project(FIXTURES / "pylock-uv/tighten-satisfied") == []
    assert check_project(FIXTURES / "pylock-uv/reorder") == []


def test_pdm_pylock_hand_edit_under_a_matching_hash_is_information() -> None:
    finding = only(check_project(FIXTURES / "pylock-pdm/lock-package-removed"))
    assert (finding.code, finding.severity) == ("lock-missing-package", Severity.INFORMATION)
    assert "`pdm lock --check --lockfile pylock.toml` still passes" in finding.message


def test_pdm_pylock_without_a_hash_is_stale_at_its_pdm_table() -> None:
    finding = only(check_project(FIXTURES / "pylock-pdm/lock-hash-removed"))
    assert (finding.code, finding.severity, line_of(finding)) == (
        "lock-stale",
        Severity.WARNING,
        "[tool.pdm]",
    )
    assert "records no content hash" in finding.message


def test_pdm_hashes_with_the_algorithm_the_file_names(tmp_path: Path) -> None:
    assert check_project(FIXTURES / "pylock-pdm/lock-hash-md5") == []
    root = copy("pylock-pdm/lock-hash-md5", tmp_path)
    edit(root / "pylock.toml", "hashes = {md5 = ", "hashes = {sha256 = ")
    assert only(check_project(root)).code == "lock-stale"
    edit(root / "pylock.toml", "hashes = {sha256 = ", "hashes = {no-such-algorithm = ")
    assert only(check_project(root)).code == "lock-stale"


def test_the_writer_is_pdm_by_created_by_or_by_its_table(tmp_path: Path) -> None:
    root = copy("pylock-pdm/reorder", tmp_path)
    lock = root / "pylock.toml"
    edit(lock, 'created-by = "pdm"', 'created-by = "someone"')
    assert only(check_project(root)).code == "lock-stale"
    text = lock.read_text(encoding="utf-8")
    lock.write_text(text[: text.index("[tool.pdm]\n")], encoding="utf-8")
    assert check_project(root) == [], "no sign of PDM: PEP 751's rule, which a reorder keeps"
    edit(lock, 'created-by = "someone"', 'created-by = "pdm"')
    finding = only(check_project(root))
    assert "records no content hash" in finding.message
    # Without a [tool.pdm] table the finding sits on what says PDM wrote the file.
    line = lock.read_text(encoding="utf-8").splitlines().index('created-by = "pdm"')
    assert finding.range == Range(Position(line, 13), Position(line, 18))


def test_pdm_pylock_beside_pdm_lock_is_re_exported(tmp_path: Path) -> None:
    # The same pyproject as pdm-app: its pdm.lock makes the pylock an export of it.
    root = copy("pylock-pdm/tighten-satisfied", tmp_path)
    shutil.copy(FIXTURES / "pdm-app/in-sync/pdm.lock", root / "pdm.lock")
    findings = [f for f in check_project(root) if f.path.name == "pylock.toml"]
    assert "re-export it (`pdm export -f pylock -o pylock.toml`)" in only(findings).message


def test_a_pip_lock_is_judged_by_pep_751_for_this_environment() -> None:
    # Brachi/albam's `pip lock` file: one environment, and on Python 3.11 it lacks a requirement.
    root = Path(__file__).parents[1] / "corpus" / "projects" / "pylock-albam"
    finding = only(check_project(root))
    assert (finding.code, finding.severity) == ("lock-missing-package", Severity.ERROR)
    assert finding.message.startswith("bpy is required here but not in pylock.toml — re-lock it (`pip lock")


def test_a_pylock_marker_is_evaluated_as_a_lock_file_marker(tmp_path: Path) -> None:
    # PEP 751: a package's marker is evaluated with the lock's `extras` (none chosen here) and
    # `dependency_groups`; `extra` is no variable of a lock file, and a marker that cannot be evaluated
    # (packaging's `lock_file` context raises) does not take the package away.
    root = copy("pylock-uv/in-sync", tmp_path)
    edit(
        root / "pyproject.toml",
        '"idna>=3.0",',
        '"idna>=3.0",\n    "cli-only",\n    "odd-marker",\n    "old-extra",',
    )
    with (root / "pylock.toml").open("a", encoding="utf-8") as lock:
        for name, marker in (
            ("cli-only", "'cli' in extras"),
            ("odd-marker", "not a marker"),
            ("old-extra", "extra == 'cli'"),
        ):
            lock.write(f'\n[[packages]]\nname = "{name}"\nversion = "1.0"\nmarker = "{marker}"\n')
    finding = only(check_project(root))
    assert (finding.code, finding.severity, line_of(finding).strip()) == (
        "lock-missing-package",
        Severity.ERROR,
        '"cli-only",',
    )
    assert finding.message == (
        "cli-only is required here but not in pylock.toml — re-export it "
        "(`uv export --format pylock.toml -o pylock.toml`)"
    )
