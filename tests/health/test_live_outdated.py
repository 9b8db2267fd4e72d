"""Outdated requirements through the real helper process: after each direct requirement of pyproject.toml
an inlay hint with the locked and the newest versions, the same in the hover, both from the last health
check's answers; none once `lockstep.health.outdated` is off, none in an untrusted workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from health.health_support import line_of
from helper.helper_support import Helper, helper_session, within
from pyhelper.health.audit import PackageHealth, versions_label
from pyhelper.lsp.outdated import requirement_value_ends
from pyhelper.tomlfile import TomlDocument, parse_toml
from support.index import Dist, PackageIndex


def _health(locked: str, allowed: str | None, latest: str | None) -> PackageHealth:
    return PackageHealth("web", locked, (), False, None, latest, allowed, None)


@pytest.mark.parametrize(
    ("locked", "allowed", "latest", "label"),
    [
        ("2.31.0", "2.32.3", "2.32.3", "2.31.0 locked · 2.32.3 latest"),
        ("1.0", "1.1", "2.0", "1.0 locked · 1.1 allowed · 2.0 latest"),
        ("1.1", "1.1", "2.0", "1.1 locked · 2.0 latest"),
        ("2.0", "2.0", "2.0", "2.0 locked · latest"),
        ("2.0.0", "2.0", "2.0", "2.0.0 locked · latest"),  # the lock's spelling, PEP 440's comparison
        ("3.0rc1", None, "2.0", "3.0rc1 locked · 2.0 latest"),
        ("1.0", None, None, "1.0 locked"),  # every version on the index yanked or a pre-release
    ],
)
def test_the_label_names_the_locked_the_allowed_and_the_newest_version(
    locked: str, allowed: str | None, latest: str | None, label: str
) -> None:
    assert versions_label(_health(locked, allowed, latest)) == label


def test_a_hint_goes_after_the_requirement_s_value_in_every_form(tmp_path: Path) -> None:
    text = (
        '[project]\ndependencies = ["web>=1"]\n'
        '[tool.poetry.dependencies]\nrequests = "^2.31"\nhttpx = { version = "^0.27", extras = ["http2"] }\n'
    )
    doc = parse_toml(tmp_path / "pyproject.toml", text)
    assert isinstance(doc, TomlDocument)
    lines = text.splitlines()
    ends = {name: (at.line, at.character) for name, at in requirement_value_ends(doc).items()}
    assert ends == {
        "web": (1, lines[1].index('"]') + 1),
        "requests": (3, len(lines[3])),
        "httpx": (4, len(lines[4])),
    }


def _at_end_of(path: Path, text: str) -> types.Position:
    line = line_of(path, text)
    return types.Position(line=line, character=path.read_text().splitlines()[line].index(text) + len(text))


async def _hover(helper: Helper, path: Path, text: str) -> str:
    where = _at_end_of(path, text)
    hover = await within(
        helper.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                position=types.Position(line=where.line, character=where.character - 2),
            )
        ),
        "hover",
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


async def test_hints_show_the_locked_and_newest_versions_until_the_setting_turns_them_off(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.add([Dist("web", "1.1"), Dist("web", "2.0"), Dist("web", "2.1a1")])
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    pyproject = locked_app / "pyproject.toml"
    async with helper_session([locked_app], initialization_options={"trusted": True}, env=env) as helper:
        helper.open(pyproject)
        await helper.inlay_hints_refreshed(1)  # the health check published
        asked = len(health_index.requests)
        hints = await helper.inlay_hints(pyproject)
        assert [(hint.position, hint.label) for hint in hints] == [
            (_at_end_of(pyproject, '"web>=1"'), "1.0 locked · 2.0 latest"),
            (_at_end_of(pyproject, '"tool"'), "1.0 locked · latest"),
        ]
        assert all(hint.padding_left for hint in hints)
        tooltip = hints[0].tooltip
        assert isinstance(tooltip, types.MarkupContent)
        assert f"newest: `2.0` (on {health_index.url})" in tooltip.value
        assert "Newest the requirement allows: `2.0`" in await _hover(helper, pyproject, '"web>=1"')
        # Shown from the last check's answers: asking for hints and hovers asked the index nothing.
        assert len(health_index.requests) == asked

        seen = helper.inlay_hint_refreshes
        helper.notify(
            types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            types.DidChangeConfigurationParams(settings={"lockstep": {"healthOutdated": False}}),
        )
        await helper.inlay_hints_refreshed(seen + 1)
        assert await helper.inlay_hints(pyproject) == []
        assert "Newest" not in await _hover(helper, pyproject, '"web>=1"')


async def test_an_untrusted_workspace_gets_no_hints_and_asks_nothing(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    pyproject = locked_app / "pyproject.toml"
    before = len(health_index.requests)
    async with helper_session([locked_app], env=env) as helper:
        await helper.projects()
        helper.open(pyproject)
        assert await helper.inlay_hints(pyproject) == []
        assert "Newest" not in await _hover(helper, pyproject, '"web>=1"')
    assert health_index.requests[before:] == []
    assert helper.inlay_hint_refreshes == 0
