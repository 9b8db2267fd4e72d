"""A PEP 723 script against its `NAME.py.lock`: the findings, and the verdict of
`uv lock --script NAME.py --check` (drift when one is an error or a warning, as for projects).

API (pure: no subprocess, no LSP)::

    from pyhelper.scripts.drift import check_script
    checked = check_script(path, text=unsaved_buffer, cache=lock_cache)   # None: not a script
    checked.block, checked.findings, checked.state
    report = check_script_environment(checked, environment, cache=lock_cache, venvs=venv_cache)

A script without a lock is no drift (`uv run` resolves it each time); a malformed block is (uv refuses
the script), and so is a lock uv would not read.
"""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from pyhelper import codes
from pyhelper.drift.lock import is_drift
from pyhelper.findings import Finding
from pyhelper.lockfiles import LockCache, UnreadableFile, uv
from pyhelper.scripts.block import ScriptBlock, lock_path, parse_script, read_script

if TYPE_CHECKING:
    from pyhelper.drift.environment import EnvReport, VenvCache

ScriptLockState = Literal["locked", "stale", "unlocked", "invalid"]
"""`locked`: NAME.py.lock exists and uv's check passes; `stale`: it fails; `unlocked`: no lock;
`invalid`: the block is malformed or the lock cannot be read."""


class ScriptCheck(NamedTuple):
    block: ScriptBlock
    lockfile: Path
    locked: bool
    """Whether NAME.py.lock exists."""
    findings: tuple[Finding, ...]

    @property
    def state(self) -> ScriptLockState:
        unread = (codes.TOML_SYNTAX, codes.LOCK_TOO_LARGE)
        if self.block.doc is None or any(f.path == self.lockfile and f.code in unread for f in self.findings):
            return "invalid"
        if not self.locked:
            return "unlocked"
        return "stale" if is_drift(list(self.findings)) else "locked"


def check_script(
    path: Path, *, text: str | None = None, cache: LockCache | None = None
) -> ScriptCheck | Finding | None:
    """The script at `path` (or `text`, the editor's buffer of it) against its lock; None when it has no
    script block, a finding when the file cannot be read."""
    block = parse_script(path, text) if text is not None else read_script(path)
    if block is None or isinstance(block, Finding):
        return block
    lockfile = lock_path(path)
    locked = lockfile.exists()  # exists(), not is_file(): a FIFO lock is reported as unreadable
    if block.doc is None or not locked:
        return ScriptCheck(block, lockfile, locked, block.findings)
    cache = cache if cache is not None else LockCache()
    try:
        lock = cache.get(lockfile, uv.FORMAT.name, uv.parse_lock)
    except UnreadableFile as error:
        return ScriptCheck(block, lockfile, locked, (error.finding,))
    if isinstance(lock, Finding):
        return ScriptCheck(block, lockfile, locked, (lock,))
    return ScriptCheck(block, lockfile, locked, tuple(uv.check_script(block.doc, lock)))


def check_script_environment(
    checked: ScriptCheck, environment: Path, *, cache: LockCache, venvs: "VenvCache"
) -> "EnvReport | None":
    """The script's environment (uv's, in its cache) against `NAME.py.lock`, with the verdict of
    `uv sync --script NAME.py --check` (exact: an extra package is drift too). None when there is no
    verdict to give: no lock or a stale one (uv would lock again first, and the lock findings say
    so), or a malformed block. Read from disk only, as for projects (`drift.environment`)."""
    # Imported when an environment is compared, never to check a lock (`pyhelper check`'s start-up).
    from pyhelper.drift.environment import Declaring, check_environment, requirement_ranges, select
    from pyhelper.lockfiles.format import in_lists

    doc = checked.block.doc
    if doc is None or checked.state != "locked":
        return None
    snapshot = venvs.get(environment)
    selection = select(
        uv.FORMAT.name,
        checked.lockfile,
        checked.lockfile.parent,
        doc,
        snapshot,
        cache,
        selector=uv.select_script,
    )
    declaring = Declaring(
        requirement_ranges(doc, in_lists(doc, [("dependencies",)])),
        ("requires-python",),
        f"the environment of {checked.block.path.name}",
    )
    return check_environment(doc, selection, snapshot, declaring)


def check_path(path: Path, cache: LockCache) -> list[Finding] | None:
    """`pyhelper check SCRIPT`: the script's findings; None when the file holds no script block."""
    checked = check_script(Path(os.path.abspath(path)), cache=cache)
    if checked is None or isinstance(checked, Finding):
        return None if checked is None else [checked]
    return list(checked.findings)


def check_locked_scripts(folder: Path, cache: LockCache) -> list[Finding]:
    """Every locked script under `folder` (`NAME.py` beside `NAME.py.lock`), as a folder check finds
    them; a `NAME.py.lock` whose `NAME.py` holds no block is skipped (uv would not call it a script)."""
    from pyhelper.walk import find_locked_scripts

    findings: list[Finding] = []
    for script in find_locked_scripts(Path(os.path.abspath(folder)), strict=True):
        findings.extend(check_path(script, cache) or [])
    return findings
