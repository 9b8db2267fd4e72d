"""`pyhelper check [PATH ...] [--format text|json|github]`: lockfile drift for CI and pre-commit.

A PATH is a folder (every project under it, and every locked PEP 723 script: `NAME.py` beside
`NAME.py.lock`) or a script file (its block against `NAME.py.lock`, as `uv lock --script --check`).

Every format names files relative to the current folder (as compilers and linters do), whichever
paths were given, so the output of several paths tells their projects apart.

Exit status: 0 in sync, 1 drift found (an error or warning finding), 2 usage error or unreadable
input (a path that is no folder nor script, a file that cannot be read or parsed, a malformed script
block, a lock its own tool refuses to read: `lock-invalid`, where the tool's check exits 2 too).
Information findings (such as a missing lock) are shown but are not drift.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from pyhelper import codes
from pyhelper.findings import Finding, Severity

# Findings that mean the input could not be read as what it claims to be.
_UNREADABLE = (
    codes.TOML_SYNTAX,
    codes.LOCK_INVALID,
    codes.FILE_UNREADABLE,
    codes.SCRIPT_BLOCK_UNTERMINATED,
    codes.SCRIPT_BLOCK_INVALID,
    codes.SCRIPT_BLOCK_DUPLICATE,
)
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def run(paths: list[str], output_format: str, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    from pyhelper.drift.lock import LockCache, check_tree, is_drift
    from pyhelper.scripts.drift import check_locked_scripts, check_path

    roots = [Path(p) for p in paths or ["."]]
    for root in roots:
        if not root.is_dir() and not root.is_file():
            err.write(f"pyhelper check: {root} is neither a folder nor a script\n")
            return 2
    cache = LockCache()
    found: dict[Finding, None] = {}
    try:
        for root in roots:
            if root.is_dir():
                found.update(dict.fromkeys(check_tree(root, cache)))
                found.update(dict.fromkeys(check_locked_scripts(root, cache)))
                continue
            script = check_path(root, cache)
            if script is None:
                err.write(f"pyhelper check: {root} is not a PEP 723 script (no `# /// script` block)\n")
                return 2
            found.update(dict.fromkeys(script))
    except OSError as error:
        err.write(f"pyhelper check: cannot read {error.filename}: {error.strerror or error}\n")
        return 2
    findings = list(found)
    findings.sort(key=lambda finding: (str(finding.path), finding.range.start, finding.code))
    render = {"text": _text, "json": render_json, "github": render_github}[output_format]
    out.write(render(findings))
    if any(f.code in _UNREADABLE for f in findings):
        return 2
    return 1 if is_drift(findings) else 0


def relative(path: Path) -> str:
    """`path` from the current folder; absolute when there is no relative way (another drive)."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def text_lines(results: list[Finding]) -> list[str]:
    """`path:line:column: severity code message`, as compilers and linters write them."""
    return [
        f"{relative(f.path)}:{f.range.start.line + 1}:{f.range.start.character + 1}: "
        f"{f.severity.label} {f.code} {f.message}"
        for f in results
    ]


def _text(results: list[Finding]) -> str:
    lines = text_lines(results)
    errors = sum(f.severity <= Severity.WARNING for f in results)
    lines.append(f"{errors} problem{'s' if errors != 1 else ''} found" if errors else "lockfiles in sync")
    return "\n".join(lines) + "\n"


def render_json(results: list[Finding], **extra: object) -> str:
    import json

    diagnostics = [
        {
            "file": relative(f.path),
            "range": {
                "start": {"line": f.range.start.line, "character": f.range.start.character},
                "end": {"line": f.range.end.line, "character": f.range.end.character},
            },
            "severity": f.severity.label,
            "code": f.code,
            "message": f.message,
        }
        for f in results
    ]
    return json.dumps({"diagnostics": diagnostics, **extra}, indent=2, ensure_ascii=False) + "\n"


def render_github(results: list[Finding]) -> str:
    lines = []
    for f in results:
        properties = {
            "file": relative(f.path),
            "line": f.range.start.line + 1,
            "col": f.range.start.character + 1,
            "endLine": f.range.end.line + 1,
            "endColumn": f.range.end.character + 1,
            "title": f.code,
        }
        rendered = ",".join(
            f"{key}={github_escape(str(value), property=True)}" for key, value in properties.items()
        )
        lines.append(f"::{_GITHUB_LEVEL.get(f.severity, 'notice')} {rendered}::{github_escape(f.message)}")
    return "".join(line + "\n" for line in lines)


def github_escape(value: str, *, property: bool = False) -> str:
    # GitHub's workflow-command escaping; property values also escape their separators.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property else value
