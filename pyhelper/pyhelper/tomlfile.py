"""Reading TOML files so that a syntax error becomes a finding at its line, never an exception.

Values are parsed by tomllib (plain text by `tomlsubset`, which gives the same dict faster); where a
value sits in the source is answered by `TomlDocument.span` / `TomlDocument.range_of`, which take a key
path such as `("project", "dependencies", 2)` (strings for keys, integers for array items and
array-of-tables entries). The position index is built on first use only, so documents whose positions
are never asked for cost nothing extra.
"""

import contextlib
import re
import sys
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from pyhelper import codes, tomlsubset
from pyhelper.findings import Finding, Position, Range, Severity

# tomllib's time and memory grow with the square of a dotted key's length (10,000 parts: 3 s and 400 MB;
# 100,000: out of memory), so longer keys are refused. Real files use a handful of parts.
MAX_KEY_PARTS = 64
# tomllib makes an object of every key, value and table (`[{a=1},{a=1},…]` costs 32 bytes per byte of
# input) and the position index more again, so a document is refused when its count of `=`, `,`, `[` and
# `{` (an upper bound on those) is over this. Real files stay far below: the largest lock among 64
# popular repositories (1.8 MB) has 57,000; 200,000 is a 16 MB poetry.lock of `k = 1` lines, which the
# drift check reads in 5 s and 180 MB.
MAX_VALUES = 200_000


class TOMLDecodeError(ValueError):
    """Not valid TOML: tomllib's error with its message, raised as ours so that tomllib (a sixth of a
    cold check's instructions to import) is imported only for a document `tomlsubset` does not read."""


class TomlTooComplex(TOMLDecodeError):
    """A document tomllib cannot read in bounded time, memory or stack (too deep a nesting or key)."""


def loads(text: str) -> dict[str, Any]:
    """tomllib (tomli before 3.11) without positions or findings; raises TOMLDecodeError."""
    if structure_count(text, stop_above=MAX_VALUES) > MAX_VALUES:
        raise TomlTooComplex(
            f"it has more than {MAX_VALUES:,} keys, values and tables, the most Lockstep reads "
            "(at line 1, column 1)"
        )
    deep = _deep_key(text)
    if deep is not None:
        line, column = deep
        raise TomlTooComplex(
            f"a dotted key has more than {MAX_KEY_PARTS} parts (at line {line + 1}, column {column + 1})"
        )
    plain = tomlsubset.read(text)
    if plain is not None:
        return plain
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TOMLDecodeError(str(error)) from None
    except RecursionError:
        raise TomlTooComplex("arrays or inline tables are nested too deeply to read") from None
    return data


def structure_count(text: str, stop_above: int | None = None) -> int:
    """An upper bound on the keys, values and tables of a TOML text (some of these characters may sit
    in strings or comments), counted at C speed; with `stop_above`, a count past it as soon as it is
    found (a 16 MB file of `{a=1},` is known after its first megabyte)."""
    count = 0
    for start in range(0, len(text), _COUNT_CHUNK):
        chunk = text[start : start + _COUNT_CHUNK]
        count += chunk.count("=") + chunk.count(",") + chunk.count("[") + chunk.count("{")
        if stop_above is not None and count > stop_above:
            break
    return count


_COUNT_CHUNK = 2**20


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
# Patterns compiled at their use (re's cache), not at import: most files never need them, and every
# cold check imports this module.
_DEEP_KEY = rf"(?<![A-Za-z0-9_\-\"'.])(?:{_KEY_PART}[ \t]*\.[ \t]*){{{MAX_KEY_PARTS}}}"


def _deep_key(text: str) -> tuple[int, int] | None:
    """(line, column) of a dotted key longer than MAX_KEY_PARTS; only lines with that many dots are
    searched, so the cost stays linear in the text."""
    if text.count(".") < MAX_KEY_PARTS:
        return None
    for number, line in enumerate(text.split("\n")):
        if line.count(".") >= MAX_KEY_PARTS and (match := re.compile(_DEEP_KEY).search(line)):
            return number, match.start()
    return None


# tomllib/tomli end their messages with "(at line 3, column 7)" or "(at end of document)".
_WHERE = r"\s*\(at line (\d+), column (\d+)\)$"


