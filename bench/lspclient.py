"""Just enough of an LSP client over a server's stdio for timing: numbered requests, the server's own
requests accepted (watcher registrations), and its notifications kept, so a benchmark can wait for the
one that shows what it is timing (the view's `lockstep/projectsChanged`)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

Predicate = Callable[[Any], bool]


class Client:
    def __init__(
        self, command: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None
    ) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
        )
        self._next_id = 0
        self.notifications: list[tuple[str, Any]] = []
        """Every notification the server sent, in order: (method, params)."""

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stdin: IO[bytes] | None = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        stdin.flush()

    def _receive(self) -> dict[str, Any]:
        """The next message; the server's requests are answered, its notifications kept."""
        stdout: IO[bytes] | None = self.process.stdout
        assert stdout is not None
        length = None
        while (line := stdout.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length is None:
            raise RuntimeError(f"the server closed its output (exit code {self.process.wait()})")
        message: dict[str, Any] = json.loads(stdout.read(length))
        if "method" in message and "id" in message:  # the server asks (e.g. to register watchers)
            self._send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append((message["method"], message.get("params")))
        return message

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        self._send({"id": self._next_id, "method": method, "params": params})
        while True:
            message = self._receive()
            if message.get("id") == self._next_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def notification(self, method: str, predicate: Predicate, since: int = 0) -> Any:
        """The params of the first `method` notification from the `since`-th on that satisfy `predicate`,
        reading until one arrives."""
        checked = since
        while True:
            for name, params in self.notifications[checked:]:
                if name == method and predicate(params):
                    return params
            checked = len(self.notifications)
            self._receive()

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.communicate(timeout=30)
