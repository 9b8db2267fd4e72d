"""The language server: wiring only. `LockstepServer` is pygls's server with Lockstep's transport, and
`build_server` registers each feature module's handlers, bound to the session they all share.

Where things go: the state and what keeps it current in `session.py`; one handler module per feature
(`projects`, `drift`, `environments`, `interpreters`, `dependencies`, `scripts`, `outdated`), each
exporting `HANDLERS` (method -> handler); the custom methods and their payloads in `protocol.py`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from pygls.exceptions import FeatureRequestError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from pyhelper import __version__
from pyhelper.lsp import (
    dependencies,
    drift,
    environments,
    interpreters,
    outdated,
    projects,
    protocol,
    requestparams,
    scripts,
    transport,
)
from pyhelper.lsp.session import Session

if TYPE_CHECKING:
    from pygls.server import ServerErrors

log = logging.getLogger(__name__)

FEATURES: tuple[Mapping[str, Callable[..., Any]], ...] = (
    projects.HANDLERS,
    drift.HANDLERS,
    environments.HANDLERS,
    interpreters.HANDLERS,
    dependencies.HANDLERS,
    scripts.HANDLERS,
    outdated.HANDLERS,
)


class LockstepServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lockstep", __version__)
        self.session = Session(self)

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
        """Serve over stdio until `exit` or end of input; returns the process exit code."""
        self._stop_event = stop = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self._serve(stdin or sys.stdin.buffer, stop))
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else 1
        except BrokenPipeError:
            log.error("The editor closed the connection; stopping.")
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]  # pygls leaves it unannotated
        return 0

    async def _serve(self, stdin: BinaryIO, stop: threading.Event) -> None:
        from pyhelper.lsp.logging_setup import to_editor

        reader = await transport.stdin_reader(stdin, self.thread_pool)
        with to_editor(self.window_log_message):
            await transport.serve(reader, self.protocol, stop, protocol.REQUEST_PARAMS)

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        # pygls would pop up a message in the editor; the log is the place for the helper's own errors.
        # A failed request was answered with its error already.
        if source is not FeatureRequestError:
            log.error("%s", error)


def _with_declared_params(handler: Callable[[Any], Any], declared: type) -> Callable[[Any], Any]:
    """A custom request's handler gets its params as their declared TypedDict (`protocol.REQUESTS`), not
    pygls's namedtuples: checked at the edge (`transport`), so this only gives them their shape back."""

    # Any, not object: pygls passes the server first to a handler whose first parameter accepts it.
    async def handle(params: Any) -> Any:
        return await handler(requestparams.check(declared, requestparams.plain(params)))

    return handle


def build_server() -> LockstepServer:
    server = LockstepServer()
    for handlers in FEATURES:
        for method, handler in handlers.items():
            # pygls calls `handler(params)`; each handler takes the session first.
            bound = functools.partial(handler, server.session)
            declared = protocol.REQUEST_PARAMS.get(method)
            server.feature(method)(bound if declared is None else _with_declared_params(bound, declared))
    return server


def serve() -> int:
    from pyhelper.lsp.logging_setup import configure, startup_line

    configure()
    server = build_server()
    log.info(startup_line())
    return server.start_io()
