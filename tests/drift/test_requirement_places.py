"""Where a pyproject requires each package, for every manager's own tables: what environment findings
and hover point at (`drift.environment.requirement_ranges`, `requirement_at`).
"""

from __future__ import annotations

from pathlib import Path

from pyhelper.drift.environment import requirement_at, requirement_ranges
from pyhelper.findings import Range
from pyhelper.tomlfile import TomlDocument, parse_toml

PYPROJECT = """\
[project]
name = "app"
dependencies = ["Requests>=2", "idna"]

[project.optional-dependencies]
socks = ["PySocks"]

[dependency-groups]
test = ["pytest", "idna>=3"]

[tool.poetry.dependencies]
python = "^3.10"
Flask = "^3"

[tool.poetry.dev-dependencies]
black = "*"

[tool.poetry.group.lint.dependencies]
ruff_lsp = { version = "*" }

[tool.pdm.dev-dependencies]
docs = ["mkdocs>=1", 7]
"""


def _doc(text: str) -> TomlDocument:
    doc = parse_toml(Path("pyproject.toml"), text)
    assert isinstance(doc, TomlDocument), doc
    return doc


def _text(doc: TomlDocument, where: Range) -> str:
    assert where.start.line == where.end.line
    return doc.text.splitlines()[where.start.line][where.start.character : where.end.character]


def test_every_manager_table_names_its_packages_at_the_requirement() -> None:
    doc = _doc(PYPROJECT)
    found = {name: _text(doc, where) for name, where in requirement_ranges(doc).items()}
    assert found == {
        "requests": '"Requests>=2"',
        "idna": '"idna"',  # the first place it is required
        "pysocks": '"PySocks"',
        "pytest": '"pytest"',
        # Poetry's tables are keyed by the name: the key is the place; `python` is no package.
        "flask": "Flask",
        "black": "black",
        "ruff-lsp": "ruff_lsp",
        "mkdocs": '"mkdocs>=1"',
    }


def test_the_requirement_under_the_cursor() -> None:
    doc = _doc(PYPROJECT)
    lines = doc.text.splitlines()
    flask = next(i for i, line in enumerate(lines) if line.startswith("Flask"))
    name, where = requirement_at(doc, flask, 2) or ("", Range.at(0))
    assert (name, _text(doc, where)) == ("flask", "Flask")
    assert requirement_at(doc, flask, len(lines[flask]) - 1) is None  # the value is not the key
    docs = next(i for i, line in enumerate(lines) if line.startswith("docs"))
    column = lines[docs].index("mkdocs")
    assert requirement_at(doc, docs, column) == ("mkdocs", requirement_ranges(doc)["mkdocs"])
    assert requirement_at(doc, 0, 0) is None
