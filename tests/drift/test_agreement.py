"""The engine's verdict on every recorded case equals the real tool's (uv, poetry, pdm; for pylock.toml the writer's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyhelper.drift.lock import check_project, is_drift

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"
CASES = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))["cases"]


def test_enough_cases_for_every_format() -> None:
    formats = [case["format"] for case in CASES]
    assert len(CASES) >= 60
    assert {fmt: formats.count(fmt) >= 10 for fmt in ("uv", "poetry", "pdm", "pylock")} == {
        "uv": True,
        "poetry": True,
        "pdm": True,
        "pylock": True,
    }
    # Both verdicts occur in each format, so agreement is not won by always answering one way.
    for fmt in ("uv", "poetry", "pdm", "pylock"):
        assert {case["stale"] for case in CASES if case["format"] == fmt} == {
            True,
            False,
        }


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_verdict_matches_the_tool(case: dict[str, object]) -> None:
    findings = check_project(FIXTURES / str(case["name"]))
    shown = [f"{f.path.name}:{f.range.start.line}: {f.code} {f.message}" for f in findings]
    assert is_drift(findings) == case["stale"], (case.get("tool_output"), shown)


def test_every_verdict_is_a_tools() -> None:
    # Every case, pylock.toml included, carries the exit code of a real tool's check.
    for case in CASES:
        assert case["verdict_source"] == "tool", case["name"]
        assert isinstance(case["exit_code"], int) and case["tool"], case["name"]
        assert case["stale"] == (case["exit_code"] != 0), case["name"]


def test_pylock_verdicts_come_from_the_writers_semantics() -> None:
    # PDM's file is judged by `pdm lock --check`; uv's export, which records no inputs, by uv installing
    # it, and the PEP 751 rule named for each of those cases agrees with uv's verdict.
    pylock = [case for case in CASES if case["format"] == "pylock"]
    assert {case["name"].split("/")[0]: case["oracle"].split()[0] for case in pylock} == {
        "pylock-pdm": "pdm",
        "pylock-uv": "uv",
    }
    for case in pylock:
        if case["name"].startswith("pylock-uv/"):
            assert case["rule"].endswith(": stale" if case["stale"] else ": fresh"), case["name"]
    verdicts = {case["name"]: case["stale"] for case in pylock}
    # Where the two semantics part: PDM's hash sees a reorder and a removed requirement, an install does not.
    assert [verdicts[f"{base}/reorder"] for base in ("pylock-pdm", "pylock-uv")] == [True, False]
    assert [verdicts[f"{base}/remove-requirement"] for base in ("pylock-pdm", "pylock-uv")] == [True, False]
