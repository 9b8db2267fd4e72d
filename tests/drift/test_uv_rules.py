"""uv's own rules that real projects showed, on the generated `uv-rules` cases (verdicts by uv 0.13.9
in cases.json): what each finding says, where, and at which severity."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from pyhelper.drift.lock import check_project, is_drift
from pyhelper.findings import Finding, Range, Severity

RULES = Path(__file__).parents[1] / "fixtures" / "drift" / "uv-rules"


def findings(case: str | Path) -> list[Finding]:
    return check_project(case if isinstance(case, Path) else RULES / case)


def alarms(case: str | Path) -> list[Finding]:
    return [f for f in findings(case) if f.severity <= Severity.WARNING]


def text_at(finding: Finding) -> str:
    line = finding.path.read_text(encoding="utf-8").splitlines()[finding.range.start.line]
    return line[finding.range.start.character : finding.range.end.character]


def test_dynamic_requirements_are_taken_as_locked_and_said_once() -> None:
    found = findings("in-sync")
    dynamic = [f for f in found if f.code == "dynamic-requirements"]
    assert [(f.path.relative_to(RULES / "in-sync").as_posix(), f.severity) for f in dynamic] == [
        ("dyn/pyproject.toml", Severity.INFORMATION)
    ]
    assert text_at(dynamic[0]) == '["dependencies"]'
    assert "takes uv.lock's record of it as declared" in dynamic[0].message
    # Nothing else: the member nested in the `examples` project, lowered alone, records `lib` bare.
    assert [f.code for f in found] == ["dynamic-requirements"]


def test_a_pinned_member_is_not_checked_against_its_version() -> None:
    # `lib>=9` while lib is 0.1.0: uv lowers a workspace member without its specifier.
    assert alarms("member-pin-unsatisfied") == []


def test_a_member_nested_in_another_project_keeps_its_own_rules() -> None:
    (stale,) = alarms("nested-member-add-requirement")
    assert (stale.code, stale.path.parent.name) == ("lock-stale", "demo")
    assert "does not record this requirement for demo" in stale.message
    assert alarms("nested-member-reorder") == []


def test_default_groups_recorded_per_member_are_compared_as_uv_does() -> None:
    (changed,) = alarms("default-groups-changed")
    assert (changed.code, changed.path.name, text_at(changed)) == ("lock-stale", "pyproject.toml", '["dev"]')
    assert changed.message == (
        'uv.lock records default-groups = ["dev", "lint"] for rules; it is now ["dev"], so uv will re-lock '
        "— run `uv lock`"
    )
    (removed,) = alarms("default-groups-removed")
    assert (removed.path.name, "now the default (dev)" in removed.message) == ("uv.lock", True)
    assert len(alarms("default-groups-all")) == 1
    assert alarms("default-groups-reorder") == alarms("default-groups-name-case") == []


def test_default_groups_are_not_compared_on_locks_that_do_not_record_them(tmp_path: Path) -> None:
    # uv 0.13.9 passes a revision 3 or 4 lock whatever default-groups says (the field came with 5).
    project = tmp_path / "rules"
    shutil.copytree(RULES / "default-groups-changed", project)
    lock = project / "uv.lock"
    lock.write_text(
        lock.read_text(encoding="utf-8").replace("revision = 5", "revision = 4", 1), encoding="utf-8"
    )
    assert alarms(project) == []


def test_extra_scoped_index_sources_compare_their_conflict_as_uv_does() -> None:
    assert alarms("conflict-sources-reorder") == alarms("conflict-extra-name-case") == []
    swapped = alarms("conflict-sources-swapped")
    assert [(f.code, text_at(f)) for f in swapped] == [
        ("lock-stale", '"six>=1.16"'),
        ("lock-stale", '"six>=1.16"'),
    ]
    # Both sources of the requirement are named, each as "from <kind> <value>".
    assert swapped[0].message == (
        "uv.lock records `six>=1.16; extra == 'a' from conflict rules[a] from index https://pypi.org/simple/` "
        "for rules; it still satisfies `six>=1.16` from conflict rules[a] from index https://pypi.org/simple, "
        "but uv will re-lock — run `uv lock`"
    )


def test_an_exported_pylock_never_makes_the_project_drift() -> None:
    found = findings("export-edited")
    assert not is_drift(found)
    (export,) = [f for f in found if f.code == "export-stale"]
    assert (export.path.name, export.severity) == ("pylock.toml", Severity.INFORMATION)
    # One problem: its message in full, no "(and N more)"; the finding sits on the export's first line.
    assert export.message == (
        "pylock.toml is an export of uv.lock that no longer matches: requests is locked at 1.0.0, which does "
        "not satisfy >=2.30 — re-export it (`uv export --format pylock.toml -o pylock.toml`). uv's own check "
        "never reads it, so this is no drift"
    )
    assert export.range == Range.at(0)
    assert [r.path.name for r in export.related] == ["pyproject.toml"]


def test_a_stale_export_and_a_stale_lock_are_told_apart() -> None:
    found = findings("export-and-requirement-added")
    assert sorted((f.code, f.path.name, f.severity) for f in found if f.code != "dynamic-requirements") == [
        ("export-stale", "pylock.toml", Severity.INFORMATION),
        ("lock-missing-package", "pyproject.toml", Severity.ERROR),
    ]


def test_a_lock_uv_cannot_read_is_invalid_and_exits_two(tmp_path: Path) -> None:
    (invalid,) = alarms("lock-dependency-removed")
    assert (invalid.code, invalid.severity, invalid.path.name) == ("lock-invalid", Severity.ERROR, "uv.lock")
    assert text_at(invalid).startswith('{ name = "urllib3"')
    assert invalid.message == (
        "uv.lock's entry for requests depends on urllib3, which uv.lock does not hold (an entry removed by "
        "hand?), so uv refuses the lock — run `uv lock`"
    )
    shutil.copytree(RULES / "lock-dependency-removed", tmp_path / "rules")
    done = subprocess.run(
        [sys.executable, "-m", "pyhelper", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stdout
    assert re.search(r"^rules/uv\.lock:\d+:\d+: error lock-invalid ", done.stdout, re.MULTILINE)


def test_an_edge_without_source_must_name_one_locked_package(tmp_path: Path) -> None:
    # Two entries of six (one per index): an edge naming six without its source is ambiguous for uv.
    project = tmp_path / "rules"
    shutil.copytree(RULES / "in-sync", project)
    lock = project / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    edge = re.search(r'\{ name = "six", version = "[^"]+", source = \{ registry = "[^"]+" \} \}', text)
    assert edge is not None
    lock.write_text(text.replace(edge.group(0), '{ name = "six" }', 1), encoding="utf-8")
    (invalid,) = alarms(project)
    assert invalid.code == "lock-invalid"
    assert "depends on six without saying which of its 2 entries" in invalid.message


def test_a_lock_not_laid_out_as_uv_writes_it_is_checked_the_same(tmp_path: Path) -> None:
    # CRLF line ends make the reader parse the whole file: the edges are read from the parsed data.
    project = tmp_path / "rules"
    shutil.copytree(RULES / "lock-dependency-removed", project)
    lock = project / "uv.lock"
    lock.write_bytes(lock.read_bytes().replace(b"\n", b"\r\n"))
    (invalid,) = alarms(project)
    assert (invalid.code, "depends on urllib3, which uv.lock does not hold" in invalid.message) == (
        "lock-invalid",
        True,
    )


def test_an_empty_group_counts_as_a_group() -> None:
    (added,) = alarms("group-new-empty")
    assert (added.code, added.path.name, text_at(added)) == ("lock-stale", "pyproject.toml", "docs")
    assert added.message == "the empty group docs of rules is not recorded in uv.lock — run `uv lock`"


def test_a_recorded_empty_group_no_longer_declared_is_extraneous(tmp_path: Path) -> None:
    project = tmp_path / "rules"
    shutil.copytree(RULES / "in-sync", project)
    lock = project / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    assert text.count("[package.metadata.requires-dev]\ndev = [") == 1
    lock.write_text(
        text.replace("[package.metadata.requires-dev]\n", "[package.metadata.requires-dev]\ndocs = []\n")
    )
    (extraneous,) = alarms(project)
    assert (extraneous.code, extraneous.path.name) == ("lock-extraneous", "uv.lock")
    assert "records an empty group docs of rules" in extraneous.message


def test_a_stale_export_says_how_many_problems_and_links_each(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(RULES / "export-edited", root)
    export = root / "pylock.toml"
    text = export.read_text(encoding="utf-8")
    edited = re.sub(r'\[\[packages\]\]\nname = "dyn"\n(?:.+\n)*?(?=\n|\[\[packages)', "", text)
    assert edited != text
    export.write_text(edited, encoding="utf-8")
    (stale,) = [f for f in findings(root) if f.code == "export-stale"]
    assert stale.message.startswith(
        "pylock.toml is an export of uv.lock that no longer matches: requests is locked at 1.0.0, which does "
        "not satisfy >=2.30 — re-export it"
    )
    assert stale.message.endswith("(and 1 more). uv's own check never reads it, so this is no drift")
    assert [(r.path.name, r.message.split(" is ")[0]) for r in stale.related] == [
        ("pyproject.toml", "requests"),
        ("pyproject.toml", "dyn"),
    ]
    assert all(r.range.start.line > 0 for r in stale.related)
