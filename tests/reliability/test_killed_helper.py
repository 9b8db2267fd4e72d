"""SIGKILL of the real helper (and of the uv it runs) in the middle of creating or syncing a venv.

The helper gets `lockstep/createEnvironment` / `lockstep/syncEnvironment` for a uv project locked
against the loopback index; the index holds back one wheel, so the kill lands while uv is installing.
uv runs in a session of its own (`uvtool.run_tool`, so that Cancel stops its build backends too): killing
the helper's process group would leave it running, so the test kills the helper and uv's group, as a
crash of the whole editor host or an OOM kill of both would. Then a new helper must see no half-made
venv, find the previous venv as it was, and do the next attempt fully, tidying what was left.

Each helper gets a uv cache of its own: a warm cache would not ask the index for the held wheel.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from helper.helper_support import make_uv_venv, within
from pyhelper.venvs import describe_venv
from reliability.reliability_support import Channel, children, start_helper
from support.index import PackageIndex
from support.projects import installed, uv_project
from support.tools import uv_binary

LOCKED = {"alpha": "2.0", "beta": "1.1", "gamma": "0.1", "delta": "1.0"}
TRUSTED = {"trusted": True}


class Setup:
    def __init__(self, tmp_path: Path, index: PackageIndex) -> None:
        self.tmp_path, self.index = tmp_path, index
        self.caches = 0
        self.project = uv_project(tmp_path / "app", uv_binary(), self.environ())
        self.venv = self.project / ".venv"
        self.held = index.wheel("alpha", "2.0").name

    def environ(self) -> dict[str, str]:
        """The loopback index, a fresh uv cache, and Lockstep's own dirs inside tmp_path."""
        self.caches += 1
        env = self.index.environ(self.tmp_path / f"uv-cache-{self.caches}")
        env.update(
            XDG_CACHE_HOME=str(self.tmp_path / "xdg-cache"),
            XDG_DATA_HOME=str(self.tmp_path / "xdg-data"),
        )
        return env

    def wheel_requests(self) -> int:
        return sum(path.endswith(self.held) for path in self.index.requests)

    async def wheel_requested(self, before: int) -> None:
        # The index's own wait_for_request also counts the requests of earlier operations.
        while self.wheel_requests() == before:
            await asyncio.sleep(0.01)

    def leftovers(self) -> list[Path]:
        return sorted(p for p in self.project.iterdir() if ".lockstep-" in p.name)

    @asynccontextmanager
    async def helper(self) -> AsyncIterator[Channel]:
        helper = await start_helper(self.tmp_path, self.environ())
        try:
            await helper.start(self.project, TRUSTED)
            yield helper
        finally:
            await helper.stop()

    async def succeeds(self, method: str, **params: Any) -> None:
        """A new helper lists the project's venv as it is on disk, then does `method` fully."""
        async with self.helper() as helper:
            projects = (await helper.request("lockstep/projects"))["result"]["projects"]
            listed = projects[0]["venv"]["path"] if projects[0]["venv"] else None
            assert listed == (str(self.venv) if self.venv.exists() else None)
            answer = await helper.request(method, {"root": str(self.project), **params})
            assert answer["result"]["status"] == "ok", answer
            assert await helper.close() == 0

    async def killed_during(self, method: str, **params: Any) -> None:
        """Start `method` in a new helper, and SIGKILL the helper and uv while uv waits for a wheel."""
        async with self.helper() as helper:
            await helper.serving()  # the first scan is done: the project is known
            asked = self.wheel_requests()
            with self.index.hold(self.held):
                await helper.send_request(method, {"root": str(self.project), **params})
                await within(self.wheel_requested(asked), f"uv to ask for {self.held}")
                tools = children(helper.process.pid)
                assert [Path(f"/proc/{pid}/comm").read_text().strip() for pid in tools] == ["uv"]
                os.kill(helper.process.pid, signal.SIGKILL)
                for pid in tools:
                    os.killpg(pid, signal.SIGKILL)  # uv leads its own session (and process group)
                await within(helper.process.wait(), "the killed helper to be gone")
                await within(gone(tools), "the killed uv to be gone")


async def gone(pids: list[int]) -> None:
    """Wait until each process has ended (a zombie or reaped)."""
    for pid in pids:
        while True:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                break
            if state in ("Z", "X"):
                break
            await asyncio.sleep(0.01)


def assert_half_made_is_invisible(setup: Setup) -> None:
    """Something was left mid-build (it looks like a venv: pyvenv.cfg), and nothing reports it as one."""
    leftovers = setup.leftovers()
    assert leftovers and all((p / "pyvenv.cfg").is_file() for p in leftovers), leftovers
    assert [describe_venv(p) for p in leftovers] == [None] * len(leftovers)


async def test_killed_mid_create_leaves_no_venv_and_the_next_create_works(
    tmp_path: Path, package_index: PackageIndex
) -> None:
    setup = Setup(tmp_path, package_index)
    await setup.killed_during("lockstep/createEnvironment")

    assert not setup.venv.exists()
    assert_half_made_is_invisible(setup)
    await setup.succeeds("lockstep/createEnvironment")
    assert installed(setup.venv) == LOCKED
    assert setup.leftovers() == []


async def test_killed_mid_recreate_keeps_the_previous_venv_and_the_next_recreate_works(
    tmp_path: Path, package_index: PackageIndex
) -> None:
    setup = Setup(tmp_path, package_index)
    await setup.succeeds("lockstep/createEnvironment")
    mark = setup.venv / "made-by-the-first-create"
    mark.write_text("")
    before = describe_venv(setup.venv)

    await setup.killed_during("lockstep/createEnvironment", replace=True)

    assert describe_venv(setup.venv) == before and mark.exists()
    assert installed(setup.venv) == LOCKED
    assert_half_made_is_invisible(setup)
    await setup.succeeds("lockstep/createEnvironment", replace=True)
    assert not mark.exists()
    assert installed(setup.venv) == LOCKED
    assert setup.leftovers() == []


async def test_killed_mid_sync_leaves_a_working_venv_and_the_next_sync_completes(
    tmp_path: Path, package_index: PackageIndex
) -> None:
    setup = Setup(tmp_path, package_index)
    make_uv_venv(setup.venv)  # bare: the sync must install everything
    before = describe_venv(setup.venv)

    await setup.killed_during("lockstep/syncEnvironment")

    # uv syncs in place (as `uv sync` does): part-way, but still a venv with its interpreter.
    assert describe_venv(setup.venv) == before
    assert setup.leftovers() == []
    assert "alpha" not in installed(setup.venv)
    await setup.succeeds("lockstep/syncEnvironment")
    assert installed(setup.venv) == LOCKED
