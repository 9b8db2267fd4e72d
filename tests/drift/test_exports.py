"""A pylock.toml beside a manager's lock is an export of it: what is wrong with it is said once, as
information (`export-stale`), whatever the severity of the problems, since the manager never reads it.
The verdicts are PDM 2.29.4's, recorded in tests/fixtures/drift/cases.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pyhelper.drift.lock import check_project, is_drift
from pyhelper.findings import Range, Severity

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"


def _stale(case: str) -> bool:
    cases = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))["cases"]
    (verdict,) = [c["stale"] for c in cases if c["name"] == case]
    return bool(verdict)


def test_an_export_whose_only_problem_is_a_warning_is_information(tmp_path: Path) -> None:
    # The same edit (a tightened requirement the locked version still satisfies) leaves both PDM's
    # lock and its pylock export with a content hash that no longer matches: a warning for each alone.
    assert _stale("pdm-app/tighten-satisfied") and _stale("pylock-pdm/tighten-satisfied")
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "pdm-app/tighten-satisfied", root)
    shutil.copy(FIXTURES / "pylock-pdm/tighten-satisfied/pylock.toml", root)
    found = check_project(root)
    assert is_drift(found)
    assert [(f.code, f.severity, f.path.name) for f in found] == [
        ("lock-stale", Severity.WARNING, "pdm.lock"),
        ("export-stale", Severity.INFORMATION, "pylock.toml"),
    ]
    export = found[1]
    hash_problem = (
        "pyproject.toml changed since pylock.toml was made (its content hash no longer matches), so "
        "`pdm lock --check --lockfile pylock.toml` fails — re-export it (`pdm export -f pylock -o pylock.toml`)"
    )
    assert export.message == (
        f"pylock.toml is an export of pdm.lock that no longer matches: {hash_problem}. pdm's own check "
        "never reads it, so this is no drift"
    )
    assert export.range == Range.at(0)
    ((path, message),) = [(r.path.name, r.message) for r in export.related]
    assert (path, message) == ("pylock.toml", hash_problem)
    (related,) = export.related
    assert (
        export.path.read_text(encoding="utf-8").splitlines()[related.range.start.line].startswith("hashes = ")
    )