KeyPath = tuple[str | int, ...]


class Span(NamedTuple):
    """Code-point offsets into the source text, end exclusive."""

    start: int
    end: int


class TomlDocument:
    """A parsed TOML file, and where in its text each key and value is written (found on first use)."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path, self.text, self.data = path, text, data

    @cached_property
    def _positions(self) -> "_Positions":
        return _Positions(self.text)

    def span(self, path: KeyPath) -> Span | None:
        """Where the value at `path` is written (a whole string token, quotes included; a table's header)."""
        return self._positions.values.get(path)

    def key_span(self, path: KeyPath) -> Span | None:
        """Where the last key of `path` is written."""
        return self._positions.keys.get(path)

    def range_of(self, path: KeyPath) -> Range | None:
        span = self.span(path)
        return None if span is None else self.range(span)

    def range(self, span: Span) -> Range:
        return Range(self.position(span.start), self.position(span.end))

    def position(self, offset: int) -> Position:
        return self._positions.position(offset)


def parse_toml(path: Path, text: str) -> TomlDocument | Finding:
    """Parse `text` (the content of `path`); a syntax error becomes a `toml-syntax` finding."""
    try:
        return TomlDocument(path, text, loads(text))
    except TOMLDecodeError as error:
        message = str(error)
        where = re.search(_WHERE, message)
        if where:
            line, column = int(where.group(1)) - 1, int(where.group(2)) - 1
            message = message[: where.start()]
        else:
            lines = text.splitlines() or [""]
            line, column = len(lines) - 1, len(lines[-1])
        message = message.replace(" (at end of document)", "")
        if isinstance(error, TomlTooComplex):
            return Finding(
                path,
                Range.at(line, column, 1),
                Severity.ERROR,
                codes.TOML_SYNTAX,
                f"{path.name} is too complex for Lockstep to read: {message}",
            )
        from pyhelper.tomlerrors import explain

        explained = explain(text, message, line, column)
        return Finding(
            path,
            Range.at(explained.line, explained.column, explained.length),
            Severity.ERROR,
            codes.TOML_SYNTAX,
            f"{path.name} is not valid TOML: {explained.message}",
        )


def syntax_problem(finding: Finding) -> str:
    """A `toml-syntax` finding as one sentence for a state line: `pyproject.toml is not valid TOML
    (line 8): missing comma between array elements`."""
    head, separator, detail = finding.message.partition(": ")
    if head.endswith(" is not valid TOML"):
        head += f" (line {finding.range.start.line + 1})"
    return f"{head}{separator}{detail}"


def read_toml(path: Path) -> TomlDocument | Finding:
    """Read (bounded, see `boundedread`) and parse a pyproject.toml; an unreadable file, one refused
    (a FIFO, a device, too large) or undecodable bytes are a finding too."""
    from pyhelper import boundedread

    try:
        text = boundedread.read_text(path, boundedread.PYPROJECT)
    except OSError as error:
        # Permission denied, gone since it was listed, or refused: the caller reports it, never crashes.
        message = f"{path.name} cannot be read: {error.strerror or error}"
        return Finding(path, Range.at(0), Severity.ERROR, codes.TOML_SYNTAX, message)
    except UnicodeDecodeError as error:
        return Finding(
            path,
            Range.at(0),
            Severity.ERROR,
            codes.TOML_SYNTAX,
            f"{path.name} is not UTF-8 text: {error.reason}",
        )
    return parse_toml(path, text)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}
# A scalar (number, boolean, date) runs until one of these; dates may hold a space, so trim after.
_SCALAR_END = re.compile(r"[,\]}#\r\n]")


