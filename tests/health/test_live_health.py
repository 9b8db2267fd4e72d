"""Dependency health through the real helper process: the squiggles beside drift on the lock entry and
the requirement, the "Upgrade to X" quick fix that clears them, and "health not checked (offline)" in the log (no notification) with the network off."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from health.health_support import ADVISORY, line_of
from helper.helper_support import fixes, helper_session, plain, within
from pyhelper.lsp.protocol import CHANGE_DEPENDENCY
from support.index import Dist, PackageIndex


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
    # The code links to the advisory (the Problems panel and the hover show it as a link).
    assert entry.code_description == types.CodeDescription(href=ADVISORY["link"])
    (requirement,) = [d for d in pyproject if d.code == "lock-vulnerable"]
    assert requirement.range.start.line == line_of(locked_app / "pyproject.toml", '"web>=1"')
    assert requirement.code_description == entry.code_description


async def test_only_an_http_advisory_link_becomes_the_diagnostic_s_link(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    # The index's `link` is a stranger's string: a script URL is no link; the next advisory's page is.
    health_index.advise(
        "web",
        "1.0",
        {**ADVISORY, "link": "javascript:alert(1)"},
        {**ADVISORY, "id": "PYSEC-2026-2", "aliases": [], "link": "https://example.test/PYSEC-2026-2"},
    )
    health_index.advise(
        "tool", "1.0", {**ADVISORY, "id": "PYSEC-2026-3", "aliases": [], "link": "file:///etc/passwd"}
    )
    env = {"XDG_CACHE_HOME": str(health_cache.parent.parent)}
    async with helper_session([locked_app], initialization_options={"trusted": True}, env=env) as helper:
        lock = await helper.diagnostics_for(
            locked_app / "uv.lock", lambda found: sum(d.code == "lock-vulnerable" for d in found) == 2
        )
    links = {d.message.split()[0]: d.code_description for d in lock if d.code == "lock-vulnerable"}
    assert links == {"web": types.CodeDescription(href="https://example.test/PYSEC-2026-2"), "tool": None}


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


async def test_the_upgrade_quick_fix_upgrades_the_lock_and_clears_the_squiggle(
    locked_app: Path, health_index: PackageIndex, health_cache: Path, pythons: dict[str, Path]
) -> None:
    health_index.add([Dist("web", "1.1")])
    health_index.advise("web", "1.0", ADVISORY)
    env = {
        "XDG_CACHE_HOME": str(health_cache.parent.parent),
        **health_index.environ(health_cache.parent / "uv"),
    }
    lock = locked_app / "uv.lock"
    async with helper_session([locked_app], initialization_options={"trusted": True}, env=env) as helper:
        found = await helper.diagnostics_for(
            lock, lambda found: any(d.code == "lock-vulnerable" for d in found)
        )
        (diagnostic,) = [d for d in found if d.code == "lock-vulnerable"]
        actions = await within(
            helper.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=lock.as_uri()),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic]),
                )
            ),
            "code actions",
        )
        (upgrade,) = [fix for fix in fixes(actions) if fix[0].startswith("Upgrade web")]
        assert upgrade[:2] == ("Upgrade web to 1.1", "lockstep.upgradeLockedPackage")
        root, name, version = upgrade[2]
        assert (name, version) == ("web", "1.1")
        # What the editor command sends: the manager's targeted upgrade (`uv lock --upgrade-package web==1.1`).
        answer = await within(
            helper.client.protocol.send_request_async(
                CHANGE_DEPENDENCY,
                {
                    "root": root,
                    "change": "upgrade",
                    "package": name,
                    "version": version,
                    "python": str(pythons["3.12"]),
                },
            ),
            "the upgrade",
        )
        assert plain(answer)["status"] == "ok", plain(answer)
        helper.watched_change(lock)
        await helper.diagnostics_for(lock, lambda found: not any(d.code == "lock-vulnerable" for d in found))
    assert 'name = "web"\nversion = "1.1"' in lock.read_text()
