"""A recorded Windows registry for the PEP 514 reader: a regedit export (`.reg`) behind the part of
`winreg`'s interface the reader uses (imported by name: test areas share one import path).

As the real registry: key names are case-insensitive, HKLM's 32-bit view is `SOFTWARE\\WOW6432Node`,
a missing key or value raises FileNotFoundError, the end of a key's subkeys OSError, and a key the
test names in `denied` PermissionError (an export cannot record permissions), and a key in `hidden`
opens but is never enumerated (how Windows shows a Store app's app-compat keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_VALUE = re.compile(
    r'^(@|"(?P<name>[^"]*)")=(?:"(?P<text>(?:[^"\\]|\\.)*)"|dword:(?P<dword>[0-9a-fA-F]{8}))$'
)


@dataclass
class _Key:
    path: str
    values: dict[str, str | int] = field(default_factory=dict)
    keys: dict[str, _Key] = field(default_factory=dict)

    def __enter__(self) -> _Key:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class RecordedRegistry:
    HKEY_CURRENT_USER = 0x80000001
    HKEY_LOCAL_MACHINE = 0x80000002
    KEY_READ = 0x20019
    KEY_WOW64_64KEY = 0x0100
    KEY_WOW64_32KEY = 0x0200

    def __init__(
        self, export: Path, denied: frozenset[str] = frozenset(), hidden: frozenset[str] = frozenset()
    ) -> None:
        self.root = _Key("")
        self.denied = {path.lower() for path in denied}
        self.hidden = {path.lower() for path in hidden}
        key = self.root
        for line in export.read_text(encoding="utf-8").splitlines():
            if line.startswith("[") and line.endswith("]"):
                key = self._make(line[1:-1])
            elif match := _VALUE.match(line):
                name = match["name"] if line.startswith('"') else ""
                text, dword = match["text"], match["dword"]
                key.values[name.lower()] = int(dword, 16) if dword else re.sub(r"\\(.)", r"\1", text)

    def _make(self, path: str) -> _Key:
        key = self.root
        for part in path.split("\\"):
            key = key.keys.setdefault(part.lower(), _Key(f"{key.path}\\{part}".lstrip("\\")))
        return key

    def _find(self, key: _Key, sub_key: str) -> _Key:
        for part in sub_key.split("\\") if sub_key else []:
            if part.lower() not in key.keys:
                raise FileNotFoundError(2, "The system cannot find the file specified")
            key = key.keys[part.lower()]
        if key.path.lower() in self.denied:
            raise PermissionError(5, "Access is denied")
        return key

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0, access: int = KEY_READ, /) -> _Key:
        if isinstance(key, _Key):
            return self._find(key, sub_key)
        if key == self.HKEY_CURRENT_USER:
            return self._find(self.root, f"HKEY_CURRENT_USER\\{sub_key}")
        # HKLM\Software\X in the 32-bit view is HKLM\Software\WOW6432Node\X.
        first, _, rest = sub_key.partition("\\")
        if access & self.KEY_WOW64_32KEY and first.lower() == "software":
            sub_key = f"{first}\\WOW6432Node\\{rest}"
        return self._find(self.root, f"HKEY_LOCAL_MACHINE\\{sub_key}")

    def EnumKey(self, key: _Key, index: int, /) -> str:
        names = [sub for sub in key.keys.values() if sub.path.lower() not in self.hidden]
        if index >= len(names):
            raise OSError(22, "No more data is available")
        return names[index].path.rsplit("\\", 1)[-1]

    def QueryValueEx(self, key: _Key, name: str, /) -> tuple[str | int, int]:
        if name.lower() not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        value = key.values[name.lower()]
        return value, 4 if isinstance(value, int) else 1  # REG_DWORD, REG_SZ
