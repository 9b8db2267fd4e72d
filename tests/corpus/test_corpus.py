"""Lockstep's drift verdict on real projects equals the real tool's, recorded by `record.py`.

Each case is a real project's committed files, unchanged or with one mutation from `corpus_cases`
(applied here by the same code the recorder used, so CI needs no network). The engine must say
"drift" exactly when the tool's check failed, and on a case the tool calls in sync it must report no
warning or error at all (information, such as an export note, is allowed).

Cases where the engine is still wrong are listed in `known_disagreements.json` with the reason. The
list is asserted exactly: a listed case that now agrees fails too, so it can only shrink.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from corpus.corpus_cases import KNOWN_DISAGREEMENTS, VERDICTS, Project, case_id, load_manifest, materialise
from pyhelper.drift.lock import check_project
from pyhelper.findings import Severity

PROJECTS = load_manifest()
RECORDED = json.loads(VERDICTS.read_text(encoding="utf-8"))
KNOWN: dict[str, str] = json.loads(KNOWN_DISAGREEMENTS.read_text(encoding="utf-8"))["cases"]
ALL_CASES = [(project, mutation) for project in PROJECTS for mutation in project.mutations()]
# A case the tool could not decide here (it had to reach a host other than PyPI) has no verdict.
CASES = [(p, m) for p, m in ALL_CASES if "indeterminate" not in RECORDED["cases"][case_id(p, m)]]


def test_the_corpus_covers_what_people_write() -> None:
    formats = Counter(project.format for project in PROJECTS)
    assert formats["uv"] >= 30 and formats["poetry"] >= 15 and formats["pdm"] >= 8
    assert formats["pylock"] >= 5
    workspaces = [p for p in PROJECTS if p.format == "uv" and "[tool.uv.workspace]" in _pyproject(p)]
    assert len(workspaces) >= 8
    # Both verdicts occur in every format, so agreement is not won by always answering one way.
    for fmt in formats:
        stale = {RECORDED["cases"][case_id(p, m)]["stale"] for p, m in CASES if p.format == fmt}
        assert stale == {True, False}, fmt


def test_every_case_has_a_verdict_and_every_known_disagreement_a_case() -> None:
    assert set(RECORDED["cases"]) == {case_id(project, mutation) for project, mutation in ALL_CASES}
    assert len(CASES) >= 0.95 * len(ALL_CASES)
    assert set(KNOWN) <= {case_id(project, mutation) for project, mutation in CASES}
    assert all(KNOWN.values()), "every known disagreement names its reason"


@pytest.mark.parametrize(("project", "mutation"), CASES, ids=[case_id(p, m) for p, m in CASES])
def test_verdict_matches_the_tool(project: Project, mutation: str, tmp_path: Path) -> None:
    recorded = RECORDED["cases"][case_id(project, mutation)]
    findings = check_project(materialise(project, mutation, tmp_path / project.name))
    alarms = [
        f"{f.path.relative_to(tmp_path)}:{f.range.start.line + 1}: {f.code} {f.message}"
        for f in findings
        if f.severity <= Severity.WARNING
    ]
    agrees = bool(alarms) == recorded["stale"]
    known = KNOWN.get(case_id(project, mutation))
    if known is not None:
        assert not agrees, f"now agrees with the tool: remove it from known_disagreements.json ({known})"
    elif recorded["stale"]:
        assert alarms, f"the tool says drift ({recorded['tool_output']}) and Lockstep reports nothing"
    else:
        assert alarms == [], "the tool says in sync, so Lockstep must not warn"


def _pyproject(project: Project) -> str:
    return (project.root / "pyproject.toml").read_text(encoding="utf-8")
