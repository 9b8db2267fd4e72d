"""The plain subset of TOML most pyproject files are written in, read without tomllib.

tomllib reads a document character by character (about 1,800 instructions a byte), so the member
pyproject files of a workspace cost a cold `pyhelper check` more than finding its whole lock's
packages. `read` accepts only text it can read exactly as tomllib would, giving the same dict:

- `[a.b]` table headers and `[[a.b]]` array-of-tables headers of bare or quoted keys, each table new
  and entered only through tables (and arrays of tables) other headers made;
- `key = value` lines, the key bare or quoted, dotted only through tables dotted keys made in the same
  table, new in its table;
- values that are strings (multi-line ones without escapes; single-line basic ones with the escapes
  `\\b \\t \\n \\f \\r \\" \\\\` only; literal ones), decimal integers, booleans, arrays (over several
  lines, with comments and a trailing comma) and inline tables of those (one key each, on one line);
- comments, blank lines, spaces and tabs; `\\n` line ends only.

Anything else (floats, dates, other escapes, a key or table defined twice, an invalid document) gives
None: tomllib then reads the text, its errors included, so what a document means and how an invalid
one is reported never depend on this reader.
"""

import re
from typing import Any

# Characters TOML forbids in strings and comments: the ASCII controls but the tab.
_CONTROL = r"\x00-\x08\x0a-\x1f\x7f"
_COMMENT = rf"#[^{_CONTROL}]*"
# One key: bare, or a basic string without escapes, or a literal string; then spaces.
_KEY = re.compile(rf"""[ \t]*(?:([A-Za-z0-9_-]+)|"([^"\\{_CONTROL}]*)"|'([^'{_CONTROL}]*)')[ \t]*""")
# A value's first token. A quote opening a multi-line string (three quotes) is not a string here.
_VALUE = re.compile(
    rf"""(?:"(?!"")((?:[^"\\{_CONTROL}]|\\[btnfr"\\])*)"|'(?!'')([^'{_CONTROL}]*)'|(true|false)|([+-]?(?:0|[1-9](?:_?[0-9])*))|([\[{{]))"""
)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
# What a multi-line string's body read here may not hold: a control character but the tab and the line
# break, an escape.
_MULTILINE_UNREAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\\]")
_SPACE = re.compile(r"[ \t]*")
# Inside an array: spaces, line ends and comments.
_ARRAY_SPACE = re.compile(rf"(?:[ \t\n]|{_COMMENT})*")
# The end of a statement's line: spaces, an optional comment, the line break or the end.
_LINE_END = re.compile(rf"[ \t]*(?:{_COMMENT})?(?:\n|\Z)")
# What may start a statement's line after its indentation: a blank or comment line is skipped whole.
_BLANK = re.compile(rf"[ \t]*(?:{_COMMENT})?(?:\n|\Z)")


class _Unread(Exception):
    """Outside the subset: tomllib reads the document."""


