"""A tool's output in the log: one entry per message, at the level the tool gave it."""

from __future__ import annotations

import logging

import pytest

from pyhelper.lsp.session import ToolOutputLog, log_answer

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
