"""Shared pieces of the live-drift tests: projects on disk and `uv sync --check`'s verdict."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Run = Callable[..., subprocess.CompletedProcess[str]]
"""`run_uv(root, "sync", ...)` (the fixture of that name)."""
Tool = Callable[..., subprocess.CompletedProcess[str]]
"""`run_tool("poetry", root, "sync", ...)` (the fixture of that name)."""

# Poetry: "  - Updating beta (1.0 -> 1.1)"; PDM, under "Packages to add:" and the like: "  - beta 1.1".
POETRY_CHANGE = re.compile(r"^\s+- (?:Installing|Updating|Downgrading|Removing) (\S+) \((?!.*Skipped)")
PDM_CHANGE = re.compile(r"^\s+- (\S+) \S")


def tool_changes(tool: str, root: Path, run_tool: Tool, *flags: str) -> set[str]:
    """The packages the tool's own sync (with `flags`: the groups and extras) would install, update or
    remove."""
    if tool == "poetry":
        out = run_tool(tool, root, "sync", "--dry-run", *flags).stdout
        # Poetry reinstalls the project itself on every sync; whether it is there is asked of the venv.
        return {m.group(1) for line in out.splitlines() if (m := POETRY_CHANGE.match(line))}
    out = run_tool(tool, root, "sync", "--clean", "--dry-run", *flags).stdout
    return {m.group(1) for line in out.splitlines() if (m := PDM_CHANGE.match(line))}


def write_project(
    root: Path,
    dependencies: Sequence[str],
    *,
    requires_python: str = ">=3.10",
    extra: str = "",
    name: str = "demo",
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    deps = ", ".join(f'"{d}"' for d in dependencies)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\nversion = "0.1.0"\nrequires-python = "{requires_python}"\n'
        f"dependencies = [{deps}]\n{extra}",
        encoding="utf-8",
    )
    return root


def sync_check(run_uv: Run, root: Path, *flags: str) -> dict[str, Any]:
    """`uv sync --check`'s verdict (with `flags`: the groups and extras): {"ok": bool, "replace": bool,
    "changes": {name: {actions}}}."""
    done = run_uv(root, "sync", "--check", "--output-format", "json", *flags, check=False)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    changes: dict[str, set[str]] = {}
    for change in report["sync"]["changes"]:
        changes.setdefault(change["name"], set()).add(change["action"])
    return {
        "ok": done.returncode == 0,
        "replace": report["sync"]["action"] == "replace",
        "changes": changes,
    }
