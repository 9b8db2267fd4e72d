"""Interpreters in the editor: `lockstep/interpreters` lists what discovery found and, given a project's
rules, the one they choose (the status-bar picker)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

from pyhelper.lsp import protocol
from pyhelper.lsp.session import Session, params_dict


async def on_interpreters(session: Session, params: Any) -> protocol.InterpretersResult:
    from pyhelper.interpreters.payload import interpreters_payload

    values = params_dict(params)
    if values.get("preference") is None:
        values["preference"] = session.settings.python_preference
    keys = ("requiresPython", "pythonVersion", "preference", "availableManaged", "refresh")
    request = cast("protocol.InterpretersParams", {key: values[key] for key in keys if key in values})
    return await asyncio.to_thread(interpreters_payload, session.discovery(), request)


HANDLERS: dict[str, Callable[..., Any]] = {
    protocol.INTERPRETERS: on_interpreters,
}
