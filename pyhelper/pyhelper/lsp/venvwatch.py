"""File watchers anchored at each known venv's own site-packages folder, kept in step with the scan.

The workspace-wide globs (`projects.WATCHED_GLOBS`) reach a venv through the editor's recursive
watcher, which follows folders by their names. A venv renamed into place (how `pyhelper.environments`
builds one) can leave that watcher naming its files under the build folder's old name, and a venv
outside the workspace (`lockstep.venv.path`, `UV_PROJECT_ENVIRONMENT`) is not watched by it at all.
A non-recursive pattern based at the folder itself (`site-packages` + `*.dist-info`) is served by
VS Code with a watcher of its own on that folder, so an install or uninstall from a terminal is
reported at the venv's real path. The anchors are registered again whenever the set of venvs changes
(a venv recreated in place is a new folder: its inode is part of the anchor).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

    from pyhelper.projects import Project

log = logging.getLogger(__name__)

REGISTRATION_PREFIX = "lockstep-venv-site-packages"
# What an install or uninstall adds or removes in site-packages; no `/`, so the watch is not recursive.
PATTERN = "*.dist-info"

Anchor = tuple[Path, int]
"""A watched site-packages folder and its inode."""


def anchors_of(projects: Sequence[Project]) -> dict[Anchor, list[Project]]:
    """Each known venv's site-packages folder (as its path names it) with the projects that use it."""
    from pyhelper.drift.environment import site_packages  # not paid at start-up

    found: dict[Anchor, list[Project]] = {}
    seen: dict[Path, Anchor | None] = {}
    for project in projects:
        if project.venv is None:
            continue
        venv = project.venv.path
        if venv not in seen:
            site = site_packages(venv)
            try:
                seen[venv] = (site, os.stat(site).st_ino) if site is not None else None
            except OSError:
                seen[venv] = None
        anchor = seen[venv]
        if anchor is not None:
            found.setdefault(anchor, []).append(project)
    return found


class VenvWatchers:
    """The one registration that watches every known venv's site-packages, replaced when they change."""

    def __init__(self, server: LanguageServer) -> None:
        self._server = server
        self._anchors: frozenset[Anchor] = frozenset()
        self._registration: str | None = None
        self._count = 0

    def supported(self) -> bool:
        capability = self._server.client_capabilities.workspace
        watched = capability.did_change_watched_files if capability else None
        return bool(watched and watched.dynamic_registration and watched.relative_pattern_support)

    def follow(self, projects: Sequence[Project], recheck: Callable[[list[Project]], None]) -> None:
        """Watch the site-packages of these projects' venvs. Once the editor watches a new folder,
        `recheck` gets its projects (on the event loop): a change made before the watch began is seen."""
        if not self.supported():
            return
        anchors = anchors_of(projects)
        if frozenset(anchors) == self._anchors:
            return
        new = [
            project for anchor, users in anchors.items() if anchor not in self._anchors for project in users
        ]
        self._anchors = frozenset(anchors)
        previous, self._registration = self._registration, None
        if anchors:
            self._count += 1
            self._registration = f"{REGISTRATION_PREFIX}-{self._count}"
            self._register(self._registration, [site for site, _ in anchors], new, recheck)
        if previous is not None:
            # After the new registration is sent: the folders both name are never unwatched.
            unregister = types.Unregistration(id=previous, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
            params = types.UnregistrationParams(unregisterations=[unregister])
            self._server.client_unregister_capability(params).add_done_callback(_log_failure)

    def _register(
        self, id: str, sites: list[Path], new: list[Project], recheck: Callable[[list[Project]], None]
    ) -> None:
        watchers = [
            types.FileSystemWatcher(
                glob_pattern=types.RelativePattern(base_uri=site.as_uri(), pattern=PATTERN)
            )
            for site in sites
        ]
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
        registration = types.Registration(
            id=id, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        loop = asyncio.get_running_loop()

        def registered(done: Future[None]) -> None:
            if _log_failure(done) and new:
                loop.call_soon_threadsafe(recheck, new)

        params = types.RegistrationParams(registrations=[registration])
        self._server.client_register_capability(params).add_done_callback(registered)


def _log_failure(done: Future[None]) -> bool:
    """Whether the editor accepted the (un)registration; a refusal is logged."""
    if done.cancelled():
        return False
    if (error := done.exception()) is not None:
        log.warning("Watching the venvs' site-packages could not be changed (%s).", error)
        return False
    return True
