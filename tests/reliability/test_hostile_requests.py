"""Requests built to break the helper: params nested 200,000 deep, and every custom request's params
fuzzed against its declaration, all sent to the real helper over its stdin.

Every request must be answered (never left waiting), never with -32603 (an internal error, a traceback
in the log), and a request refused for its params must change nothing on disk, however close it came
to something destructive (`"replace": "false"` used to be taken as true and recreated the venv).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helper.helper_support import HELPER_COMMAND, TIMEOUT, make_uv_venv
from pyhelper.lsp import protocol, requestparams
from reliability.reliability_support import frame

DEPTH = 200_000
INTERNAL_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32603, -32600, -32602
MUTATING = {
    protocol.CREATE_ENVIRONMENT,
    protocol.SYNC_ENVIRONMENT,
    protocol.DELETE_ENVIRONMENT,
    protocol.UPDATE_LOCK,
}
PROJECT = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = []\n'


class Helper:
    """The real helper over pipes, driven synchronously (hypothesis examples are plain functions); a
    thread collects everything it writes."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            HELPER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd
        )
        self.responses: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            length = None
            while (line := self.process.stdout.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length is None:
                return
            message = json.loads(self.process.stdout.read(length))
            if "method" not in message:  # responses only; notifications and server requests are not
                self.responses.put(message)

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def answer(self, msg_id: object) -> dict[str, Any]:
        """The response to `msg_id` (earlier unclaimed responses are an error: each must be read)."""
        try:
            response = self.responses.get(timeout=TIMEOUT)
        except queue.Empty:
            pytest.fail(f"no answer to request {msg_id!r} within {TIMEOUT:.0f} s")
        assert response.get("id") == msg_id, response
        return response

    def request(self, method: str, params: Any = None) -> dict[str, Any]:
        self.ids += 1
        self.send(frame({"jsonrpc": "2.0", "id": self.ids, "method": method, "params": params}))
        return self.answer(self.ids)

    def start(self, folder: Path, trusted: bool) -> None:
        folders = [{"uri": folder.as_uri(), "name": folder.name}]
        options = {"trusted": trusted}
        assert "result" in self.request(
            "initialize", {"capabilities": {}, "workspaceFolders": folders, "initializationOptions": options}
        )
        self.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))

    def close(self) -> None:
        self.request("shutdown")
        self.send(frame({"jsonrpc": "2.0", "method": "exit"}))
        assert self.process.wait(timeout=TIMEOUT) == 0


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under `folder` with its size and mtime (what a change on disk would move)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        found[str(path.relative_to(folder))] = (status.st_size, status.st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A uv project with a real venv (and a marker file a recreate would lose)."""
    root = tmp_path_factory.mktemp("fuzz") / "app"
    root.mkdir()
    (root / "pyproject.toml").write_text(PROJECT)
    make_uv_venv(root / ".venv")
    (root / ".venv" / "marker").write_text("made before the requests\n")
    return root


@pytest.fixture(scope="module")
def helper(workspace: Path) -> Iterator[Helper]:
    """One trusted helper for the whole module: a refused request must not need trust to be harmless."""
    running = Helper(workspace.parent)
    try:
        running.start(workspace, trusted=True)
        assert running.request(protocol.PROJECTS)["result"]["projects"][0]["venv"] is not None
        yield running
        running.close()
    finally:
        if running.process.poll() is None:
            running.process.kill()


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("where", ["id-first", "id-last"])
def test_params_nested_200000_deep_get_an_error_with_the_request_id(helper: Helper, where: str) -> None:
    helper.ids += 1
    fields = [
        '"jsonrpc": "2.0"',
        '"method": "lockstep/projects"',
        f'"params": {{"refresh": {nested(DEPTH)}}}',
    ]
    fields.insert(1 if where == "id-first" else 3, f'"id": {helper.ids}')
    body = ("{" + ", ".join(fields) + "}").encode()
    helper.send(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    answer = helper.answer(helper.ids)

    assert answer["error"]["code"] == INVALID_REQUEST
    assert "too deeply" in answer["error"]["message"]
    assert "result" in helper.request(protocol.PROJECTS)


def test_a_deep_message_without_a_readable_id_gets_an_error_with_id_null(helper: Helper) -> None:
    body = nested(DEPTH).encode()
    helper.send(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    assert helper.answer(None)["error"]["code"] == INVALID_REQUEST
    # A notification cannot be told from a request without reading it: it gets the same (JSON-RPC
    # answers what it cannot parse with `id: null`), and the helper goes on.
    body = ('{"jsonrpc": "2.0", "method": "lockstep/unknown", "params": ' + nested(DEPTH) + "}").encode()
    helper.send(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    assert helper.answer(None)["error"]["code"] == INVALID_REQUEST
    assert "result" in helper.request(protocol.PROJECTS)


def test_replace_as_a_string_is_refused_and_the_venv_is_kept(helper: Helper, workspace: Path) -> None:
    before = tree(workspace)
    answer = helper.request(protocol.CREATE_ENVIRONMENT, {"root": str(workspace), "replace": "false"})
    assert answer["error"] == {
        "code": INVALID_PARAMS,
        "message": "Invalid params for lockstep/createEnvironment: params.replace must be a boolean, "
        "not the string 'false'.",
    }
    assert tree(workspace) == before
    assert (workspace / ".venv" / "marker").is_file()


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        (protocol.PROJECTS, {"refresh": 1}, "params.refresh must be a boolean, not 1"),
        (protocol.PROJECTS, [True], "params must be an object, not a list"),
        (protocol.DELETE_ENVIRONMENT, {"root": 5}, "params.root must be a string, not 5"),
        (protocol.INTERPRETERS, {"preference": "mine"}, "params.preference must be one of 'only-managed'"),
        (
            protocol.INTERPRETERS,
            {"availableManaged": ["3.12", 3]},
            "params.availableManaged[1] must be a string",
        ),
        (protocol.UPDATE_LOCK, {"workDoneToken": True}, "must be a string or an integer, not true"),
    ],
)
def test_wrong_types_are_invalid_params_naming_the_field(
    helper: Helper, method: str, params: Any, message: str
) -> None:
    error = helper.request(method, params)["error"]
    assert error["code"] == INVALID_PARAMS
    assert message in error["message"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def fields_of(declared: type) -> list[str]:
    return list(requestparams._fields(declared))


def params_for(method: str, root: Path) -> st.SearchStrategy[Any]:
    """Anything JSON, or an object of the declared fields (and others) with any values, right-typed
    ones among them (the real project's root too)."""
    names = fields_of(protocol.REQUEST_PARAMS[method])
    value = JSON | st.sampled_from([str(root), "managed", "3.12", True, False, 0, None])
    declared = st.dictionaries(st.sampled_from([*names, "unknown"]), value, max_size=len(names) + 1)
    return JSON | declared


@pytest.mark.parametrize("method", sorted(protocol.REQUEST_PARAMS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_params_are_answered_without_internal_errors(
    helper: Helper, workspace: Path, method: str, data: st.DataObject
) -> None:
    params = data.draw(params_for(method, workspace))
    try:
        accepted: dict[str, Any] | None = requestparams.check(protocol.REQUEST_PARAMS[method], params)
    except requestparams.InvalidParams:
        accepted = None
    # A well-formed request for the real project would do its work (a new venv): not a fuzz's business.
    assume(not (method in MUTATING and accepted is not None and accepted.get("root") == str(workspace)))
    before = tree(workspace)

    answer = helper.request(method, params)

    error = answer.get("error")
    assert error is None or error["code"] != INTERNAL_ERROR, answer
    assert "Traceback" not in json.dumps(answer)
    if accepted is None:
        assert error is not None and error["code"] == INVALID_PARAMS, answer
        assert tree(workspace) == before
    else:
        assert "result" in answer, answer
    assert os.path.isfile(workspace / ".venv" / "marker")
