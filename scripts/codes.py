#!/usr/bin/env python3
"""Writes the `lockstep.diagnostics.severity` setting in package.json from the diagnostic-code registry
(pyhelper/pyhelper/codes.py), then the README's tables from package.json (scripts/readme.mjs).

    python3 scripts/codes.py

tests/codes/test_codes.py fails when package.json is not what this writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pyhelper"))

from pyhelper.codes import REGISTRY, DiagnosticCode  # noqa: E402 (the engine is not installed here)
from pyhelper.findings import Severity  # noqa: E402

SETTING = "lockstep.diagnostics.severity"
LEVELS = [*(severity.label for severity in Severity), "off"]
EXAMPLE = '`{"lock-stale": "information", "venv-extraneous": "off"}`'


def _code_schema(entry: DiagnosticCode) -> dict[str, Any]:
    fix = f" Quick fix: {entry.fix.value}." if entry.fix is not None else ""
    return {
        "type": "string",
        "enum": LEVELS,
        "default": entry.severity.label,
        "markdownDescription": f"{entry.summary}{fix}",
    }


def severity_setting(current: dict[str, Any]) -> dict[str, Any]:
    """The setting's schema: one property per code (completion and hover in settings.json), any other
    key still accepted with a level, as the helper does."""
    listed = ", ".join(f"`{code}`" for code in REGISTRY)
    return {
        **{key: current[key] for key in ("type", "default", "scope")},
        "markdownDescription": f"Severity per diagnostic code, e.g. {EXAMPLE}. Codes: {listed}.",
        "properties": {code: _code_schema(entry) for code, entry in REGISTRY.items()},
        "additionalProperties": {"type": "string", "enum": LEVELS},
    }


def render(manifest_text: str) -> str:
    manifest = json.loads(manifest_text)
    properties = manifest["contributes"]["configuration"]["properties"]
    properties[SETTING] = severity_setting(properties[SETTING])
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    path = ROOT / "package.json"
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    subprocess.run(["node", str(ROOT / "scripts" / "readme.mjs")], check=True)


if __name__ == "__main__":
    main()
