"""Shared pieces for the helper's tests (imported by name: a test importing `conftest` gets whichever
area's conftest was imported first): folder trees on disk, real venvs, and a real helper process.

The helper runs as `python -m pyhelper serve` with this test process's interpreter (the dev venv) and
talks LSP over real pipes, driven by pytest-lsp's client.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Union

import attrs
import cattrs
import pytest
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import register_lsp_features

from support.tools import uv_binary

HELPER_COMMAND = [sys.executable, "-m", "pyhelper", "serve"]
TIMEOUT = 20.0
"""Seconds any single wait on the helper may take before the test fails instead of hanging."""


def plain(value: Any) -> Any:
    """pygls hands custom payloads over as namedtuples; turn them back into JSON-shaped data."""
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


async def code_actions(
    helper: Helper,
    path: Path,
    diagnostics: list[types.Diagnostic],
    *,
    at: types.Range | None = None,
    only: Sequence[str] | None = None,
) -> Any:
    """The helper's code actions in `path` for `diagnostics`, at the first of them unless `at` says where;
    `only`: the kinds asked for (as VS Code's Refactor… and Source Action… menus ask)."""
    where = at if at is not None else diagnostics[0].range
    kinds = [types.CodeActionKind(kind) for kind in only] if only is not None else None
    return await within(
        helper.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                range=where,
                context=types.CodeActionContext(diagnostics=diagnostics, only=kinds),
            )
        ),
        "code actions",
    )


def fixes(result: Any) -> list[tuple[str, str, list[Any]]]:
    """(title, command, arguments) of each code action."""
    return [
        (item.title, item.command.command, [plain(argument) for argument in item.command.arguments or []])
        for item in result or []
    ]


def _converter() -> cattrs.Converter:
    converter = default_converter()

    # lsprotocol's own hook reads anything with a `command` key as a Command, so a CodeAction that runs
    # one lost its kind and had the nested object's repr for `command`; a Command's is a string.
    def command_or_action(item: Any, _: type) -> types.Command | types.CodeAction:
        kind = types.Command if isinstance(item.get("command"), str) else types.CodeAction
        return converter.structure(item, kind)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], command_or_action)  # noqa: UP007
    return converter


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Create `files` (relative path -> content) under `root`; a path ending in `/` is an empty folder."""
    for relative, content in files.items():
        path = root / relative
        if relative.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def real_interpreter() -> Path:
    """The interpreter behind this test process, with venv and pyenv links resolved (never a shim)."""
    return Path(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))


def interpreter_version(python: Path) -> str:
    return subprocess.run(
        [str(python), "-c", "import platform; print(platform.python_version())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def make_uv_venv(path: Path) -> Path:
    """A real venv made by uv from the real interpreter, offline and ignoring any user uv config."""
    uv = uv_binary()
    env = {
        **os.environ,
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_OFFLINE": "1",
        "UV_NO_CONFIG": "1",
    }
    subprocess.run(
        [str(uv), "venv", "--quiet", "--python", str(real_interpreter()), str(path)],
        check=True,
        env=env,
    )
    return path


async def within(awaitable: Any, what: str) -> Any:
    try:
        return await asyncio.wait_for(awaitable, TIMEOUT)
    except TimeoutError:
        pytest.fail(f"Timed out after {TIMEOUT:.0f} s waiting for {what}")


class Helper:
    """A running helper plus what its client has seen."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.initialize_result: types.InitializeResult | None = None
        self.registrations: list[types.Registration] = []
        self.unregistered: list[str] = []
        """The ids of the registrations the helper withdrew."""
        self.projects_changed: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self._registrations_changed = asyncio.Event()
        self.inlay_hint_refreshes = 0
        self._refreshed = asyncio.Event()

    async def projects(self, refresh: bool = False) -> list[dict[str, Any]]:
        params = {"refresh": True} if refresh else None
        result = await within(
            self.client.protocol.send_request_async("lockstep/projects", params),
            "lockstep/projects",
        )
        return list(plain(result)["projects"])

    async def next_projects_changed(self, trigger: Callable[[], None]) -> list[dict[str, Any]]:
        """Run `trigger` and return the project list of the `lockstep/projectsChanged` it causes."""
        seen = len(self.projects_changed)
        self._changed.clear()
        trigger()
        while len(self.projects_changed) == seen:
            await within(self._changed.wait(), "lockstep/projectsChanged")
            self._changed.clear()
        return list(self.projects_changed[seen]["projects"])

    async def inlay_hints_refreshed(self, count: int) -> None:
        """Wait until the helper has sent `count` `workspace/inlayHint/refresh` requests in all."""
        while self.inlay_hint_refreshes < count:
            self._refreshed.clear()
            await within(self._refreshed.wait(), "workspace/inlayHint/refresh")

    def open(self, path: Path) -> None:
        """Open `path` in the editor, as it is on disk."""
        self.notify(
            types.TEXT_DOCUMENT_DID_OPEN,
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=path.as_uri(), language_id="toml", version=1, text=path.read_text()
                )
            ),
        )

    async def inlay_hints(self, path: Path) -> list[types.InlayHint]:
        """The inlay hints of the whole of `path` (an open document)."""
        lines = path.read_text().splitlines()
        result = await within(
            self.client.text_document_inlay_hint_async(
                types.InlayHintParams(
                    text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                    range=types.Range(
                        start=types.Position(line=0, character=0),
                        end=types.Position(line=len(lines), character=0),
                    ),
                )
            ),
            "inlay hints",
        )
        return list(result or [])

    async def registered(self, predicate: Callable[[Helper], bool], what: str) -> None:
        """Wait until the helper's (un)registrations so far satisfy `predicate`."""

        async def settled() -> None:
            while not predicate(self):
                self._registrations_changed.clear()
                await self._registrations_changed.wait()

        await within(settled(), what)

    def notify(self, method: str, params: Any) -> None:
        self.client.protocol.notify(method, params)

    def watched_change(self, *paths: Path, kind: types.FileChangeType = types.FileChangeType.Changed) -> None:
        self.notify(
            types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=path.as_uri(), type=kind) for path in paths]
            ),
        )

    async def diagnostics_for(
        self, path: Path, predicate: Callable[[list[types.Diagnostic]], bool]
    ) -> list[types.Diagnostic]:
        """Wait until the diagnostics published for `path` satisfy `predicate`; returns them."""
        uri = path.as_uri()

        async def settled() -> list[types.Diagnostic]:
            while not predicate(list(self.client.diagnostics.get(uri, []))):
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return list(self.client.diagnostics.get(uri, []))

        result: list[types.Diagnostic] = await within(settled(), f"diagnostics on {path.name}")
        return result


