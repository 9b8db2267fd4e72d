"""What the engine reports: findings with a precise place in a file.

The engine works in 0-based lines and code-point columns; the LSP adapter converts columns to the
client's position encoding. Findings are plain data so the CLI and the server can both render them.
"""

import enum
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pyhelper.codes import Code


class Severity(enum.IntEnum):
    # Same numbering as LSP's DiagnosticSeverity.
    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()


class Position(NamedTuple):
    line: int
    character: int


class Range(NamedTuple):
    start: Position
    end: Position

    @classmethod
    def at(cls, line: int, character: int = 0, length: int = 0) -> "Range":
        return cls(Position(line, character), Position(line, character + length))


class Related(NamedTuple):
    path: Path
    range: Range
    message: str


class Finding(NamedTuple):
    path: Path
    range: Range
    severity: Severity
    code: "Code"
    """One of the registry's (`pyhelper.codes`): mypy refuses any other string."""
    message: str
    related: tuple[Related, ...] = ()
    link: str | None = None
    """A page about this finding (a vulnerability's advisory), an http(s) URL: the editor links the code
    to it."""
