"""The custom protocol is spelled once on the helper's side, in pyhelper/lsp/protocol.py: no other
module names a custom method, and each custom request's handler takes its params as the TypedDict the
protocol declares (checked at the edge, handed over in that shape by `server.build_server`). The
extension's side is tests/unit/protocolUse.test.ts."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_type_hints

from pyhelper.lsp import protocol, server

ENGINE = Path(__file__).resolve().parents[2] / "pyhelper" / "pyhelper"
METHOD = re.compile(r"lockstep/\w+")


def test_only_the_protocol_module_spells_a_custom_method() -> None:
    spelled = [
        f"{path.relative_to(ENGINE)}:{node.lineno}"
        for path in sorted(ENGINE.rglob("*.py"))
        if path != ENGINE / "lsp" / "protocol.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and METHOD.fullmatch(node.value)
    ]
    assert spelled == []


def test_every_custom_request_has_one_handler_typed_with_its_declared_params() -> None:
    handled = {}
    for handlers in server.FEATURES:
        for method, handler in handlers.items():
            assert method not in handled, f"{method} is handled twice"
            handled[method] = handler
    for request in protocol.REQUESTS:
        hints = get_type_hints(handled[request.method])
        assert hints["params"] is request.params, request.method
    for notification in protocol.NOTIFICATIONS:
        assert notification.method not in handled, f"{notification.method} goes to the editor, not here"


def test_handlers_get_plain_params_from_pygls_namedtuples() -> None:
    from collections import namedtuple

    from pyhelper.lsp.requestparams import check, plain

    inner = namedtuple("inner", ["root"])("/w")
    outer = namedtuple("outer", ["python", "items"])(None, [inner])
    assert plain(outer) == {"python": None, "items": [{"root": "/w"}]}
    assert check(protocol.UpdateLockParams, plain(namedtuple("p", ["root", "x"])("/w", 1))) == {"root": "/w"}