@functools.cache
def vscode_capabilities() -> types.ClientCapabilities:
    # pytest-lsp builds a fresh converter per call, which costs about a second; the result never changes.
    capabilities = client_capabilities("visual-studio-code")
    # What vscode-languageclient 9 (the extension's client) adds to VS Code's own: RelativePattern watchers
    # and inlay hints (LSP 3.17), with their refresh request.
    assert capabilities.workspace is not None and capabilities.workspace.did_change_watched_files is not None
    assert capabilities.text_document is not None
    watched = attrs.evolve(capabilities.workspace.did_change_watched_files, relative_pattern_support=True)
    return attrs.evolve(
        capabilities,
        workspace=attrs.evolve(
            capabilities.workspace,
            did_change_watched_files=watched,
            inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True),
        ),
        text_document=attrs.evolve(
            capabilities.text_document,
            inlay_hint=types.InlayHintClientCapabilities(dynamic_registration=True),
        ),
    )


def _client_with_recorders() -> tuple[LanguageClient, Callable[[Helper], None]]:
    client = LanguageClient(converter_factory=_converter)
    register_lsp_features(client)

    def attach(helper: Helper) -> None:
        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(ls: LanguageClient, params: types.RegistrationParams) -> None:
            helper.registrations.extend(params.registrations)
            helper._registrations_changed.set()

        @client.feature(types.CLIENT_UNREGISTER_CAPABILITY)
        def unregister(ls: LanguageClient, params: types.UnregistrationParams) -> None:
            helper.unregistered.extend(u.id for u in params.unregisterations)
            helper._registrations_changed.set()

        @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
        def inlay_hint_refresh(ls: LanguageClient, params: None) -> None:
            helper.inlay_hint_refreshes += 1
            helper._refreshed.set()

        @client.feature("lockstep/projectsChanged")
        def projects_changed(ls: LanguageClient, params: Any) -> None:
            helper.projects_changed.append(plain(params))
            helper._changed.set()

    return client, attach


@contextlib.asynccontextmanager
async def helper_session(
    folders: Sequence[Path],
    *,
    initialization_options: Any = None,
    env: Mapping[str, str] | None = None,
    position_encodings: Sequence[str] | None = None,
) -> AsyncIterator[Helper]:
    """Start the helper, initialize it on `folders` as VS Code would, and shut it down cleanly after."""
    client, attach = _client_with_recorders()
    config = ClientServerConfig(
        server_command=HELPER_COMMAND,
        client_factory=lambda: client,
        server_env={**os.environ, **(env or {})},
    )
    await config.start()
    helper = Helper(client)
    attach(helper)
    capabilities = vscode_capabilities()
    if position_encodings is not None:
        encodings = [types.PositionEncodingKind(kind) for kind in position_encodings]
        capabilities = attrs.evolve(
            capabilities,
            general=types.GeneralClientCapabilities(position_encodings=encodings),
        )
    try:
        helper.initialize_result = await within(
            client.initialize_session(
                types.InitializeParams(
                    capabilities=capabilities,
                    workspace_folders=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders],
                    initialization_options=initialization_options,
                )
            ),
            "initialize",
        )
        yield helper
        await within(client.shutdown_session(), "shutdown and exit")
        assert client._server is not None
        assert client._server.returncode == 0
    finally:
        # pygls' client waits for the server to exit on its own: after a failure it would wait forever.
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()