def read(text: str) -> dict[str, Any] | None:
    """What tomllib.loads(text) gives, when the text is in the subset; None otherwise."""
    if "\r" in text:
        return None
    try:
        return _Reader(text).document()
    # Nesting too deep, or an integer over int()'s digit limit: tomllib says so, as it would have.
    except (_Unread, RecursionError, ValueError):
        return None


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def document(self) -> dict[str, Any]:
        text, length = self.text, len(self.text)
        root: dict[str, Any] = {}
        current = root
        # The tables headers made (explicitly, as a header's parents, as an array's items), the arrays of
        # tables `[[…]]` made: what a header may enter. And the tables the current table's dotted keys
        # made: what a dotted key may enter.
        headed, arrays, dotted = {id(root)}, set[int](), set[int]()
        while self.at < length:
            blank = _BLANK.match(text, self.at)
            if blank is not None:
                self.at = blank.end()
                continue
            self.at = _SPACE.match(text, self.at).end()  # type: ignore[union-attr]  # always matches
            if text[self.at] == "[":
                current = self._header(root, headed, arrays)
                dotted.clear()
            else:
                table, key = current, self._key()
                while text.startswith(".", self.at):
                    self.at += 1
                    if key not in table:
                        table[key] = {}
                        dotted.add(id(table[key]))
                    table = table[key]
                    if id(table) not in dotted:
                        raise _Unread
                    key = self._key()
                if key in table or not text.startswith("=", self.at):
                    raise _Unread
                self.at += 1
                table[key] = self._value()
            self._line_end()
        return root

    def _header(self, root: dict[str, Any], headed: set[int], arrays: set[int]) -> dict[str, Any]:
        text = self.text
        array = text.startswith("[[", self.at)
        self.at += 2 if array else 1
        table = root
        while True:
            key = self._key()
            last = not text.startswith(".", self.at)
            if key not in table:
                made: dict[str, Any] = {}
                table[key] = [made] if array and last else made
                if array and last:
                    arrays.add(id(table[key]))
                headed.add(id(made))
                table = made
                if last:
                    break
            elif id(table[key]) in arrays:
                items = table[key]
                if last and not array:
                    raise _Unread
                if last:
                    items.append({})
                    headed.add(id(items[-1]))
                table = items[-1]
                if last:
                    break
            else:
                table = table[key]
                # A table declared again, or first made as a later header's parent (valid TOML, rare).
                if last or id(table) not in headed:
                    raise _Unread
            self.at += 1
        closing = "]]" if array else "]"
        if not text.startswith(closing, self.at):
            raise _Unread
        self.at += len(closing)
        return table

    def _key(self) -> str:
        match = _KEY.match(self.text, self.at)
        if match is None:
            raise _Unread
        self.at = match.end()
        bare, basic, literal = match.groups()
        return bare if bare is not None else basic if basic is not None else literal

    def _value(self) -> Any:
        self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]  # always matches
        if self.text.startswith(('"""', "'''"), self.at):
            return self._multiline()
        match = _VALUE.match(self.text, self.at)
        if match is None:
            raise _Unread
        self.at = match.end()
        basic, literal, boolean, integer, bracket = match.groups()
        if basic is not None:
            return _ESCAPE.sub(lambda escape: _ESCAPED[escape.group(1)], basic) if "\\" in basic else basic
        if literal is not None:
            return literal
        if boolean is not None:
            return boolean == "true"
        if integer is not None:
            return int(integer)
        return self._array() if bracket == "[" else self._inline_table()

    def _multiline(self) -> str:
        # Without escapes: the body as written, but a line break right after the opening quotes, and
        # the closing quotes may follow one or two quotes of the body's own.
        text = self.text
        quotes = text[self.at : self.at + 3]
        start = self.at + 3
        end = text.find(quotes, start)
        if end < 0:
            raise _Unread
        end += 1 if text.startswith(quotes[0], end + 3) else 0
        end += 1 if text.startswith(quotes[0], end + 3) else 0
        body = text[start:end]
        if _MULTILINE_UNREAD.search(body):
            raise _Unread
        self.at = end + 3
        return body[1:] if body.startswith("\n") else body

    def _array(self) -> list[Any]:
        text = self.text
        items: list[Any] = []
        while True:
            self.at = _ARRAY_SPACE.match(text, self.at).end()  # type: ignore[union-attr]  # always matches
            if text.startswith("]", self.at):
                self.at += 1
                return items
            items.append(self._value())
            self.at = _ARRAY_SPACE.match(text, self.at).end()  # type: ignore[union-attr]  # always matches
            if text.startswith(",", self.at):
                self.at += 1
            elif not text.startswith("]", self.at):
                raise _Unread

    def _inline_table(self) -> dict[str, Any]:
        # On one line, no trailing comma (TOML 1.0).
        text = self.text
        table: dict[str, Any] = {}
        self.at = _SPACE.match(text, self.at).end()  # type: ignore[union-attr]  # always matches
        if text.startswith("}", self.at):
            self.at += 1
            return table
        while True:
            key = self._key()
            if key in table or not text.startswith("=", self.at):
                raise _Unread
            self.at += 1
            table[key] = self._value()
            self.at = _SPACE.match(text, self.at).end()  # type: ignore[union-attr]  # always matches
            if text.startswith("}", self.at):
                self.at += 1
                return table
            if not text.startswith(",", self.at):
                raise _Unread
            self.at += 1

    def _line_end(self) -> None:
        match = _LINE_END.match(self.text, self.at)
        if match is None:
            raise _Unread
        self.at = match.end()
