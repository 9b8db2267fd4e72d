"""Shared pieces of the live-drift tests: projects on disk and `uv sync --check`'s verdict."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Run = Callable[..., subprocess.CompletedProcess[str]]
"""`run_uv(root, "sync", ...)` (the fixture of that name)."""


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


def sync_check(run_uv: Run, root: Path) -> dict[str, Any]:
    """`uv sync --check`'s verdict: {"ok": bool, "replace": bool, "changes": {name: {actions}}}."""
    done = run_uv(root, "sync", "--check", "--output-format", "json", check=False)
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
