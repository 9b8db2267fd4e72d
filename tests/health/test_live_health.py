"""Dependency health through the real helper process: the squiggles beside drift on the lock entry and
the requirement, and "health not checked (offline)" in the log (no notification) with the network off."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from test_audit import ADVISORY, line_of

from helper.helper_support import helper_session, within
from support.index import PackageIndex


async def test_a_vulnerable_locked_version_is_flagged_on_the_lock_and_the_requirement(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.advise("web", "1.0", ADVISORY)
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    options = {"trusted": True}
    async with helper_session([locked_app], initialization_options=options, env=env) as helper:
        lock = await helper.diagnostics_for(
            locked_app / "uv.lock", lambda found: any(d.code == "lock-vulnerable" for d in found)
        )
        pyproject = await helper.diagnostics_for(
            locked_app / "pyproject.toml", lambda found: any(d.code == "lock-vulnerable" for d in found)
        )
    (entry,) = [d for d in lock if d.code == "lock-vulnerable"]
    assert entry.range.start.line == line_of(locked_app / "uv.lock", 'name = "web"')
    assert entry.severity == types.DiagnosticSeverity.Warning and entry.source == "lockstep"
    assert "PYSEC-2026-1" in entry.message
    (requirement,) = [d for d in pyproject if d.code == "lock-vulnerable"]
    assert requirement.range.start.line == line_of(locked_app / "pyproject.toml", '"web>=1"')


async def test_network_off_says_not_checked_and_asks_nothing(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    options = {"trusted": True, "healthNetwork": False}
    before = len(health_index.requests)
    async with helper_session([locked_app], initialization_options=options, env=env) as helper:

        async def said() -> list[str]:
            while True:
                found = [m.message for m in helper.client.log_messages if "health not checked" in m.message]
                if found:
                    return found
                await helper.client.wait_for_notification(types.WINDOW_LOG_MESSAGE)

        messages = await within(said(), "the offline message")
    assert len(messages) == 1
    assert messages[0].startswith("health not checked (offline): 3 locked packages")
    assert health_index.requests[before:] == []
