"""What a Poetry or PDM environment selection depends on besides the lock (`LockFormat.selection_inputs`,
the key the live check caches selections by): each pyproject value the selection reads changes the key,
and an edit the selection never reads leaves it alone (no needless re-selection on every keystroke).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyhelper.lockfiles import pdm, poetry
from pyhelper.tomlfile import TomlDocument, parse_toml

POETRY = """\
[project]
name = "app"
version = "1"
description = "x"

[dependency-groups]
lint = ["ruff"]

[tool.poetry]
package-mode = true
name = "app"
version = "1"

[tool.poetry.group.dev]
optional = false

[tool.poetry.group.docs]
optional = true
"""

PDM = """\
[project]
name = "app"
version = "1"
description = "x"

[dependency-groups]
lint = ["ruff"]

[tool.pdm]
distribution = true

[tool.pdm.dev-dependencies]
test = ["pytest"]
"""


def _key(fmt: object, text: str) -> object:
    doc = parse_toml(Path("pyproject.toml"), text)
    assert isinstance(doc, TomlDocument), doc
    return fmt.selection_inputs(doc.data)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('lint = ["ruff"]', 'lint = ["ruff"]\ntype = ["mypy"]'),
        ("[tool.poetry.group.docs]\noptional = true", "[tool.poetry.group.docs]\noptional = false"),
        ("[tool.poetry.group.dev]\noptional = false", "[tool.poetry.group.dev2]\noptional = false"),
        ("package-mode = true", "package-mode = false"),
        (
            '[tool.poetry]\npackage-mode = true\nname = "app"',
            '[tool.poetry]\npackage-mode = true\nname = "other"',
        ),
        (
            'name = "app"\nversion = "1"\n\n[tool.poetry.group',
            'name = "app"\nversion = "2"\n\n[tool.poetry.group',
        ),
    ],
)
def test_poetry_selection_inputs_change_with_what_poetry_installs(old: str, new: str) -> None:
    assert old in POETRY
    assert _key(poetry.FORMAT, POETRY.replace(old, new)) != _key(poetry.FORMAT, POETRY)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('lint = ["ruff"]', 'lint = ["ruff"]\ntype = ["mypy"]'),
        ("distribution = true", "distribution = false"),
        ('test = ["pytest"]', 'test = ["pytest"]\ndocs = ["mkdocs"]'),
    ],
)
def test_pdm_selection_inputs_change_with_what_pdm_installs(old: str, new: str) -> None:
    assert old in PDM
    assert _key(pdm.FORMAT, PDM.replace(old, new)) != _key(pdm.FORMAT, PDM)


@pytest.mark.parametrize(("fmt", "text"), [(poetry.FORMAT, POETRY), (pdm.FORMAT, PDM)])
def test_edits_the_selection_never_reads_keep_the_key(fmt: object, text: str) -> None:
    # The requirements themselves are the lock's business (a changed lock is a new lock).
    edited = text.replace('description = "x"', 'description = "y"').replace('["ruff"]', '["ruff>=1"]')
    assert _key(fmt, edited) == _key(fmt, text)
