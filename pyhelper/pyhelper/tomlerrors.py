"""TOML syntax errors in words a person fixes at once, at the place to fix.

tomllib says what its parser met ("Unclosed array" where a comma is missing, "Cannot overwrite a
value" at the end of a duplicate key's value); uv's TOML parser (toml_edit) says what is missing
("missing comma between array elements", "duplicate key"). `explain` restates tomllib's error for the
common mistakes as precisely as uv does, at uv's line and column (tests/drift/test_toml_messages.py
compares the two on each mistake, with the real uv). It looks only at the text before the error, which
tomllib has already read, so a small scan of strings, comments and brackets is reliable there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"[ \t]*\[\[?[^\[\]\n]*\]\]?[ \t]*(#.*)?$")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY = re.compile(rf"[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)")
_TABLE_TWICE = re.compile(r"^Cannot declare \((.*)\) twice$")


@dataclass(frozen=True)
class Explained:
    message: str
    line: int
    """0-based, as findings count."""
    column: int
    length: int = 1


@dataclass(frozen=True)
class _Open:
    kind: str
    """`[` (array), `{` (inline table) or a quote (an unclosed one-line string)."""
    offset: int


def explain(text: str, message: str, line: int, column: int) -> Explained:
    """tomllib's `message` at (line, column), both 0-based, restated for the common mistakes."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    line = min(line, len(starts) - 1)
    offset = min(starts[line] + column, len(text))
    line_text = text[starts[line] :].split("\n", 1)[0]
    opened = _open_at(text, offset)
    inner = opened[-1] if opened else None

    def at(offset: int) -> tuple[int, int]:
        number = max(index for index, start in enumerate(starts) if start <= offset)
        return number, offset - starts[number]

    if inner is not None and inner.kind in "\"'":
        return Explained(f"unclosed string, expected `{inner.kind}`", line, column)
    arrays = [item for item in opened if item.kind == "["]
    if message in ("Unclosed array", "Invalid value") and arrays and _HEADER.match(line_text):
        opened_line = at(arrays[0].offset)[0] + 1
        return Explained(
            f"unclosed array (opened at line {opened_line}), expected `]` before this table", line, 0
        )
    rest = text[offset:].lstrip(" \t")
    if message == "Unclosed array":
        if not rest:
            return Explained("unclosed array, expected `]`", line, column)
        return Explained("missing comma between array elements", line, column)
    if message == "Unclosed inline table":
        if rest[:1] in ("", "]", "\n", "\r"):
            return Explained("unclosed inline table, expected `}`", line, column)
        return Explained("missing comma between inline table entries", line, column)
    if message == "Expected ']' at the end of a table declaration":
        return Explained("unclosed table header, expected `]`", line, column)
    if message == "Expected '=' after a key in a key/value pair":
        key = _KEY.match(line_text)
        name = f" `{key.group(1)}`" if key else ""
        return Explained(f"key{name} with no value, expected `=`", line, column)
    if message == "Cannot overwrite a value":
        key = _KEY.match(line_text)
        if key is not None and inner is None:
            first = _first_definition(text[: starts[line]], key.group(1))
            where = f" (first set at line {first + 1})" if first is not None else ""
            return Explained(f"duplicate key `{key.group(1)}`{where}", line, key.start(1), len(key.group(1)))
    twice = _TABLE_TWICE.match(message)
    if twice is not None:
        name_start = len(line_text) - len(line_text.lstrip(" \t[")) if line_text.lstrip() else 0
        name = line_text[name_start:].split("]", 1)[0].strip()
        first = _first_definition(text[: starts[line]], name, table=True)
        where = f" (first declared at line {first + 1})" if first is not None else ""
        return Explained(f"duplicate table `[{name}]`{where}", line, name_start, len(name))
    return Explained(message[:1].lower() + message[1:], line, column)


def _open_at(text: str, end: int) -> list[_Open]:
    """The brackets (and a one-line string) still open at `end`, outermost first."""
    stack: list[_Open] = []
    index = 0
    line_start = True
    while index < end:
        char = text[index]
        if char == "\n":
            line_start = True
            index += 1
            continue
        if char in " \t\r":
            index += 1
            continue
        at_line_start, line_start = line_start, False
        if char == "#":
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
        elif char in "\"'":
            after = _string_end(text, index)
            if after is None or after > end:
                return [*stack, _Open(char, index)]  # the error is inside this string
            index = after
        elif char == "[" and at_line_start and not stack:
            close = text.find("]", index)  # a table header: nothing inside is a value
            index = end if close < 0 else close + (2 if text.startswith("]]", close) else 1)
        elif char in "[{":
            stack.append(_Open(char, index))
            index += 1
        elif char in "]}":
            if stack:
                stack.pop()
            index += 1
        else:
            index += 1
    return stack


def _string_end(text: str, index: int) -> int | None:
    """Where the string starting at `index` ends (after its closing quotes); None when it never does
    (a one-line string at its line's end, a multi-line one at the end of the text)."""
    quote = text[index]
    delimiter = quote * 3 if text.startswith(quote * 3, index) else quote
    position = index + len(delimiter)
    while True:
        close = text.find(delimiter, position)
        if len(delimiter) == 1:
            newline = text.find("\n", position)
            if newline >= 0 and (close < 0 or newline < close):
                return None
        if close < 0:
            return None
        if quote == '"' and _escaped(text, close):
            position = close + 1
            continue
        return close + len(delimiter)


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _first_definition(before: str, key: str, *, table: bool = False) -> int | None:
    """The 0-based line where `key` (in the current table) or the table `key` was first written."""
    from pyhelper.tomlfile import _Positions

    positions = _Positions(before)
    parts = tuple(_unquote(part.strip()) for part in re.split(r"\.(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", key))
    span = positions.values.get(parts) if table else positions.keys.get((*positions.table, *parts))
    return None if span is None else positions.position(span.start).line


def _unquote(part: str) -> str:
    return part[1:-1] if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'" else part
