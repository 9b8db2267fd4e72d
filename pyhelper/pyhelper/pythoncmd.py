"""`pyhelper python list [--format text|json]`: the interpreters discovery finds, as a person or a script
reads them (the JSON has the shape of the protocol's `InterpreterInfo`)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pyhelper.interpreters.model import Interpreter
from pyhelper.lsp.payloads import interpreter_info


def render_json(interpreters: Sequence[Interpreter]) -> str:
    return json.dumps([interpreter_info(i) for i in interpreters], indent=2)


def render_text(interpreters: Sequence[Interpreter]) -> str:
    """One line per interpreter, aligned: version, implementation, kind, path, then what else is known."""
    if not interpreters:
        return "no Python interpreters found"
    rows = []
    for i in interpreters:
        extras = [
            text
            for text in (
                "free-threaded" if i.free_threaded else "",
                i.architecture or "",
                f"base {i.base}" if i.base else "",
            )
            if text
        ]
        rows.append(
            (i.version, i.implementation, i.kind, i.path + (f"  ({', '.join(extras)})" if extras else ""))
        )
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
        for row in rows
    )
