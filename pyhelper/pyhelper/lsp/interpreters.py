"""Interpreters in the editor: `lockstep/interpreters` lists what discovery found and, given a project's
rules, the one they choose (the status-bar picker)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pyhelper.lsp import protocol
from pyhelper.lsp.payloads import choice_info, interpreter_info
from pyhelper.lsp.session import Session

if TYPE_CHECKING:
    from pyhelper.interpreters.discovery import Discovery


def interpreters_payload(
    discovery: Discovery, params: protocol.InterpretersParams | None = None
) -> protocol.InterpretersResult:
    """The answer to `lockstep/interpreters`: every interpreter, and the choice for a project when the
    params carry its requiresPython / pythonVersion / preference."""
    params = params or {}
    if params.get("refresh"):
        discovery.refresh()
    interpreters = discovery.interpreters()
    choice = None
    if {"requiresPython", "pythonVersion", "preference"} & params.keys():
        from pyhelper.interpreters.choice import DEFAULT_PREFERENCE, PREFERENCES, choose_interpreter

        preference = params.get("preference") or DEFAULT_PREFERENCE
        made = choose_interpreter(
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


async def on_interpreters(
    session: Session, params: protocol.InterpretersParams
) -> protocol.InterpretersResult:
    request: protocol.InterpretersParams = {"preference": session.settings.python_preference, **params}
    return await asyncio.to_thread(interpreters_payload, session.discovery(), request)


HANDLERS: dict[str, Callable[..., Any]] = {
    protocol.INTERPRETERS: on_interpreters,
}
