"""Syntax errors in pyproject.toml are explained as precisely as uv's own TOML parser does, at the same
place: each common mistake is checked against our message and against what the real uv says of the
same file (`uv lock --offline`, which parses pyproject.toml first and stops at the error)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pyhelper.findings import Finding
from pyhelper.tomlfile import parse_toml, syntax_problem

HEAD = '[project]\nname = "demo"\nversion = "0.1.0"\n'
# (mistake, text, our message, our line:column (1-based), uv's line:column when it differs, uv's words)
CASES = [
    (
        "missing comma in an array",
        HEAD + 'dependencies = [\n    "requests"\n    "rich",\n]\n\n[tool.uv]\n',
        "missing comma between array elements",
        "6:5",
        None,
        "missing comma between array elements",
    ),
    (
        "missing comma before the next key",
        HEAD + 'dependencies = ["a", "b"\nrequires-python = ">=3"\n',
        "missing comma between array elements",
        "5:1",
        None,
        "missing comma between array elements",
    ),
    (
        "unclosed string",
        '[project]\nname = "demo\nversion = "0.1.0"\n',
        'unclosed string, expected `"`',
        "2:13",
        None,
        "invalid basic string",
    ),
    (
        "unclosed array before a table",
        HEAD + 'dependencies = [\n    "requests",\n\n[tool.uv]\n',
        "unclosed array (opened at line 4), expected `]` before this table",
        "7:1",
        "7:10",  # uv points after the header it took for an element; the header's start is clearer
        "unclosed array",
    ),
    (
        "unclosed table header",
        '[project\nname = "demo"\n',
        "unclosed table header, expected `]`",
        "1:9",
        None,
        "unclosed table",
    ),
    (
        "unclosed inline table",
        HEAD + 'authors = [{name = "x", email = "y"]\n',
        "unclosed inline table, expected `}`",
        "4:36",
        None,
        "invalid inline table",
    ),
    (
        "duplicate key",
        HEAD + 'name = "other"\n',
        "duplicate key `name` (first set at line 2)",
        "4:1",
        None,
        "duplicate key",
    ),
    (
        "duplicate table",
        HEAD + '[tool.uv]\n\n[project]\ndescription = "x"\n',
        "duplicate table `[project]` (first declared at line 1)",
        "6:2",
        None,
        "duplicate key",
    ),
    (
        "missing =",
        '[project]\nname "demo"\n',
        "key `name` with no value, expected `=`",
        "2:6",
        None,
        "expected `=`",
    ),
]
IDS = [case[0] for case in CASES]
_UV_WHERE = re.compile(r"TOML parse error at line (\d+), column (\d+)")


def finding_of(text: str) -> Finding:
    found = parse_toml(Path("pyproject.toml"), text)
    assert isinstance(found, Finding), "the sample must not parse"
    return found


@pytest.mark.parametrize(("mistake", "text", "message", "where", "uv_where", "uv_words"), CASES, ids=IDS)
def test_our_message_and_place(
    mistake: str, text: str, message: str, where: str, uv_where: str | None, uv_words: str
) -> None:
    found = finding_of(text)
    start = found.range.start
    assert (found.message, f"{start.line + 1}:{start.character + 1}") == (
        f"pyproject.toml is not valid TOML: {message}",
        where,
    )
    assert syntax_problem(found) == f"pyproject.toml is not valid TOML (line {start.line + 1}): {message}"


@pytest.mark.parametrize(("mistake", "text", "message", "where", "uv_where", "uv_words"), CASES, ids=IDS)
def test_uv_finds_the_same_mistake_at_the_same_place(
    mistake: str,
    text: str,
    message: str,
    where: str,
    uv_where: str | None,
    uv_words: str,
    uv: Path,
    index_env: dict[str, str],
    pythons: dict[str, Path],
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    done = subprocess.run(
        [str(uv), "lock", "--offline", "--python", str(pythons["3.12"])],
        cwd=tmp_path,
        env=index_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    said = re.search(_UV_WHERE, done.stderr)
    assert said is not None, done.stderr
    assert f"{said.group(1)}:{said.group(2)}" == (uv_where or where), done.stderr
    assert uv_words in done.stderr
