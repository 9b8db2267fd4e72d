"""The engine's verdict on every recorded PEP 723 case equals `uv lock --script NAME.py --check`'s
(tests/fixtures/scripts/generate.py records them with real uv; generated and public scripts, and the
public ones with one edit, which the recorder's own `edited_case` makes here from public/); and what
the check says on some of them, at which place: the script's lock named as `NAME.py.lock`, never
`uv.lock`, and the script as what declares."""

from __future__ import annotations

import functools
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest

from pyhelper import checkcmd, codes
from pyhelper.drift.lock import is_drift
from pyhelper.findings import Severity
from pyhelper.scripts.drift import ScriptCheck, check_script

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scripts"
CASES = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))["cases"]
EDITED = "public-edited/"


@functools.cache
def recorder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scripts_generate", FIXTURES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def script_of(case: dict[str, object], scratch: Path) -> Path:
    """The case's script: a fixture, or for an edited public case made in `scratch` as recorded."""
    script = str(case["script"])
    if not script.startswith(EDITED):
        return FIXTURES / script
    folder = script.removeprefix(EDITED).split("/")[0]
    made: Path = recorder().edited_case(FIXTURES / "public" / folder, scratch / folder)
    assert made == scratch / script.removeprefix(EDITED), (made, script)
    return made


def test_enough_cases_of_each_kind_and_verdict() -> None:
    kinds = [case["name"].split("/")[0] for case in CASES]
    assert len(CASES) >= 20
    assert kinds.count("generated") >= 20 and kinds.count("public") >= 10
    # Both verdicts, and uv's refusal of malformed blocks, occur: agreement is not won by one answer.
    assert {case["exit_code"] for case in CASES} == {0, 1, 2}
    assert {case["stale"] for case in CASES if case["name"].startswith("public")} == {True, False}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_verdict_matches_uv(case: dict[str, object], tmp_path: Path) -> None:
    script = script_of(case, tmp_path)
    checked = check_script(script)
    assert isinstance(checked, ScriptCheck)
    shown = [f"{f.path.name}:{f.range.start.line}: {f.code} {f.message}" for f in checked.findings]
    assert is_drift(list(checked.findings)) == case["stale"], (case["tool_output"], shown)
    # `pyhelper check SCRIPT` exits as uv does: 2 where uv refuses the script or its lock.
    out, err = io.StringIO(), io.StringIO()
    assert checkcmd.run([str(script)], "text", out, err) == case["exit_code"], (
        case["tool_output"],
        out.getvalue(),
    )


def test_every_verdict_is_uvs() -> None:
    for case in CASES:
        assert case["verdict_source"] == "tool" and case["tool"].startswith("uv 0.13"), case["name"]
        assert case["stale"] == (case["exit_code"] != 0), case["name"]


GENERATED = FIXTURES / "generated"
FIX = "run `uv lock --script app.py`"


def findings_of(case: str) -> list[tuple[str, Severity, str, int, str, list[tuple[str, int, str]]]]:
    checked = check_script(GENERATED / case / "app.py")
    assert isinstance(checked, ScriptCheck)
    return [
        (
            f.code,
            f.severity,
            f.path.name,
            f.range.start.line,
            f.message,
            [(r.path.name, r.range.start.line, r.message) for r in f.related],
        )
        for f in checked.findings
    ]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "requires-python-tightened",
            (
                codes.LOCK_REQUIRES_PYTHON,
                Severity.ERROR,
                "app.py",
                3,
                f"app.py.lock was resolved for Python >=3.10, but requires-python is now >=3.11 — {FIX}",
                [("app.py.lock", 2, "recorded here")],
            ),
        ),
        (
            "remove-dependency",
            (
                codes.LOCK_EXTRANEOUS,
                Severity.WARNING,
                "app.py.lock",
                11,
                f"app.py.lock records `six>=1.10,<2` for app.py, which app.py no longer requires — {FIX}",
                [],
            ),
        ),
        (
            "resolution-lowest",
            (
                codes.LOCK_STALE,
                Severity.WARNING,
                "app.py",
                11,
                "app.py.lock was resolved with resolution = the default; it is now lowest-direct, so uv "
                f"will re-lock — {FIX}",
                [],
            ),
        ),
        (
            "constraint-changed",
            (
                codes.LOCK_STALE,
                Severity.WARNING,
                "app.py",
                11,
                "app.py.lock records `certifi>=2020` in the uv constraints; it still satisfies "
                f"`certifi>=2021`, but uv will re-lock — {FIX}",
                [("app.py.lock", 13, "recorded here")],
            ),
        ),
    ],
)
def test_a_script_finding_names_the_script_and_its_lock(case: str, expected: tuple[object, ...]) -> None:
    assert findings_of(case) == [expected]
