"""The engine's verdict on every recorded PEP 723 case equals `uv lock --script NAME.py --check`'s
(tests/fixtures/scripts/generate.py records them with real uv; generated and public scripts)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pyhelper import checkcmd
from pyhelper.drift.lock import is_drift
from pyhelper.scripts.drift import ScriptCheck, check_script

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scripts"
CASES = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))["cases"]


def test_enough_cases_of_each_kind_and_verdict() -> None:
    kinds = [case["name"].split("/")[0] for case in CASES]
    assert len(CASES) >= 20
    assert kinds.count("generated") >= 20 and kinds.count("public") >= 10
    # Both verdicts, and uv's refusal of malformed blocks, occur: agreement is not won by one answer.
    assert {case["exit_code"] for case in CASES} == {0, 1, 2}
    assert {case["stale"] for case in CASES if case["name"].startswith("public")} == {True, False}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_verdict_matches_uv(case: dict[str, object]) -> None:
    checked = check_script(FIXTURES / str(case["script"]))
    assert isinstance(checked, ScriptCheck)
    shown = [f"{f.path.name}:{f.range.start.line}: {f.code} {f.message}" for f in checked.findings]
    assert is_drift(list(checked.findings)) == case["stale"], (case["tool_output"], shown)
    # `pyhelper check SCRIPT` exits as uv does: 2 where uv refuses the script or its lock.
    out, err = io.StringIO(), io.StringIO()
    assert checkcmd.run([str(FIXTURES / str(case["script"]))], "text", out, err) == case["exit_code"], (
        case["tool_output"],
        out.getvalue(),
    )


def test_every_verdict_is_uvs() -> None:
    for case in CASES:
        assert case["verdict_source"] == "tool" and case["tool"].startswith("uv 0.13"), case["name"]
        assert case["stale"] == (case["exit_code"] != 0), case["name"]
