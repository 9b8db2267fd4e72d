"""The lock formats Lockstep knows, in order of precedence, and the questions asked of all of them.

`FORMATS` is the one list; everything else looks formats up here (by file name, by manager, by
name) and reads `FORMATS` when asked, so a format added to it is seen everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from pyhelper.lockfiles import pdm, poetry, pylock, uv
from pyhelper.lockfiles.format import LockFormat, Manager
from pyhelper.requirements import table

# A folder holding several locks is managed by the first format's manager (uv.lock before poetry.lock).
FORMATS: tuple[LockFormat[Any], ...] = (uv.FORMAT, poetry.FORMAT, pdm.FORMAT, pylock.FORMAT)


def format_named(name: str) -> LockFormat[Any] | None:
    return next((fmt for fmt in FORMATS if fmt.name == name), None)


def format_of_file(file_name: str) -> LockFormat[Any] | None:
    """The format whose lock files are called `file_name`, if any."""
    return next((fmt for fmt in FORMATS if fmt.names_file(file_name)), None)


def format_for_manager(manager: str) -> LockFormat[Any] | None:
    """The format of the lock `manager` writes, if it writes one."""
    return next((fmt for fmt in FORMATS if fmt.manager is not None and fmt.manager == manager), None)


def find_lockfiles(root: Path) -> list[tuple[LockFormat[Any], Path]]:
    """The lockfiles in `root`, in `FORMATS` order then by name (a project may have a manager's lock
    and pylock files)."""
    try:
        entries = sorted(os.listdir(root))
    except OSError:
        entries = [name for fmt in FORMATS for name in fmt.file_names]
    # exists(), not is_file(): a lock that is a FIFO or a device is reported as unreadable, not missing.
    return [
        (fmt, root / name)
        for fmt in FORMATS
        for name in entries
        if fmt.names_file(name) and (root / name).exists()
    ]


def classify_manager(data: Mapping[str, Any] | None, entries: Collection[str]) -> Manager:
    """Which tool manages a project, from its parsed pyproject (None if unreadable) and the names in
    its folder: a manager's lock decides first, then the pyproject's own configuration, else PEP 621.

    Hatch keeps no lock, so it has no format: it counts as the manager only when its environments are
    configured (`[tool.hatch.envs]` or a `hatch.toml`); `[tool.hatch.build]`/`[tool.hatch.version]`
    alone configure only the hatchling build backend, which uv and PDM projects use too.
    """
    for fmt in FORMATS:
        if fmt.manager is not None and any(fmt.names_file(name) for name in entries):
            return fmt.manager
    if data is None:
        return "pep621"
    for fmt in FORMATS:
        if fmt.manager is not None and fmt.declared(data):
            return fmt.manager
    if "envs" in table(table(data.get("tool")).get("hatch")) or "hatch.toml" in entries:
        return "hatch"
    return "pep621"


def watch_globs() -> tuple[str, ...]:
    """File-watcher globs for every format's files: `**/{uv,poetry,pdm}.lock`, `**/pylock*.toml`."""
    globs = [glob for fmt in FORMATS for glob in fmt.watch_globs or fmt.file_names]
    locks = [glob.removesuffix(".lock") for glob in globs if glob.endswith(".lock") and "*" not in glob]
    rest = [f"**/{glob}" for glob in globs if glob.removesuffix(".lock") not in locks]
    return (f"**/{{{','.join(locks)}}}.lock", *rest) if locks else tuple(rest)
