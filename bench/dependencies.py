"""Add Dependency end to end through a real helper vs `uv add NAME` in a terminal, side by side.

Two identical uv projects (~50 packages locked from a loopback index, wheels built here, a synced
.venv each), one warm uv cache. Each round adds the next package (one that brings 10 with it) to both:

  - in a terminal: `uv add NAME` (it locks, then syncs .venv);
  - in the editor: what Add Dependency does once the name is picked, over the helper's stdio:
    `lockstep/changeDependency` (here, the venv being the project's in-sync .venv and the groups uv's
    defaults, `uv add` with its own sync, and the answer says so; else `uv add --no-sync`, then
    `lockstep/syncEnvironment`), until the helper has published the project list that shows it in sync
    and `lockstep/projectDetails` (what the view re-reads then) lists the package locked and installed.

Medians and their ratio (target: within 1.3x of `uv add`); the editor's phases are in the details.
For comparison, the two uv commands the editor runs when uv's own sync would not do (`uv add --no-sync`,
then `uv sync --locked`: Lockstep syncs exactly, with the groups it was told, which `uv add`'s own sync
cannot be asked for), typed in a terminal on a third copy.

    .dev/venv/bin/python bench/dependencies.py [--quick] [--repeats N] [--json FILE]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import (
    Benchmark,
    Row,
    Size,
    Target,
    interleave,
    median_ms,
    run_quiet,
    samples_ms,
    standalone,
    uv_binary,
)
from lspclient import Client

NAME = "dependencies"
CHAIN = 10
"""Packages each added name brings (generated_catalogue's chains: pkg-000 needs pkg-001, ... pkg-009)."""


def chain_heads(start: int, count: int) -> list[str]:
    return [f"pkg-{i:03d}" for i in range(start * CHAIN, (start + count) * CHAIN, CHAIN)]


class Editor:
    """A helper session on `root`, trusted, with the project listed and its children shown (the view
    open and the project expanded), as when the user runs Add Dependency from the view."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = str(root)
        self.client = Client([sys.executable, "-m", "pyhelper", "serve"], env=env, cwd=root)
        self.client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}},
                "initializationOptions": {"trusted": True},
            },
        )
        self.client.notify("initialized", {})
        (project,) = self.client.request("lockstep/projects", {})["projects"]
        assert project["drift"]["state"] == "in-sync", project
        self.details()
        self.phases: dict[str, list[float]] = {"change": [], "sync": [], "view": []}
        self.synced_by_uv: list[bool] = []
        """Per add: whether uv's own sync stood in for Sync Environment (one uv process)."""

    def details(self) -> Any:
        return self.client.request("lockstep/projectDetails", {"root": self.root})

    def add(self, name: str) -> None:
        """Add Dependency of `name` to the main dependencies, timed by phase."""
        start = time.perf_counter()
        since = len(self.client.notifications)
        # With a progress token, as the editor asks (its notification bar shows uv's lines).
        change = {
            "root": self.root,
            "change": "add",
            "package": name,
            "kind": "main",
            "group": None,
            "workDoneToken": f"add-{name}",
        }
        changed = self.client.request("lockstep/changeDependency", change)
        assert changed["status"] == "ok", changed
        locked = time.perf_counter()
        if not changed["environmentSynced"]:  # as the editor: Sync Environment only when still needed
            since = len(self.client.notifications)
            sync = {
                "root": self.root,
                "python": None,
                "replace": False,
                "allowDownload": False,
                "unlocked": False,
            }
            synced = self.client.request("lockstep/syncEnvironment", sync)
            assert synced["status"] == "ok", synced
        self.synced_by_uv.append(bool(changed["environmentSynced"]))
        installed = time.perf_counter()
        self.client.notification("lockstep/projectsChanged", self._in_sync, since)
        main = self.details()["groups"][0]
        (row,) = [row for row in main["dependencies"] if row["name"] == name]
        assert row["locked"] == row["installed"] == "1.0", row
        shown = time.perf_counter()
        for phase, took in zip(
            self.phases, (locked - start, installed - locked, shown - installed), strict=True
        ):
            self.phases[phase].append(took)

    def _in_sync(self, params: Any) -> bool:
        (project,) = [p for p in params["projects"] if p["root"] == self.root]
        return bool(project.get("drift", {}).get("state") == "in-sync")

    def close(self) -> None:
        self.client.close()


def run(size: Size) -> Benchmark:
    from support.index import PackageIndex, generated_catalogue
    from support.projects import uv_project

    # Each round is ~0.2 s: 25 of them, as 7 left the median ratio moving by 0.1 between runs.
    repeats = size.pick(full=25, quick=1)
    base = 2 if size.quick else 5
    adds = size.warmup + repeats
    uv = str(uv_binary())
    sides = ("terminal", "two commands", "editor")
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-deps-") as scratch_name:
        scratch = Path(scratch_name)
        index = PackageIndex(scratch / "index")
        index.add(generated_catalogue((base + adds) * CHAIN))
        with index.start():
            env = index.environ(scratch / "uv-cache")
            roots = [f"{name}>=1" for name in chain_heads(0, base)]
            projects = {
                side: uv_project(scratch / side.replace(" ", "-") / "app", Path(uv), env, roots, name="app")
                for side in sides
            }
            for project in projects.values():
                run_quiet([uv, "sync", "--locked", "--quiet"], cwd=project, env=env)
            # Every wheel a side will add, in the cache beforehand: they all add from the same warm cache.
            warm = scratch / "warm"
            run_quiet([uv, "venv", "--quiet", str(warm)], env=env)
            run_quiet(
                [uv, "pip", "install", "--quiet", "--python", str(warm), *chain_heads(base, adds)], env=env
            )
            to_add = {side: iter(chain_heads(base, adds)) for side in sides}

            def uv_add() -> None:
                run_quiet([uv, "add", next(to_add["terminal"])], cwd=projects["terminal"], env=env)

            def two_commands() -> None:
                """What the editor has uv do, typed in a terminal: the change, then the sync."""
                where = {"cwd": projects["two commands"], "env": env}
                run_quiet([uv, "add", "--no-sync", next(to_add["two commands"])], **where)
                run_quiet([uv, "sync", "--locked"], **where)

            editor = Editor(projects["editor"], env)
            try:
                times = interleave(
                    {
                        "uv add": uv_add,
                        "lockstep": lambda: editor.add(next(to_add["editor"])),
                        "two commands": two_commands,
                    },
                    repeats,
                    warmup=size.warmup,
                )
            finally:
                editor.close()
    phases = {
        phase: round(statistics.median(runs[size.warmup :]) * 1000, 2)
        for phase, runs in editor.phases.items()
    }
    uv_add_ms = ("uv add", median_ms(times["uv add"]))
    return Benchmark(
        name=NAME,
        description="Add Dependency (change, lock, sync, view updated) vs uv add, warm cache",
        parameters={"repeats": repeats, "locked_packages": base * CHAIN, "added_per_run": CHAIN},
        rows=[
            Row(
                "Add Dependency end to end (command → lock → sync → view updated)",
                "helper over stdio",
                median_ms(times["lockstep"]),
                reference=uv_add_ms[0],
                reference_value=uv_add_ms[1],
                target=Target(1.3),
            ),
            Row(
                "the editor's two uv commands, in a terminal, for comparison",
                "uv add --no-sync; uv sync --locked",
                median_ms(times["two commands"]),
                reference=uv_add_ms[0],
                reference_value=uv_add_ms[1],
            ),
        ],
        details={
            "samples_ms": samples_ms(times),
            "editor_phases_median_ms": phases,
            "editor_adds_synced_by_uv": editor.synced_by_uv,
        },
    )


if __name__ == "__main__":
    standalone(run)
