"""The code actions on pyproject.toml, end to end through the real helper over stdio: on a requirement,
Upgrade NAME and Remove NAME run the commands the Python Projects view's row runs, with the row's
argument (the requirement's group preset); anywhere, Add Dependency…; nothing that runs a tool in an
untrusted workspace. Where requirements are comes from the parsed buffer, as drift places them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from helper.helper_support import Helper, code_actions, fixes, write_tree

TRUSTED = {"trusted": True}

PEP_621 = """\
[project]
name = "app"
version = "0.1.0"
dependencies = [
    "alpha>=1",
    # "commented>=1",
]

[project.optional-dependencies]
docs = ["beta"]

[dependency-groups]
test = ["gamma>=0.1", "delta"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""

POETRY = """\
[tool.poetry]
name = "legacy"
version = "0.1.0"
description = ""
authors = []

[tool.poetry.dependencies]
python = "^3.9"
requests = "^2.31"

[tool.poetry.group.dev.dependencies]
pytest = "*"
"""


def line_of(text: str, needle: str) -> int:
    (line,) = [number for number, content in enumerate(text.splitlines()) if needle in content]
    return line


def at(line: int, character: int = 0) -> types.Range:
    return types.Range(types.Position(line, character), types.Position(line, character))


def open_pyproject(helper: Helper, path: Path, text: str) -> None:
    helper.notify(
        types.TEXT_DOCUMENT_DID_OPEN,
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="toml", version=1, text=text)
        ),
    )


def kinds(result: Any) -> list[tuple[str, str]]:
    return [(item.title, item.kind) for item in result or []]


def requirement(row: dict[str, Any]) -> tuple[Any, ...]:
    """The parts of a row argument the commands read: the project, the group, the requirement."""
    group, dependency = row["group"], row["dependency"]
    names = [d["name"] for d in group["dependencies"]]
    return row["root"], group["kind"], group["name"], names, dependency["name"], dependency["requirement"]


async def test_a_requirement_offers_upgrade_and_remove_with_its_group_and_the_file_add(
    session: Any, tmp_path: Path
) -> None:
    app = write_tree(tmp_path / "app", {"pyproject.toml": PEP_621})
    pyproject = app / "pyproject.toml"
    async with session([tmp_path], initialization_options=TRUSTED) as helper:
        await helper.projects()
        open_pyproject(helper, pyproject, PEP_621)
        root = str(app)

        actions = await code_actions(helper, pyproject, [], at=at(line_of(PEP_621, '"alpha>=1"'), 6))
        assert kinds(actions) == [
            ("Upgrade alpha", "refactor"),
            ("Remove alpha", "refactor"),
            ("Add Dependency…", "source"),
        ]
        (upgrade, remove, add) = fixes(actions)
        assert upgrade[1] == "lockstep.upgradeDependency" and remove[1] == "lockstep.removeDependency"
        assert upgrade[2] == remove[2]
        (row,) = upgrade[2]
        assert requirement(row) == (root, "main", None, ["alpha"], "alpha", "alpha>=1")
        assert (row["dependency"]["line"], row["dependency"]["character"]) == (4, 4)
        assert add == ("Add Dependency…", "lockstep.addDependency", [{"root": root}])

        # An extra; in a group, of two requirements on one line the one under the cursor.
        docs = await code_actions(helper, pyproject, [], at=at(line_of(PEP_621, "docs =")))
        assert requirement(fixes(docs)[0][2][0]) == (root, "extra", "docs", ["beta"], "beta", "beta")
        test_line = line_of(PEP_621, "test =")
        delta = await code_actions(
            helper, pyproject, [], at=at(test_line, PEP_621.splitlines()[test_line].index("delta"))
        )
        assert [title for title, _, _ in fixes(delta)] == ["Upgrade delta", "Remove delta", "Add Dependency…"]
        assert requirement(fixes(delta)[1][2][0]) == (
            root,
            "group",
            "test",
            ["gamma", "delta"],
            "delta",
            "delta",
        )

        # What only looks like a requirement is none: a comment, the build system's requires, the name.
        for needle in ('"commented>=1"', '"hatchling"', 'name = "app"'):
            elsewhere = await code_actions(helper, pyproject, [], at=at(line_of(PEP_621, needle), 6))
            assert kinds(elsewhere) == [("Add Dependency…", "source")], needle

        # The menus ask for their kinds only: the Refactor… menu, the Source Action… menu, a quick-fix request.
        alpha = at(line_of(PEP_621, '"alpha>=1"'), 6)
        refactor = await code_actions(helper, pyproject, [], at=alpha, only=["refactor"])
        assert [title for title, _ in kinds(refactor)] == ["Upgrade alpha", "Remove alpha"]
        source = await code_actions(helper, pyproject, [], at=alpha, only=["source"])
        assert kinds(source) == [("Add Dependency…", "source")]
        assert await code_actions(helper, pyproject, [], at=alpha, only=["quickfix"]) is None


async def test_the_buffer_as_typed_places_the_requirements(session: Any, tmp_path: Path) -> None:
    app = write_tree(tmp_path / "app", {"pyproject.toml": PEP_621})
    pyproject = app / "pyproject.toml"
    typed = PEP_621.replace('    "alpha>=1",\n', '    "alpha>=1",\n    "epsilon~=1.2",\n')
    async with session([tmp_path], initialization_options=TRUSTED) as helper:
        await helper.projects()
        open_pyproject(helper, pyproject, typed)
        actions = await code_actions(helper, pyproject, [], at=at(line_of(typed, "epsilon"), 6))
        (upgrade, _, _) = fixes(actions)
        assert requirement(upgrade[2][0]) == (
            str(app),
            "main",
            None,
            ["alpha", "epsilon"],
            "epsilon",
            "epsilon~=1.2",
        )


async def test_poetry_tables_carry_their_group(session: Any, tmp_path: Path) -> None:
    legacy = write_tree(tmp_path / "legacy", {"pyproject.toml": POETRY})
    pyproject = legacy / "pyproject.toml"
    async with session([tmp_path], initialization_options=TRUSTED) as helper:
        (project,) = await helper.projects()
        assert project["manager"] == "poetry"
        open_pyproject(helper, pyproject, POETRY)
        main = await code_actions(helper, pyproject, [], at=at(line_of(POETRY, "requests =")))
        assert requirement(fixes(main)[0][2][0]) == (
            str(legacy),
            "main",
            None,
            ["requests"],
            "requests",
            'requests = "^2.31"',
        )
        dev = await code_actions(helper, pyproject, [], at=at(line_of(POETRY, "pytest =")))
        assert requirement(fixes(dev)[1][2][0]) == (
            str(legacy),
            "group",
            "dev",
            ["pytest"],
            "pytest",
            'pytest = "*"',
        )
        python = await code_actions(helper, pyproject, [], at=at(line_of(POETRY, "python =")))
        assert kinds(python) == [("Add Dependency…", "source")]


async def test_an_untrusted_workspace_is_offered_nothing_that_runs_a_tool(
    session: Any, tmp_path: Path
) -> None:
    app = write_tree(tmp_path / "app", {"pyproject.toml": PEP_621})
    pyproject = app / "pyproject.toml"
    async with session([tmp_path]) as helper:
        await helper.projects()
        open_pyproject(helper, pyproject, PEP_621)
        for needle in ('"alpha>=1"', "[project]"):
            assert await code_actions(helper, pyproject, [], at=at(line_of(PEP_621, needle), 6)) is None
