"""Live drift: the helper re-checking a pyproject buffer as the user types, on the large lock.

A copy of bench/fixtures/large (~230 locked packages, ~1.5 MB uv.lock) gets a real venv with 200
packages installed by uv from a loopback index (wheels built here). Measured, as medians:

  (a) in the helper's engine: one keystroke's re-check (lock drift of the edited buffer plus the
      venv comparison; lock, venv and selection cached) — target < 10 ms;
  (b) a real helper over stdio: from a didChange that makes the lock stale to the publishDiagnostics
      that reports it (debounce included) — target <= 150 ms;
  (c) that helper's RSS once it has checked the project — target < 100 MB.

    .dev/venv/bin/python bench/livedrift.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import (
    ROOT,
    Benchmark,
    Row,
    Size,
    Target,
    rss_mb,
    run_quiet,
    standalone,
    uv_binary,
)

NAME = "livedrift"
LARGE = ROOT / "bench" / "fixtures" / "large"
EDIT_FROM, EDIT_TO = '"httpx>=0.27",', '"httpx>=0.27", "not-locked-yet>=1",'
VENV_PACKAGES = 200


def make_project(scratch: Path) -> Path:
    """The large project copied to `scratch` with a venv of VENV_PACKAGES real installs."""
    from support.index import PackageIndex, generated_catalogue

    root = scratch / "large"
    root.mkdir()
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copyfile(LARGE / name, root / name)
    index = PackageIndex(scratch / "index")
    index.add(generated_catalogue(VENV_PACKAGES))
    with index.start():
        env = index.environ(scratch / "uv-cache")
        uv = str(uv_binary())
        run_quiet([uv, "venv", "--python", sys.executable, str(root / ".venv")], env=env)
        names = [f"pkg-{i:03d}" for i in range(VENV_PACKAGES)]
        run_quiet([uv, "pip", "install", "--python", str(root / ".venv"), *names], env=env)
    return root


def keystrokes(root: Path, runs: int) -> list[float]:
    """Seconds per in-process re-check (the buffer parsed, then checked), the buffer alternating between
    edited and not."""
    from pyhelper.drift.session import DriftSession
    from pyhelper.projects import scan_workspace
    from pyhelper.tomlfile import parse_toml

    (project,) = scan_workspace([root]).projects
    text = project.pyproject.read_text(encoding="utf-8")
    edited = text.replace(EDIT_FROM, EDIT_TO)
    assert edited != text
    session = DriftSession()
    session.check(project, parse_toml(project.pyproject, text))
    times = []
    for index in range(runs):
        buffer = edited if index % 2 == 0 else text
        start = time.perf_counter()
        result = session.check(project, parse_toml(project.pyproject, buffer))
        times.append(time.perf_counter() - start)
        assert (result.summary.state == "lock-out-of-sync") == (buffer is edited), result.summary
    return times


class Wire:
    """A minimal LSP client over the helper's stdio (Content-Length framing), for timing."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pyhelper", "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
        )
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while line := self.process.stdout.readline().strip():
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        if "id" in message and "method" in message:  # a request from the helper (registration): accept
            self.reply(message["id"])
        return message

    def reply(self, id_: object) -> None:
        body = json.dumps({"jsonrpc": "2.0", "id": id_, "result": None}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def wait_for(self, predicate: Any, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self.receive()
            if predicate(message):
                return message
        raise TimeoutError("the helper did not answer in time")

    def close(self) -> None:
        self.send("shutdown", None, request=True)
        self.wait_for(lambda m: m.get("id") == self.next_id and "result" in m)
        self.send("exit", None)
        self.process.wait(30)


def helper_latency(root: Path, runs: int) -> tuple[list[float], float]:
    """Seconds from a stale-making didChange to its diagnostics, per run; the helper's RSS (MB)."""
    pyproject = root / "pyproject.toml"
    uri = pyproject.as_uri()
    text = pyproject.read_text(encoding="utf-8")
    edited = text.replace(EDIT_FROM, EDIT_TO)
    wire = Wire(root)
    try:
        wire.send(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "capabilities": {}},
            request=True,
        )
        wire.wait_for(lambda m: m.get("id") == 1)
        wire.send("initialized", {})
        wire.send(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "toml",
                    "version": 1,
                    "text": text,
                }
            },
        )

        def published(stale: bool) -> Any:
            def check(message: dict[str, Any]) -> bool:
                if (
                    message.get("method") != "textDocument/publishDiagnostics"
                    or message["params"]["uri"] != uri
                ):
                    return False
                codes = {d.get("code") for d in message["params"]["diagnostics"]}
                return ("lock-missing-package" in codes) == stale

            return check

        # Answered once the first scan (and its drift check) is done: the helper only notifies changes.
        wire.send("lockstep/projects", {}, request=True)
        asked = wire.next_id
        wire.wait_for(lambda m: m.get("id") == asked)
        times = []
        for version in range(2, runs * 2 + 2):
            stale = version % 2 == 0
            start = time.perf_counter()
            wire.send(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": edited if stale else text}],
                },
            )
            wire.wait_for(published(stale))
            times.append(time.perf_counter() - start)
        rss = rss_mb(wire.process.pid)
        wire.close()
    finally:
        if wire.process.poll() is None:
            wire.process.kill()
    return times, rss


def run(size: Size) -> Benchmark:
    runs = size.pick(full=41, quick=3)
    with tempfile.TemporaryDirectory(prefix="lockstep-livedrift-") as scratch:
        root = make_project(Path(scratch))
        keystroke = keystrokes(root, runs * 5)
        latency, rss = helper_latency(root, runs)
    return Benchmark(
        name=NAME,
        description="live drift on the large lock with a 200-package venv",
        parameters={
            "runs": runs,
            "keystroke_runs": runs * 5,
            "venv_packages": VENV_PACKAGES,
        },
        rows=[
            Row(
                "re-check on a keystroke (in the helper's engine)",
                "parse + DriftSession.check",
                statistics.median(keystroke) * 1000,
                target=Target(10, on="value", strict=True),
            ),
            Row(
                "didChange to diagnostics (real helper, debounce included)",
                "helper over stdio",
                statistics.median(latency) * 1000,
                target=Target(150, on="value"),
            ),
            Row(
                "helper RSS, large lock and 200-package venv checked",
                "helper process",
                rss,
                unit="MB",
                target=Target(100, on="value", strict=True),
            ),
        ],
        details={"latency_ms": [round(t * 1000, 2) for t in latency]},
    )


if __name__ == "__main__":
    standalone(run)
