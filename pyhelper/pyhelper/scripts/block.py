"""A PEP 723 script's `# /// script` block: found as the spec's reference regex finds it, read as TOML,
with every malformed block a finding at its line in the script.

The content of a block (its lines stripped of `# ` or `#`) is a TOML document of its own; a
`ScriptDocument` is that document with positions in the script file, so the findings the lock check
makes from it (`range_of`, a requirement's range) point at the script's own lines and columns.

What PEP 723 defines, and uv 0.13 does on top (its `uv-scripts` crate):
- a block is `# /// TYPE`, comment lines (`#` alone or `# ` then content), then `# ///`; where a run
  of comment lines holds several `# ///`, the last one closes the block (the regex is greedy);
- two `script` blocks are an error;
- an opening `# /// script` never closed is, by the spec, no block ("tools MUST ignore" it), but uv
  refuses the script, so it is reported (and the file still counts as a script);
- the content must be TOML whose `dependencies` is an array of strings and `requires-python` a string
  (uv's metadata schema); anything else uv refuses too.
"""

import re
from pathlib import Path
from typing import Any, NamedTuple

from pyhelper import boundedread, codes
from pyhelper.findings import Finding, Position, Range, Severity
from pyhelper.tomlfile import TomlDocument, parse_toml

# The reference regex of the PEP 723 specification (packaging.python.org, "Inline script metadata").
# Compiled at their use (re's cache): a check imports this module whether or not any script is locked.
BLOCK = r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
OPENING = "# /// script"
_OPENING_LINE = r"(?m)^# /// script$"


class ScriptDocument(TomlDocument):
    """The block's TOML, positioned in the script: content line `i` is script line `first_line + i`,
    its columns shifted by the `# ` (or `#`) taken away."""

    def __init__(
        self, path: Path, text: str, data: dict[str, Any], first_line: int, shifts: list[int]
    ) -> None:
        super().__init__(path, text, data)
        self.first_line, self.shifts = first_line, shifts

    def position(self, offset: int) -> Position:
        inner = super().position(offset)
        return self.place(inner.line, inner.character)

    def place(self, line: int, character: int) -> Position:
        shift = self.shifts[line] if 0 <= line < len(self.shifts) else 2
        return Position(self.first_line + line, character + shift)


class ScriptBlock(NamedTuple):
    """What a script file's block says; `doc` is None when the block is malformed (see `findings`)."""

    path: Path
    start: int
    """0-based line of `# /// script`."""
    end: int
    """0-based line of the closing `# ///` (`start` when there is none)."""
    doc: ScriptDocument | None
    findings: tuple[Finding, ...]

    @property
    def requires_python(self) -> str | None:
        value = self.doc.data.get("requires-python") if self.doc else None
        return value if isinstance(value, str) else None

    @property
    def dependencies(self) -> list[str]:
        value = self.doc.data.get("dependencies") if self.doc else None
        return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

    @property
    def problem(self) -> str | None:
        """The first malformed-block finding as one sentence with its line, for a status line."""
        first = next((f for f in self.findings if f.severity is Severity.ERROR), None)
        return f"line {first.range.start.line + 1}: {first.message}" if first else None


def might_be_script(text: str) -> bool:
    """A cheap test before any parsing: only a file with the opening line can hold a script block."""
    return OPENING in text


def lock_path(script: Path) -> Path:
    """uv's lock of a script: `NAME.py.lock` beside `NAME.py`."""
    return script.with_name(script.name + ".lock")


def read_script(path: Path) -> ScriptBlock | Finding | None:
    """The block of the script at `path` (bounded read); None when the file has no `# /// script` line,
    a `file-unreadable` finding when it cannot be read."""
    try:
        data = boundedread.read_bytes(path, boundedread.SCRIPT)
    except OSError as error:
        return boundedread.unreadable_finding(path, error)
    if OPENING.encode() not in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return boundedread.unreadable_finding(path, OSError(0, f"not UTF-8 text ({error.reason})"))
    return parse_script(path, text)


