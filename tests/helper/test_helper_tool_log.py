"""A tool's output in the log: one entry per message, at the level the tool gave it; and in the
progress bar: the latest line."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest
from pygls.io_ import StdoutWriter

from pyhelper.lsp.server import LockstepServer
from pyhelper.lsp.session import ToolOutputLog, WorkDone, log_answer

UV_SYNC = [
    "Resolved 4 packages in 3ms",
    "Prepared 4 packages in 10ms",
    "Installed 4 packages in 5ms",
    " + alpha==2.0",
    " + beta==1.1",
    "",
    "warning: `VIRTUAL_ENV=/x` does not match the project environment path `.venv`",
]
UV_FAILURE = [
    "error: Failed to fetch: `http://127.0.0.1:9/simple/alpha/`",
    "  Caused by: Request failed after 3 retries",
    "  Caused by: tcp connect error: Connection refused (os error 111)",
    "  \N{MULTIPLICATION SIGN} No solution found when resolving dependencies:",
    "  \N{BOX DRAWINGS LIGHT ARC UP AND RIGHT}\N{BOX DRAWINGS LIGHT HORIZONTAL}\u25b6 Because alpha was not found",
]


def entries(caplog: pytest.LogCaptureFixture, lines: list[str]) -> list[tuple[str, str]]:
    output = ToolOutputLog()
    with caplog.at_level(logging.INFO, logger="pyhelper.lsp.session"):
        for line in lines:
            output.add(line)
        output.flush()
    return [(record.levelname, record.getMessage()) for record in caplog.records]


def test_indented_lines_stay_with_the_message_they_belong_to(caplog: pytest.LogCaptureFixture) -> None:
    assert entries(caplog, UV_SYNC) == [
        ("INFO", "Resolved 4 packages in 3ms"),
        ("INFO", "Prepared 4 packages in 10ms"),
        ("INFO", "Installed 4 packages in 5ms\n + alpha==2.0\n + beta==1.1"),
        ("WARNING", UV_SYNC[-1]),
    ]


def test_an_error_chain_is_one_error_entry(caplog: pytest.LogCaptureFixture) -> None:
    assert entries(caplog, UV_FAILURE) == [
        ("ERROR", "\n".join(UV_FAILURE[:3])),
        ("ERROR", "\n".join(UV_FAILURE[3:])),
    ]


def test_nothing_buffered_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    assert entries(caplog, ["", "   "]) == []


@pytest.mark.parametrize(
    ("status", "level"),
    [
        ("ok", "INFO"),
        ("cancelled", "INFO"),
        ("failed", "ERROR"),
        ("missing-tool", "ERROR"),
        ("needs-lock", "WARNING"),
    ],
)
def test_an_answer_is_logged_at_the_level_of_its_status(
    caplog: pytest.LogCaptureFixture, status: str, level: str
) -> None:
    with caplog.at_level(logging.INFO, logger="pyhelper.lsp.session"):
        log_answer(status, "The sentence.")
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [(level, "The sentence.")]


def progress_messages(written: bytes) -> list[tuple[str, str | None]]:
    """(kind, message) of each `$/progress` the server wrote, in order."""
    found = []
    for body in written.split(b"Content-Length: ")[1:]:
        message = json.loads(body[body.index(b"\r\n\r\n") + 4 :])
        if message.get("method") == "$/progress":
            value = message["params"]["value"]
            found.append((value["kind"], value.get("message")))
    return found


async def test_reports_faster_than_the_loop_turns_are_one_and_the_last_wins() -> None:
    server, written = LockstepServer(), io.BytesIO()
    server.protocol.set_writer(StdoutWriter(written))
    progress = WorkDone(server, "token", "Adding alpha")
    loop = asyncio.get_running_loop()

    async def turn() -> None:
        """Until what was scheduled before now has run (callbacks run in the order they came)."""
        done = loop.create_future()
        loop.call_soon_threadsafe(done.set_result, None)
        await done

    for line in UV_SYNC[:5]:  # while the loop is busy, as when it is answering something else
        progress.report(line)
    await turn()
    progress.report("Checking the environment")
    await turn()
    progress.end("Added alpha.")
    assert progress_messages(written.getvalue()) == [
        ("begin", None),
        ("report", " + beta==1.1"),
        ("report", "Checking the environment"),
        ("end", "Added alpha."),
    ]
