"""The requirement-level findings every format shares (`lockfiles.compare`): what each one says, where,
and what it points at. The verdicts of these fixtures are the real tools' (`cases.json`); this file
checks the words a person reads and the places an editor underlines.
"""

from __future__ import annotations

from pathlib import Path

from pyhelper.drift.lock import check_project, is_drift
from pyhelper.findings import Finding, Severity
from pyhelper.scripts.drift import ScriptCheck, check_script

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"


def _line(finding: Finding) -> str:
    return finding.path.read_text(encoding="utf-8").splitlines()[finding.range.start.line]


def _with(name: str, old: str, new: str) -> tuple[list[Finding], list[str]]:
    """The findings for a fixture's pyproject edited in the editor (unsaved), and the edited lines."""
    root = FIXTURES / name
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new)
    return check_project(root, pyproject_text=edited), edited.splitlines()


def test_an_invalid_requirement_is_an_error_and_the_others_are_still_checked() -> None:
    # uv 0.13.9 refuses the project (`uv lock --check` exits 2: "must be pep508").
    findings, lines = _with("uv-app/in-sync", '"six>=1.10,<2",', '"six>=1.10,<2 !!",\n    "attrs>=22",')
    invalid, missing = sorted(
        (f for f in findings if f.path.name == "pyproject.toml"), key=lambda f: f.range.start.line
    )
    assert (invalid.code, invalid.severity, invalid.path.name) == (
        "requirement-invalid",
        Severity.ERROR,
        "pyproject.toml",
    )
    assert invalid.message.startswith("not a valid requirement: ")
    assert "!!" in invalid.message or "Expected" in invalid.message
    assert lines[invalid.range.start.line].strip() == '"six>=1.10,<2 !!",'
    assert (missing.code, lines[missing.range.start.line].strip()) == ("lock-missing-package", '"attrs>=22",')
    assert is_drift(findings)


def test_a_locked_package_the_project_never_required_is_stale_with_its_versions() -> None:
    (finding,) = check_project(FIXTURES / "uv-app/add-locked-package")
    assert (finding.code, finding.severity, finding.related) == ("lock-stale", Severity.WARNING, ())
    assert finding.message == (
        "click is locked at 8.5.1, but uv.lock does not record this requirement for app, so uv will "
        "re-lock — run `uv lock`"
    )


def test_a_requirement_recorded_from_another_source_names_the_source() -> None:
    (finding,) = check_project(FIXTURES / "uv-app/uv-source-index")
    assert finding.message == (
        "uv.lock records `six>=1.10,<2` for app; it still satisfies `six>=1.10,<2` from index "
        "https://pypi.org/simple/, but uv will re-lock — run `uv lock`"
    )
    ((path, message),) = [(r.path.name, r.message) for r in finding.related]
    assert (path, message) == ("uv.lock", "recorded here")
    (related,) = finding.related
    assert "six" in related.path.read_text(encoding="utf-8").splitlines()[related.range.start.line]


def test_a_fork_that_no_longer_satisfies_names_every_locked_version() -> None:
    (finding,) = check_project(FIXTURES / "uv-fork/fork-tightened")
    assert (finding.code, finding.severity) == ("lock-unsatisfied", Severity.ERROR)
    assert finding.message == "idna is locked at 2.10, 3.20, which does not satisfy <2.9 — run `uv lock`"


def test_a_hand_edit_the_hash_does_not_see_is_information_in_full() -> None:
    (finding,) = check_project(FIXTURES / "pdm-app/lock-package-removed")
    assert (finding.code, finding.severity) == ("lock-missing-package", Severity.INFORMATION)
    assert finding.message == (
        "six is required here but not in pdm.lock — run `pdm lock` (the lock looks edited by hand: "
        "`pdm lock --check` still passes, as its content hash matches)"
    )


def test_a_removed_requirement_says_what_the_lock_still_records() -> None:
    (finding,) = check_project(FIXTURES / "uv-app/remove-requirement")
    assert finding.message == (
        "uv.lock records `six>=1.10,<2` for app, which pyproject.toml no longer requires — run `uv lock`"
    )


def test_a_hand_edit_in_the_content_hash_alone_is_a_warning_on_the_hash() -> None:
    (finding,) = check_project(FIXTURES / "poetry-pep621/lock-content-hash-edited")
    assert (finding.code, finding.severity, finding.path.name) == (
        "lock-stale",
        Severity.WARNING,
        "poetry.lock",
    )
    assert finding.message == (
        "pyproject.toml changed since poetry.lock was made (its content hash no longer matches), so "
        "`poetry check --lock` fails — run `poetry lock`"
    )
    assert _line(finding).startswith("content-hash = ")


def test_a_new_requirement_on_a_forked_package_names_every_locked_version() -> None:
    # Another specifier than the recorded ones' is another requirement for uv, even with a marker.
    findings, lines = _with(
        "uv-fork/in-sync", '"six>=1.10,<2",', '"six>=1.10,<2",\n    "idna; sys_platform == \'win32\'",'
    )
    (finding,) = findings
    assert (finding.code, lines[finding.range.start.line].strip()) == (
        "lock-stale",
        "\"idna; sys_platform == 'win32'\",",
    )
    assert finding.message == (
        "idna is locked at 2.10, 3.20, but uv.lock does not record this requirement for app, so uv will "
        "re-lock — run `uv lock`"
    )


def test_a_script_requirement_the_lock_does_not_hold_says_it_has_no_locked_version() -> None:
    # uv 0.13.9: `uv lock --script app.py --check` exits 1 (tests/fixtures/scripts/cases.json). uv reads
    # no package entry for a script, so a requirement new to both is only unrecorded, never "locked".
    case = Path(__file__).parents[1] / "fixtures" / "scripts" / "generated" / "add-dependency"
    checked = check_script(case / "app.py")
    assert isinstance(checked, ScriptCheck)
    (finding,) = checked.findings
    assert (finding.code, finding.severity, _line(finding).strip()) == (
        "lock-stale",
        Severity.WARNING,
        '#     "attrs>=22",',
    )
    assert finding.message == (
        "attrs has no locked version and app.py.lock does not record this requirement for app.py, so uv "
        "will re-lock — run `uv lock --script app.py`"
    )


def test_a_requirement_listed_twice_in_a_changed_group_is_recorded_once() -> None:
    # uv 0.13.9 (`uv lock --check --offline`): certifi listed in dev and in the lint it includes still
    # "satisfies workspace requirements"; with attrs added too, "mismatched dependency groups". Only
    # attrs explains that: certifi, listed twice, is recorded once.
    old = 'dev = ["iniconfig>=2", { include-group = "lint" }]'
    twice = 'dev = ["iniconfig>=2", "certifi", { include-group = "lint" }]'
    assert _with("uv-app/in-sync", old, twice)[0] == []
    findings, lines = _with("uv-app/in-sync", old, twice.replace("}]", '}, "attrs>=1"]'))
    (finding,) = findings
    assert (finding.code, finding.message) == (
        "lock-missing-package",
        "attrs is required here but not in uv.lock — run `uv lock`",
    )
    assert '"attrs>=1"' in lines[finding.range.start.line]
