"""Discovery and choice as the LSP request `lockstep/interpreters` and `pyhelper python list` show them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pyhelper.interpreters.model import Interpreter
from pyhelper.lsp.protocol import InterpreterChoice, InterpreterInfo, InterpretersParams, InterpretersResult

if TYPE_CHECKING:
    from pyhelper.interpreters.choice import Choice
    from pyhelper.interpreters.discovery import Discovery


def interpreter_info(interpreter: Interpreter) -> InterpreterInfo:
    return {
        "path": interpreter.path,
        "version": interpreter.version,
        "implementation": interpreter.implementation,
        "kind": interpreter.kind,
        "managed": interpreter.managed,
        "prefix": interpreter.prefix,
        "architecture": interpreter.architecture,
        "freeThreaded": interpreter.free_threaded,
        "name": interpreter.name,
        "base": interpreter.base,
    }


def choice_info(choice: Choice) -> InterpreterChoice:
    install = choice.install
    return {
        "chosen": choice.chosen.path if choice.chosen else None,
        "candidates": [
            {"path": c.interpreter.path, "fits": c.fits, "reason": c.reason} for c in choice.candidates
        ],
        "install": None
        if install is None
        else {
            "implementation": install.implementation,
            "specifier": install.specifier,
            "freeThreaded": install.free_threaded,
            "prereleases": install.prereleases,
            "version": install.version,
            "label": install.label,
        },
        "message": choice.message,
        "request": choice.request.text if choice.request else None,
        "notes": list(choice.notes),
    }


def interpreters_payload(
    discovery: Discovery, params: InterpretersParams | None = None
) -> InterpretersResult:
    """The answer to `lockstep/interpreters`: every interpreter, and the choice for a project when the
    params carry its requiresPython / pythonVersion / preference."""
    params = params or {}
    if params.get("refresh"):
        discovery.refresh()
    interpreters = discovery.interpreters()
    choice = None
    if {"requiresPython", "pythonVersion", "preference"} & params.keys():
        from pyhelper.interpreters.choice import DEFAULT_PREFERENCE, PREFERENCES, choose

        preference = params.get("preference") or DEFAULT_PREFERENCE
        made = choose(
            interpreters,
            requires_python=params.get("requiresPython"),
            python_version=params.get("pythonVersion"),
            preference=preference if preference in PREFERENCES else DEFAULT_PREFERENCE,
            available_managed=params.get("availableManaged"),
        )
        choice = choice_info(made)
        if preference not in PREFERENCES:
            choice["notes"].append(f"unknown python-preference {preference!r}; used {DEFAULT_PREFERENCE}")
    return {"interpreters": [interpreter_info(i) for i in interpreters], "choice": choice}


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
