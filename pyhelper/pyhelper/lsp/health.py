"""Dependency health in the editor: each project's locked packages checked against its index
(`pyhelper.health`), published as a part of their own beside drift, so drift never waits for the network.

A check runs after a project's drift check, debounced (`DELAY`), one at a time per project: a newer
request replaces a pending one and the answer of a superseded check is dropped. Trusted workspaces only;
with `lockstep.health.network` off only fresh cached answers are used. When packages could not be
checked because the index is unreachable, "health not checked (offline)" is logged once, until a check
reaches the index again: no notification, no storm of messages. An index that answers something
unusable (malformed, too large, of the wrong type) is logged once per project for each new set of such
answers; those packages get no finding and no hint, so nothing unchecked looks healthy.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lsprotocol import types

from pyhelper.findings import Finding

if TYPE_CHECKING:
    from pyhelper.health.audit import PackageHealth, ProjectHealth
    from pyhelper.health.cache import HttpCache
    from pyhelper.health.client import IndexClient
    from pyhelper.health.locked import LockedProject
    from pyhelper.lsp import protocol
    from pyhelper.lsp.session import Session

log = logging.getLogger(__name__)

UPGRADE_COMMAND = "lockstep.upgradeLockedPackage"
"""The editor command of the "Upgrade to X" quick fix (root, package, version): the manager's targeted
upgrade, then a sync."""
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
        self._problems_said: dict[Path, frozenset[tuple[str, str, str]]] = {}

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
        if self._publish(root, result):
            self.session.notify_projects()
        return result

    def summaries(self) -> dict[Path, protocol.HealthSummary]:
        """Each checked project's summary, as its row in the Projects view shows it."""
        return {root: summary for root in self.results if (summary := self._summary(root)) is not None}

    def _summary(self, root: Path) -> protocol.HealthSummary | None:
        from pyhelper.lsp.payloads import health_summary

        result = self.results.get(root)
        return health_summary(result, self.session.settings.health_outdated) if result else None

    def _check(self, root: Path) -> ProjectHealth | None:
        from pyhelper.health.audit import check_health
        from pyhelper.health.cache import HttpCache
        from pyhelper.health.client import IndexClient
        from pyhelper.health.locked import LockedProject, locked_project
        from pyhelper.lockfiles import LockCache

        project = locked_project(root / "pyproject.toml", LockCache())
        if not isinstance(project, LockedProject):
            return None  # no lock, or one drift already reports as unreadable
        if self._cache is None:
            self._cache = HttpCache()
        client = None
        if self.session.settings.health_network:
            self._client = client = self._client or IndexClient()
        return check_health(project, client, self._cache, osv=self.session.settings.health_osv_url)

    def _publish(self, root: Path, result: ProjectHealth | None) -> bool:
        """Publish the diagnostics of `result`; returns whether the project's summary changed (the
        Projects view's rows are then told)."""
        from pyhelper.lsp import outdated
        from pyhelper.lsp.session import shown

        before = self._summary(root)
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
        outdated.refresh(self.session)
        self._say_offline(result)
        self._say_problems(root, result)
        return self._summary(root) != before

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

    def _say_problems(self, root: Path, result: ProjectHealth | None) -> None:
        if result is None:
            self._problems_said.pop(root, None)
            return
        problems = frozenset((i.name, i.version, i.reason) for i in result.unchecked if not i.offline)
        if problems and problems != self._problems_said.get(root):
            listed = "; ".join(f"{name} {version}: {reason}" for name, version, reason in sorted(problems))
            count = len(problems)
            log.warning(
                "health not checked for %d locked package%s of %s, the index's answer is unusable: %s",
                count,
                "s" if count != 1 else "",
                result.project.lockfile,
                listed,
            )
        self._problems_said[root] = problems

    def upgrades(self, root: Path, path: Path, line: int) -> list[Upgrade]:
        """The upgrades that fix the health findings at `line` of `path`: the lock entry's package, or
        every package the requirement there brings in."""
        result = self.results.get(root)
        if result is None:
            return []
        project = result.project
        found: list[Upgrade] = []
        for name, health in result.packages.items():
            if health.upgrade_to is None:
                continue
            chain = project.chains.get(name)
            required = project.required.get(chain[0]) if chain else None
            entry = next((e for e in project.entries if e.name == name), None)
            at_lock = path == project.lockfile and entry is not None and entry.range.start.line == line
            at_requirement = path == project.pyproject.path and required and required.range.start.line == line
            if at_lock or at_requirement:
                found.append(upgrade_for(project, health, health.upgrade_to))
        return found

    def code_actions(
        self, root: Path, path: Path, diagnostics: Sequence[types.Diagnostic]
    ) -> list[types.CodeAction]:
        """ "Upgrade NAME to X" for the health diagnostics among `diagnostics`."""
        from pyhelper import codes
        from pyhelper.lsp.diagnostics import SOURCE

        actions: dict[Upgrade, list[types.Diagnostic]] = {}
        for diagnostic in diagnostics:
            if diagnostic.source != SOURCE or diagnostic.code not in (
                codes.LOCK_VULNERABLE,
                codes.LOCK_YANKED,
            ):
                continue
            for upgrade in self.upgrades(root, path, diagnostic.range.start.line):
                actions.setdefault(upgrade, []).append(diagnostic)
        return [
            types.CodeAction(
                title=upgrade.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=found,
                is_preferred=True,
                command=types.Command(
                    title=f"Upgrade {upgrade.package}",
                    command=UPGRADE_COMMAND,
                    arguments=[str(root), upgrade.package, upgrade.version],
                ),
            )
            for upgrade, found in actions.items()
        ]

    def republish(self) -> None:
        """Settings changed: publish the results as they now want, and tell the Projects view."""
        for root, result in list(self.results.items()):
            self.results.pop(root)
            self._publish(root, result)
        if self.results:
            self.session.notify_projects()


class Upgrade(NamedTuple):
    package: str
    version: str | None
    """What the editor command is given: the version the manager upgrades to (`uv lock
    --upgrade-package NAME==X`, or Poetry's and PDM's `add NAME==X`, which moves the requirement), or
    None for the manager's own targeted upgrade to the newest allowed (`poetry update NAME`,
    `pdm update NAME`)."""
    title: str


def upgrade_for(project: LockedProject, health: PackageHealth, target: str) -> Upgrade:
    """How the project's manager gets `health.name` to `target` (a version that fixes it) or past it."""
    name = health.name
    if project.format.manager == "uv":
        return Upgrade(name, target, f"Upgrade {name} to {target}")
    chain = project.chains.get(name)
    if chain is None or len(chain) > 1:
        # Poetry and PDM cannot pin a package locked for another's sake without making it a direct
        # requirement: `update NAME` takes it to the newest its dependents allow.
        return Upgrade(name, None, f"Upgrade {name} to the newest allowed")
    required = project.required.get(name)
    allowed = required.allowed if required is not None else None
    if allowed is None or allowed.contains(target, prereleases=True):
        # The requirement already allows the fix: the targeted upgrade, the requirement untouched.
        return Upgrade(name, None, f"Upgrade {name} to {health.latest_allowed or target}")
    return Upgrade(name, target, f"Upgrade {name} to {target} (changes its requirement)")


def _log_failure(task: asyncio.Task[object]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("Checking dependency health failed", exc_info=error)