def parse_script(path: Path, text: str) -> ScriptBlock | None:
    """The block of a script's text (the editor's buffer or the file); None when there is none."""
    if not might_be_script(text):
        return None
    # Python reads source with universal newlines; uv strips a line's `\r` too.
    text = text.replace("\r\n", "\n")
    pattern = re.compile(BLOCK)
    blocks = [match for match in pattern.finditer(text) if match.group("type") == "script"]
    covered = [(match.start(), match.end()) for match in pattern.finditer(text)]
    # An opening after the first block is no concern of uv's (it reads the first, then looks only for
    # a second closed one) nor of the spec's (unclosed: ignored).
    before = blocks[0].start() if blocks else len(text)
    unclosed = [
        opening.start()
        for opening in re.compile(_OPENING_LINE).finditer(text, 0, before)
        if not any(start <= opening.start() < end for start, end in covered)
    ]
    findings: list[Finding] = []
    for offset in unclosed:
        line = text.count("\n", 0, offset)
        findings.append(
            Finding(
                path,
                Range.at(line, 0, len(OPENING)),
                Severity.ERROR,
                codes.SCRIPT_BLOCK_UNTERMINATED,
                "this `# /// script` block has no closing `# ///` line (every line up to it must start "
                "with `#`), so uv refuses the script and other PEP 723 tools ignore the block",
            )
        )
    for duplicate in blocks[1:]:
        line = text.count("\n", 0, duplicate.start())
        findings.append(
            Finding(
                path,
                Range.at(line, 0, len(OPENING)),
                Severity.ERROR,
                codes.SCRIPT_BLOCK_DUPLICATE,
                f"a second `# /// script` block (the first is at line {_line_of(text, blocks[0]) + 1}); "
                "PEP 723 makes two an error, and uv refuses the script",
            )
        )
    if not blocks:
        if not unclosed:
            return None
        start = text.count("\n", 0, unclosed[0])
        return ScriptBlock(path, start, start, None, tuple(findings))
    block = blocks[0]
    start = _line_of(text, block)
    end = start + block.group(0).count("\n")
    doc, problems = _content(path, block.group("content"), start + 1)
    findings.extend(problems)
    return ScriptBlock(path, start, end, None if findings else doc, tuple(findings))


def _line_of(text: str, match: re.Match[str]) -> int:
    return text.count("\n", 0, match.start())


def _content(path: Path, content: str, first_line: int) -> tuple[ScriptDocument | None, list[Finding]]:
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the break after the last content line
    shifts = [2 if line.startswith("# ") else 1 for line in lines]
    toml = "".join(line[shift:] + "\n" for line, shift in zip(lines, shifts, strict=True))
    parsed = parse_toml(path, toml)
    if isinstance(parsed, Finding):
        detail = parsed.message.split(": ", 1)[-1]
        start = _shifted(parsed.range.start, first_line, shifts)
        end = _shifted(parsed.range.end, first_line, shifts)
        message = f"the script block is not valid TOML: {detail}"
        return None, [Finding(path, Range(start, end), Severity.ERROR, codes.SCRIPT_BLOCK_INVALID, message)]
    doc = ScriptDocument(path, toml, parsed.data, first_line, shifts)
    return doc, _schema_problems(doc)


def _shifted(position: Position, first_line: int, shifts: list[int]) -> Position:
    shift = shifts[position.line] if 0 <= position.line < len(shifts) else 2
    return Position(first_line + position.line, position.character + shift)


def _schema_problems(doc: ScriptDocument) -> list[Finding]:
    """The fields uv's metadata schema types: a wrong type makes uv refuse the whole block."""
    problems: list[Finding] = []
    data = doc.data
    dependencies = data.get("dependencies")
    if dependencies is not None and not (
        isinstance(dependencies, list) and all(isinstance(item, str) for item in dependencies)
    ):
        problems.append(_wrong_type(doc, ("dependencies",), "`dependencies` must be an array of strings"))
    if "requires-python" in data and not isinstance(data["requires-python"], str):
        problems.append(_wrong_type(doc, ("requires-python",), "`requires-python` must be a string"))
    tool = data.get("tool")
    if tool is not None and not isinstance(tool, dict):
        problems.append(_wrong_type(doc, ("tool",), "`tool` must be a table"))
    elif isinstance(tool, dict) and "uv" in tool and not isinstance(tool["uv"], dict):
        problems.append(_wrong_type(doc, ("tool", "uv"), "`tool.uv` must be a table"))
    return problems


def _wrong_type(doc: ScriptDocument, path: tuple[str, ...], what: str) -> Finding:
    return Finding(
        doc.path,
        doc.range_of(path) or Range.at(doc.first_line),
        Severity.ERROR,
        codes.SCRIPT_BLOCK_INVALID,
        f"the script block is not valid: {what}, so uv refuses it",
    )
