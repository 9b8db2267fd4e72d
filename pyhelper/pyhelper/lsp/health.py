"""Dependency health in the editor: each project's locked packages checked against its index
(`pyhelper.health`), published as a part of their own beside drift, so drift never waits for the network.

A check runs after a project's drift check, debounced (`DELAY`), one at a time per project: a newer
request replaces a pending one and the answer of a superseded check is dropped. Trusted workspaces only;
with `lockstep.health.network` off only fresh cached answers are used. When packages could not be
checked because the index is unreachable, "health not checked (offline)" is logged once, until a check
reaches the index again: no notification, no storm of messages.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from pyhelper.findings import Finding

if TYPE_CHECKING:
    from pyhelper.health.audit import ProjectHealth
    from pyhelper.health.cache import HttpCache
    from pyhelper.health.client import IndexClient
    from pyhelper.lsp.session import Session

log = logging.getLogger(__name__)

DELAY = 1.0
"""Seconds after a project's drift check (a lock being rewritten changes several times)."""


class HealthChecks:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.results: dict[Path, ProjectHealth] = {}
        self._timers: dict[Path, asyncio.TimerHandle] = {}
        self._generation: dict[Path, int] = {}
        self._client: IndexClient | None = None
        self._cache: HttpCache | None = None
        self.offline_said = False

    def schedule(self, root: Path, delay: float = DELAY) -> None:
        if not self.session.settings.trusted:
            return
        timer = self._timers.pop(root, None)
        if timer is not None:
            timer.cancel()
        self._generation[root] = self._generation.get(root, 0) + 1
        generation = self._generation[root]
        loop = asyncio.get_running_loop()
        self._timers[root] = loop.call_later(delay, self._start, root, generation)

    def _start(self, root: Path, generation: int) -> None:
        self._timers.pop(root, None)
        task = asyncio.ensure_future(self.check(root, generation))
        task.add_done_callback(_log_failure)

    async def check(self, root: Path, generation: int | None = None) -> ProjectHealth | None:
        result = await asyncio.to_thread(self._check, root)
        if generation is not None and self._generation.get(root) != generation:
            return None  # the lock changed meanwhile: a newer check publishes
        self._publish(root, result)
        return result

    def _check(self, root: Path) -> ProjectHealth | None:
        from pyhelper.health.audit import check_health
        from pyhelper.health.cache import HttpCache
        from pyhelper.health.client import FetchError, IndexClient
        from pyhelper.health.locked import LockedProject, locked_project
        from pyhelper.lockfiles import LockCache

        project = locked_project(root / "pyproject.toml", LockCache())
        if not isinstance(project, LockedProject):
            return None  # no lock, or one drift already reports as unreadable
        if self._cache is None:
            self._cache = HttpCache()
        client = None
        if self.session.settings.health_network:
            try:
                self._client = self._client or IndexClient()
                client = self._client
            except FetchError as error:
                log.warning("health not checked: %s", error.reason)
        return check_health(project, client, self._cache)

    def _publish(self, root: Path, result: ProjectHealth | None) -> None:
        from pyhelper.lsp.session import shown

        previous = self.results.pop(root, None)
        if result is not None:
            self.results[root] = result
        found: dict[Path, list[Finding]] = {}
        for finding in result.findings if result else ():
            found.setdefault(finding.path, []).append(finding)
        part = f"health:{root}"
        for path in {f.path for f in previous.findings} - found.keys() if previous else ():
            self.session.publish_part(path, part, ())
        for path, findings in found.items():
            self.session.publish_part(path, part, shown(findings, self.session.settings))
        self._say_offline(result)

    def _say_offline(self, result: ProjectHealth | None) -> None:
        offline = [item for item in result.unchecked if item.offline] if result else []
        if offline and not self.offline_said:
            self.offline_said = True
            log.warning(
                "health not checked (offline): %d locked package%s of %s could not be asked about (%s)",
                len(offline),
                "s" if len(offline) != 1 else "",
                result.project.lockfile if result else "",
                offline[0].reason,
            )
        elif result is not None and result.packages and not offline:
            self.offline_said = False

    def republish(self) -> None:
        for root, result in list(self.results.items()):
            self.results.pop(root)
            self._publish(root, result)


def _log_failure(task: asyncio.Task[object]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("Checking dependency health failed", exc_info=error)
