"""Outdated direct requirements in the editor: an inlay hint after each requirement of a pyproject.toml
(`2.31.0 locked · 2.32.3 latest`) and a line in its hover.

Both come from the project's last health check (`HealthChecks.results`): showing them never asks the
index, so typing costs nothing; the hints are refreshed when a check publishes or a setting changes.
Placed by the buffer as typed; the versions are those of the last check. Trusted workspaces only, and
`lockstep.health.outdated` turns both off. Never a diagnostic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from pyhelper.drift.environment import requirement_places
from pyhelper.findings import Position, Range
from pyhelper.lsp.diagnostics import client_range
from pyhelper.tomlfile import TomlDocument

if TYPE_CHECKING:
    from pyhelper.health.audit import PackageHealth
    from pyhelper.lsp.session import Session


def _shown(session: Session, pyproject: Path) -> Iterator[tuple[str, PackageHealth, str]]:
    """(name, health, index) of each locked direct requirement of the project at `pyproject`, when
    the workspace is trusted and the setting is on."""
    settings = session.settings
    if not (settings.trusted and settings.health_outdated) or pyproject.name != "pyproject.toml":
        return
    result = session.health().results.get(pyproject.parent)
    if result is None:
        return
    project = result.project
    indexes = {entry.name: project.index_of(entry) for entry in project.entries}
    for name, health in result.packages.items():
        if name in project.required:
            yield name, health, indexes[name]


def hover_line(session: Session, pyproject: Path, name: str) -> str | None:
    """The hover's line for requirement `name`: the newest versions its index has."""
    from pyhelper.health.audit import versions_text

    return next((versions_text(h, index) for n, h, index in _shown(session, pyproject) if n == name), None)


def on_inlay_hint(session: Session, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    from pyhelper.health.audit import versions_label, versions_text

    path = to_fs_path(params.text_document.uri)
    shown = {name: (health, index) for name, health, index in _shown(session, Path(path))} if path else {}
    doc = session.parsed_document(Path(path)) if shown and path else None
    if not isinstance(doc, TomlDocument):
        return None  # nothing to show, or a buffer that does not parse (the hints come back with it)
    codec = session.server.workspace.position_codec
    lines = session.lines_of(doc.path)
    hints = []
    for name, at in requirement_value_ends(doc).items():
        if name not in shown:
            continue
        health, index = shown[name]
        end = client_range(codec, lines, Range(at, at)).end
        if not _within(end, params.range):
            continue
        hints.append(
            types.InlayHint(
                position=end,
                label=versions_label(health),
                tooltip=types.MarkupContent(
                    kind=types.MarkupKind.Markdown, value=f"**{name}**\n\n{versions_text(health, index)}"
                ),
                padding_left=True,
            )
        )
    return hints


def requirement_value_ends(doc: TomlDocument) -> dict[str, Position]:
    """Where the first requirement of each package ends: after the PEP 508 string, or after the value
    of a manager's `name = …` (`requests = "^2.31"`, not after `requests`)."""
    found: dict[str, Position] = {}
    for name, path, _ in requirement_places(doc):
        span = doc.span(path)
        if name not in found and span is not None:
            found[name] = doc.range(span).end
    return found


def _within(position: types.Position, where: types.Range) -> bool:
    at = (position.line, position.character)
    return (where.start.line, where.start.character) <= at <= (where.end.line, where.end.character)


def refresh(session: Session) -> None:
    """Ask the editor to request the hints again (when it says it can)."""
    capabilities = session.server.client_capabilities.workspace
    inlay = capabilities.inlay_hint if capabilities is not None else None
    if inlay is not None and inlay.refresh_support:
        session.server.workspace_inlay_hint_refresh(None)


HANDLERS: dict[str, Callable[..., Any]] = {types.TEXT_DOCUMENT_INLAY_HINT: on_inlay_hint}
