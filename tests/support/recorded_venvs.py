"""The venvs real uv, Poetry and PDM made, as recorded in tests/fixtures/envdrift/cases.json (by its
generate.py), and a way to write one back as files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "envdrift" / "cases.json").read_text(encoding="utf-8")
)
LOCKS = {"uv": "uv.lock", "poetry": "poetry.lock", "pdm": "pdm.lock"}


def materialise(case: dict[str, Any], root: Path) -> Path:
    """The recorded project and venv as files under `root`; returns the venv."""
    for name, text in case["files"].items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    venv = root / ".venv"
    site = venv / case["venv"]["site-packages"]
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(case["venv"]["pyvenv.cfg"], encoding="utf-8")
    for folder, files in case["venv"]["dists"].items():
        (site / folder).mkdir()
        for name, text in files.items():
            (site / folder / name).write_text(text, encoding="utf-8")
    return venv
