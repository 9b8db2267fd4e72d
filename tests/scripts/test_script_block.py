"""The PEP 723 block as the spec's reference regex reads it, and malformed blocks as findings at the
script's own lines and columns (what the editor underlines)."""

from __future__ import annotations

import os
from pathlib import Path

from pyhelper import codes
from pyhelper.findings import Position, Range
from pyhelper.scripts.block import ScriptBlock, parse_script, read_script

SCRIPT = Path("/w/tool.py")


def block(text: str) -> ScriptBlock:
    found = parse_script(SCRIPT, text)
    assert found is not None
    return found


def test_content_is_toml_positioned_in_the_script() -> None:
    text = '#!/usr/bin/env python\n# /// script\n# requires-python = ">=3.11"\n# dependencies = [\n#   "rich",\n#\n# ]\n# ///\n'
    found = block(text)
    assert (found.start, found.end, found.requires_python, found.dependencies) == (1, 7, ">=3.11", ["rich"])
    assert found.doc is not None and found.findings == ()
    # `"rich"` sits at line 4, column 4 of the script (after `#   `).
    assert found.doc.range_of(("dependencies", 0)) == Range(Position(4, 4), Position(4, 10))
    assert found.doc.range_of(("requires-python",)) == Range(Position(2, 20), Position(2, 28))


def test_the_last_closing_line_of_a_comment_run_closes_the_block() -> None:
    # So the first `# ///` is content, which is no TOML (as uv reads it too).
    found = block("# /// script\n# dependencies = []\n# ///\n# [tool.x]\n# ///\nprint()\n")
    assert found.end == 4
    assert [(f.code, f.range.start.line) for f in found.findings] == [(codes.SCRIPT_BLOCK_INVALID, 2)]


def test_no_block_without_the_exact_opening_line() -> None:
    assert parse_script(SCRIPT, "print('# /// script')\n") is None
    assert parse_script(SCRIPT, "import os\n") is None


def test_unterminated_block_is_an_error_at_its_opening_line() -> None:
    found = block('import os\n# /// script\n# dependencies = ["rich"]\n\nprint()\n')
    assert found.doc is None
    assert [(f.code, f.range) for f in found.findings] == [
        (codes.SCRIPT_BLOCK_UNTERMINATED, Range(Position(1, 0), Position(1, 12)))
    ]
    assert found.problem is not None and found.problem.startswith("line 2: ")


def test_invalid_toml_is_reported_at_its_line_in_the_script() -> None:
    found = block('# /// script\n# dependencies = [\n#   "rich"\n#   "httpx",\n# ]\n# ///\n')
    assert [f.code for f in found.findings] == [codes.SCRIPT_BLOCK_INVALID]
    assert found.findings[0].range.start.line in (2, 3)
    assert "not valid TOML" in found.findings[0].message


def test_a_second_script_block_is_an_error_at_its_opening() -> None:
    text = '# /// script\n# dependencies = []\n# ///\n\n# /// script\n# dependencies = ["x"]\n# ///\n'
    found = block(text)
    assert [(f.code, f.range.start.line) for f in found.findings] == [(codes.SCRIPT_BLOCK_DUPLICATE, 4)]
    assert found.doc is None


def test_wrong_types_are_errors_at_the_value() -> None:
    found = block('# /// script\n# dependencies = "rich"\n# ///\n')
    assert [(f.code, f.range.start) for f in found.findings] == [
        (codes.SCRIPT_BLOCK_INVALID, Position(1, 17))
    ]


def test_crlf_script_keeps_its_lines() -> None:
    found = block('# /// script\r\n# dependencies = ["rich"]\r\n# ///\r\n')
    assert found.doc is not None and found.dependencies == ["rich"] and found.end == 2


def test_a_fifo_or_huge_file_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    refused = read_script(fifo)
    assert refused is not None and not isinstance(refused, ScriptBlock)
    assert refused.code == codes.FILE_UNREADABLE and "FIFO" in refused.message
    huge = tmp_path / "huge.py"
    with huge.open("wb") as file:
        file.truncate(5 * 2**20)
    refused = read_script(huge)
    assert refused is not None and not isinstance(refused, ScriptBlock) and "larger than" in refused.message
