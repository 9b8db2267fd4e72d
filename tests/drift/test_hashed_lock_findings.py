"""Poetry and PDM decide by content hash (their checks fail exactly when it differs: `cases.json`);
the engine then names the requirement that explains the change, in every table each tool reads, and
falls back to the hash itself when none does. Each case edits a fixture the tool checked in sync, as
the editor's unsaved buffer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyhelper.drift.lock import check_project
from pyhelper.findings import Severity

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"

# (fixture, text replaced, replacement, code, the text the finding underlines, message)
CASES = {
    "poetry group requirement added": (
        "poetry-classic/in-sync",
        'iniconfig = "^2.0"',
        'iniconfig = "^2.0"\nattrs = "^22"',
        "lock-missing-package",
        '"^22"',
        "attrs is required here but not in poetry.lock — run `poetry lock`",
    ),
    "poetry caret constraint tightened": (
        "poetry-classic/in-sync",
        'iniconfig = "^2.0"',
        'iniconfig = "^3.0"',
        "lock-unsatisfied",
        '"^3.0"',
        "iniconfig is locked at 2.3.1, which does not satisfy <4,>=3 — run `poetry lock`",
    ),
    "poetry table constraint tightened": (
        "poetry-classic/in-sync",
        'version = ">=1.10"',
        'version = ">=99"',
        "lock-unsatisfied",
        '{ version = ">=99", optional = true }',
        "six is locked at 1.17.0, which does not satisfy >=99 — run `poetry lock`",
    ),
    "poetry python constraint changed": (
        "poetry-classic/in-sync",
        'python = "^3.10"',
        'python = "^3.11"',
        "lock-requires-python",
        '"^3.11"',
        "poetry.lock was resolved for Python ^3.10, but it is now ^3.11 — run `poetry lock`",
    ),
    "poetry legacy dev-dependencies": (
        "poetry-classic/in-sync",
        "[tool.poetry.extras]",
        '[tool.poetry.dev-dependencies]\nattrs = "*"\n\n[tool.poetry.extras]',
        "lock-missing-package",
        '"*"',
        "attrs is required here but not in poetry.lock — run `poetry lock`",
    ),
    "poetry requires-python changed": (
        "poetry-pep621/in-sync",
        'requires-python = ">=3.10"',
        'requires-python = ">=3.11"',
        "lock-requires-python",
        '">=3.11"',
        "poetry.lock was resolved for Python >=3.10, but it is now >=3.11 — run `poetry lock`",
    ),
    "poetry optional dependency tightened": (
        "poetry-pep621/in-sync",
        'cli = ["click>=8.0"]',
        'cli = ["click>=9.0"]',
        "lock-unsatisfied",
        '"click>=9.0"',
        "click is locked at 8.5.1, which does not satisfy >=9 — run `poetry lock`",
    ),
    "poetry dependency group gains an item": (
        "poetry-pep621/in-sync",
        'lint = ["certifi"]',
        'lint = ["certifi", "attrs"]',
        "lock-missing-package",
        '"attrs"',
        "attrs is required here but not in poetry.lock — run `poetry lock`",
    ),
    "pdm requires-python changed": (
        "pdm-app/in-sync",
        'requires-python = ">=3.10"',
        'requires-python = ">=3.11"',
        "lock-requires-python",
        '">=3.11"',
        "pdm.lock was resolved for Python >=3.10, but requires-python is now >=3.11 — run `pdm lock`",
    ),
    "pdm dev group tightened": (
        "pdm-app/in-sync",
        'dev = ["iniconfig>=2"]',
        'dev = ["iniconfig>=3"]',
        "lock-unsatisfied",
        '"iniconfig>=3"',
        "iniconfig is locked at 2.3.1, which does not satisfy >=3 — run `pdm lock`",
    ),
    "pdm legacy dev-dependencies merge into the locked group": (
        "pdm-app/in-sync",
        "distribution = false",
        'distribution = false\n\n[tool.pdm.dev-dependencies]\nDev = ["attrs"]\nother = ["zope"]',
        "lock-missing-package",
        '"attrs"',
        "attrs is required here but not in pdm.lock — run `pdm lock`",
    ),
    # What the lock was not made for cannot explain the change: the finding is on the hash.
    "pdm optional group the lock leaves out": (
        "pdm-app/in-sync",
        'cli = ["click>=8.0"]',
        'cli = ["click>=9.0", "attrs"]',
        "lock-stale",
        '"sha256:117f6cc9970b9df9049f228344437fc630cc9ae1742011a4033ca33855084f7a"',
        "pyproject.toml changed since pdm.lock was made (its content hash no longer matches), so "
        "`pdm lock --check` fails — run `pdm lock`",
    ),
    "pdm requires-python respelled": (
        "pdm-app/in-sync",
        'requires-python = ">=3.10"',
        'requires-python = ">= 3.10.0"',
        "lock-stale",
        '"sha256:117f6cc9970b9df9049f228344437fc630cc9ae1742011a4033ca33855084f7a"',
        "pyproject.toml changed since pdm.lock was made (its content hash no longer matches), so "
        "`pdm lock --check` fails — run `pdm lock`",
    ),
    "poetry python key spelled otherwise": (
        "poetry-classic/in-sync",
        'python = "^3.10"',
        'Python = "^3.10"',
        "lock-stale",
        '"bf515b4160d7d3847d63b47804ce42d8fc60635ec8850f241faababe673b7516"',
        "pyproject.toml changed since poetry.lock was made (its content hash no longer matches), so "
        "`poetry check --lock` fails — run `poetry lock`",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_change_is_named_where_it_is(case: str) -> None:
    fixture, old, new, code, underlined, message = CASES[case]
    root = FIXTURES / fixture
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new)
    (finding,) = check_project(root, pyproject_text=edited)
    lines = (
        edited if finding.path.name == "pyproject.toml" else finding.path.read_text(encoding="utf-8")
    ).splitlines()
    start, end = finding.range.start, finding.range.end
    assert start.line == end.line
    assert (finding.code, lines[start.line][start.character : end.character], finding.message) == (
        code,
        underlined,
        message,
    )
    expected = Severity.WARNING if code == "lock-stale" else Severity.ERROR
    assert finding.severity == expected