class _Positions:
    """A scan of TOML source that records where each key and value is written.

    It runs only on text tomllib has accepted, so it assumes valid TOML and stops quietly (keeping what
    it found) if it meets anything it does not expect, rather than raising.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[KeyPath, Span] = {}
        self.keys: dict[KeyPath, Span] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self._array_tables: dict[KeyPath, int] = {}
        self.table: KeyPath = ()
        """The table the scan was in when it stopped (for text cut short at an error: the error's)."""
        self._pos = 0
        # RecursionError: nesting tomllib just managed can still be too deep for this scanner's stack.
        with contextlib.suppress(IndexError, ValueError, RecursionError):
            self._document()

    def position(self, offset: int) -> Position:
        import bisect

        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line, offset - self._line_starts[line])

    def _document(self) -> None:
        table: KeyPath = ()
        text = self.text
        while True:
            self._skip(newlines=True)
            if self._pos >= len(text):
                return
            if text[self._pos] == "[":
                table = self.table = self._header()
            else:
                self._key_value(table)
                self._skip(newlines=False)

    def _header(self) -> KeyPath:
        start = self._pos
        array = self.text.startswith("[[", start)
        self._pos += 2 if array else 1
        parts = [part for part, _ in self._key()]
        self._pos += 2 if array else 1
        resolved: KeyPath = ()
        for part in parts[:-1]:
            resolved += (part,)
            if resolved in self._array_tables:
                resolved += (self._array_tables[resolved],)
        resolved += (parts[-1],)
        if array:
            index = self._array_tables.get(resolved, -1) + 1
            self._array_tables[resolved] = index
            self.values.setdefault(resolved, Span(start, self._pos))
            resolved += (index,)
        self.values[resolved] = Span(start, self._pos)
        return resolved

    def _key_value(self, table: KeyPath) -> None:
        path = table
        for part, span in self._key():
            path += (part,)
            self.keys[path] = span
        self._skip(newlines=False)
        self._expect("=")
        self._skip(newlines=False)
        self._value(path)

    def _key(self) -> Iterator[tuple[str, Span]]:
        while True:
            self._skip(newlines=False)
            start = self._pos
            char = self.text[start]
            if char in "\"'":
                yield self._string_value(), Span(start, self._pos)
            else:
                match = _BARE_KEY.match(self.text, start)
                if match is None:
                    raise ValueError("not a key")
                self._pos = match.end()
                yield match.group(), Span(start, self._pos)
            self._skip(newlines=False)
            if self.text[self._pos] != ".":
                return
            self._pos += 1

    def _value(self, path: KeyPath) -> None:
        text = self.text
        start = self._pos
        char = text[start]
        if char in "\"'":
            self._string_value()
        elif char == "[":
            self._pos += 1
            index = 0
            while True:
                self._skip(newlines=True, comments=True)
                if text[self._pos] == "]":
                    break
                self._value((*path, index))
                index += 1
                self._skip(newlines=True, comments=True)
                if text[self._pos] == ",":
                    self._pos += 1
            self._pos += 1
        elif char == "{":
            self._pos += 1
            while True:
                self._skip(newlines=True, comments=True)
                if text[self._pos] == "}":
                    break
                self._key_value(path)
                self._skip(newlines=True, comments=True)
                if text[self._pos] == ",":
                    self._pos += 1
            self._pos += 1
        else:
            match = _SCALAR_END.search(text, start)
            end = match.start() if match else len(text)
            self._pos = start + len(text[start:end].rstrip())
        self.values[path] = Span(start, self._pos)

    def _string_value(self) -> str:
        """Consume a string token of any of the four kinds and return its decoded value."""
        text = self.text
        start = self._pos
        quote = text[start]
        multi = text.startswith(quote * 3, start)
        delimiter = quote * 3 if multi else quote
        body_start = start + len(delimiter)
        position = body_start
        while True:
            end = text.index(delimiter, position)
            if quote == '"' and _escaped(text, end):
                position = end + 1
                continue
            break
        # A multi-line string may end with up to two quotes of its own before the delimiter.
        while multi and text.startswith(quote, end + 3):
            end += 1
        self._pos = end + len(delimiter)
        body = text[body_start:end]
        if quote == "'":
            return body
        return _ESCAPE.sub(_unescape, body)

    def _skip(self, *, newlines: bool, comments: bool = True) -> None:
        text = self.text
        length = len(text)
        while self._pos < length:
            char = text[self._pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self._pos += 1
            elif char == "#" and comments:
                newline = text.find("\n", self._pos)
                self._pos = length if newline < 0 else newline
            else:
                return

    def _expect(self, char: str) -> None:
        if self.text[self._pos] != char:
            raise ValueError(f"expected {char!r}")
        self._pos += 1


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    if code:
        return chr(int(code, 16))
    return _SIMPLE_ESCAPES.get(match.group(3), "")
