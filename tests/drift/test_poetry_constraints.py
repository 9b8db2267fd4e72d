"""Poetry's constraint syntax read as Poetry reads it: poetry-core (the one scripts/dev-setup installs
with Poetry in `.dev/tools/poetry`) decides, for every constraint and version below, whether the
version is allowed, and the PEP 440 specifier `to_pep440` makes of the constraint must agree.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from pyhelper.lockfiles.poetry import to_pep440

POETRY_PYTHON = Path(__file__).resolve().parents[2] / ".dev" / "tools" / "poetry" / "bin" / "python"

CONSTRAINTS = [
    "^1.2",
    "^1.2.3",
    "^0.2.3",
    "^0.0.3",
    "^0",
    "^0.0",
    "^2",
    "~1.2",
    "~1.2.3",
    "~1",
    "~0.2",
    "1.2.*",
    "1.*",
    ">=1,<2",
    ">=1 <2",
    ">= 1.0, < 2.0",
    "^ 1.2",
    "~ 1.2",
    "1.2.3",
    "==1.2",
    "!=1.5",
    "<3",
    ">1.2",
    "~=1.4",
    "~=1.4.2",
    "*",
    "^1.2,!=1.3",
]
VERSIONS = [
    "0",
    "0.0.1",
    "0.0.3",
    "0.0.4",
    "0.1",
    "0.2",
    "0.2.3",
    "0.2.9",
    "0.3",
    "1",
    "1.1.9",
    "1.2",
    "1.2.3",
    "1.2.9",
    "1.3",
    "1.4",
    "1.4.2",
    "1.4.9",
    "1.5",
    "1.9",
    "2",
    "2.0.1",
    "2.9",
    "3",
    "3.1",
]

_ORACLE = """
import json, sys
from poetry.core.constraints.version import Version, parse_constraint
constraints, versions = json.load(sys.stdin)
print(json.dumps({c: [parse_constraint(c).allows(Version.parse(v)) for v in versions] for c in constraints}))
"""


@pytest.fixture(scope="module")
def poetry_allows() -> dict[str, list[bool]]:
    assert POETRY_PYTHON.exists(), "scripts/dev-setup installs Poetry in .dev/tools/poetry"
    out = subprocess.run(
        [str(POETRY_PYTHON), "-I", "-c", _ORACLE],
        input=json.dumps([CONSTRAINTS, VERSIONS]),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONUTF8": "1"},
    ).stdout
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("constraint", CONSTRAINTS)
def test_the_specifier_allows_what_poetry_allows(
    constraint: str, poetry_allows: dict[str, list[bool]]
) -> None:
    specifier = to_pep440(constraint)
    assert specifier is not None
    ours = SpecifierSet(specifier)
    assert [ours.contains(v) for v in VERSIONS] == poetry_allows[constraint], specifier


def test_the_cases_see_both_answers(poetry_allows: dict[str, list[bool]]) -> None:
    for constraint in CONSTRAINTS[:-2]:
        assert set(poetry_allows[constraint]) == {True, False}, constraint


@pytest.mark.parametrize("constraint", ["^1.2 || ^2.0", "1.2|1.4"])
def test_a_union_is_not_one_specifier(constraint: str) -> None:
    assert to_pep440(constraint) is None


def test_digits_poetry_does_not_read_count_as_zero() -> None:
    # `²` is a digit to str.isdigit() but not to int(); a huge part is too long for int() by default.
    assert to_pep440("^²") == ">=²,<1"
    assert to_pep440("~1.²") == ">=1.²,<1.1"
    # `٣` (Arabic-Indic three) is a digit to int() too, but no ASCII digit: Poetry refuses `^٣`.
    assert to_pep440("^٣") == ">=٣,<1"
    assert to_pep440("^0." + "9" * 5000) == f">=0.{'9' * 5000},<0.1"  # read as ^0.0
