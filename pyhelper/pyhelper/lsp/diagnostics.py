"""Turning engine findings into LSP diagnostics.

Findings count columns in code points; the client counts in the position encoding negotiated at
`initialize` (UTF-16 for VS Code), so every range is converted with the text of the file it points into.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace.position_codec import PositionCodec

from pyhelper.findings import Finding, Range

SOURCE = "lockstep"

LinesOf = Callable[[Path], Sequence[str]]
"""The current lines of a file: the editor's buffer when it is open, else the file on disk."""


def file_uri(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def client_range(codec: PositionCodec, lines: Sequence[str], where: Range) -> types.Range:
    return codec.range_to_client_units(
        lines,
        types.Range(
            start=types.Position(line=where.start.line, character=where.start.character),
            end=types.Position(line=where.end.line, character=where.end.character),
        ),
    )


def to_diagnostic(finding: Finding, codec: PositionCodec, lines_of: LinesOf) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=file_uri(item.path), range=client_range(codec, lines_of(item.path), item.range)
            ),
            message=item.message,
        )
        for item in finding.related
    ]
    return types.Diagnostic(
        range=client_range(codec, lines_of(finding.path), finding.range),
        message=finding.message,
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=types.CodeDescription(href=finding.link) if finding.link else None,
        source=SOURCE,
        related_information=related or None,
    )
