"""The record of the folders Lockstep itself puts next to a venv, so that crash recovery touches those
and nothing else.

Create builds a new venv in `<venv>.lockstep-build-<token>` and sets the old one aside as
`<venv>.lockstep-old-<token>`; Delete sets the venv aside before removing it. A crash can leave such a
folder behind. The name proves nothing: a repository can commit `.venv.lockstep-old-x` holding a
`pyvenv.cfg` and a `.pth` file that runs code in every start of the interpreter. So the journal (one
small JSON file per venv in Lockstep's data folder, which no project reaches) names each folder before
it exists under that name: its path, which carries a random 64-bit token, and for a venv set aside its
device and inode (a rename keeps them). Recovery acts only on a folder that is still the one recorded;
any other folder of such a name is the user's and is left alone.

Callers hold the venv's file lock (see `pyhelper.environments`): one writer per journal file.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

Kind = Literal["build", "aside", "deleting"]
"""`build`: a new venv under construction; `aside`: the previous venv during a swap (it comes back when
nothing replaced it); `deleting`: a venv the user chose to delete (recovery finishes the deletion)."""

_KINDS: tuple[Kind, ...] = ("build", "aside", "deleting")
_MAX_BYTES = 1 << 20
"""A journal holds a few entries; anything larger is not one of ours and is ignored."""


@dataclass(frozen=True)
class Entry:
    path: Path
    kind: Kind
    identity: tuple[int, int] | None = None
    """(st_dev, st_ino) of the folder as recorded; None for a build folder, which does not exist yet."""


def identity(path: Path) -> tuple[int, int] | None:
    """The folder's (device, inode), not following a link; None when nothing is there."""
    try:
        status = os.lstat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def sibling(venv: Path, marker: str) -> Path:
    """A fresh name next to `venv` for Lockstep's own use, e.g. `.venv.lockstep-build-<16 hex digits>`."""
    return venv.with_name(f"{venv.name}{marker}{secrets.token_hex(8)}")


class Journal:
    """The journal of one venv location."""

    def __init__(self, directory: Path, venv: Path) -> None:
        digest = hashlib.sha256(os.fsencode(os.path.abspath(venv))).hexdigest()[:32]
        self.file = directory / f"venv-{digest}.json"
        self.venv = venv

    def entries(self) -> list[Entry]:
        try:
            with open(self.file, "rb") as handle:
                raw = handle.read(_MAX_BYTES + 1)
        except OSError:
            return []
        try:
            data = json.loads(raw) if len(raw) <= _MAX_BYTES else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("venv") != str(self.venv):
            return []
        return [entry for item in data.get("entries", []) if (entry := _entry(item, self.venv))]

    def add(self, entry: Entry) -> None:
        """Record `entry` durably; call before the folder appears under `entry.path`."""
        self._write([*self.entries(), entry])

    def forget(self, path: Path) -> None:
        self._write([entry for entry in self.entries() if entry.path != path])

    def replace(self, entries: list[Entry]) -> None:
        self._write(entries)

    def _write(self, entries: list[Entry]) -> None:
        if not entries:
            self.file.unlink(missing_ok=True)
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "venv": str(self.venv),
            "entries": [
                {"path": str(e.path), "kind": e.kind, "identity": list(e.identity) if e.identity else None}
                for e in entries
            ],
        }
        partial = self.file.with_name(f"{self.file.name}.{secrets.token_hex(4)}.tmp")
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, self.file)


def _entry(item: object, venv: Path) -> Entry | None:
    """One recorded entry, or None when it is malformed or names a folder that is not next to `venv`."""
    if not isinstance(item, dict):
        return None
    path, kind, ident = item.get("path"), item.get("kind"), item.get("identity")
    if not isinstance(path, str) or kind not in _KINDS:
        return None
    kind = cast(Kind, kind)
    where = Path(path)
    if where.parent != venv.parent or not where.name.startswith(venv.name + ".lockstep-"):
        return None
    if ident is None:
        return Entry(where, kind, None) if kind == "build" else None
    if isinstance(ident, list) and len(ident) == 2 and all(type(n) is int for n in ident):
        return Entry(where, kind, (ident[0], ident[1]))
    return None
