"""The engine's verdict on every recorded case equals the real tool's (uv, poetry, pdm) or the PEP 751 rule."""

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


def test_every_verdict_names_its_source() -> None:
    # A tool's exit code, or (pylock, which no tool checks) the PEP 751 rule it follows, in words.
    for case in CASES:
        if case["verdict_source"] == "tool":
            assert isinstance(case["exit_code"], int) and case["tool"], case["name"]
        else:
            assert case["format"] == "pylock" and case["verdict_source"] == "rule", case["name"]
            assert case["rule"].endswith("stale" if case["stale"] else "fresh"), case["name"]
