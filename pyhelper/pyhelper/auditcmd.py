"""`pyhelper audit [PATH] [--format text|json|github|sarif] [--ignore ID] [--offline] [--osv URL]`:
dependency health of every locked project under PATH for CI — known vulnerabilities and yanked versions
of what the locks pin, asked of each project's own index (pyhelper.health), and of an OSV-compatible
`querybatch` endpoint too with `--osv`.

Exit status: 0 every locked package was checked and is healthy, 1 findings, 2 something could not be
checked (the index unreachable or its answer unusable, offline, a project or lock that cannot be read,
no locked project, a malformed `ignore-advisories`). Offline is 2, never "clean": a package nothing
was asked about is not healthy. Findings are printed whatever the status.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from pyhelper import __version__
from pyhelper.checkcmd import github_escape, relative, render_github, render_json, text_lines
from pyhelper.codes import REGISTRY
from pyhelper.findings import Finding, Severity
from pyhelper.health.audit import ProjectHealth, Unchecked, check_health, ignored_advisories

FORMATS = ("text", "json", "github", "sarif")
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def run(
    path: str,
    output_format: str,
    ignore: Sequence[str] = (),
    *,
    offline: bool = False,
    osv: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    from pyhelper.health.cache import HttpCache
    from pyhelper.health.client import IndexClient
    from pyhelper.health.locked import locked_project
    from pyhelper.lockfiles import LockCache
    from pyhelper.walk import find_pyprojects

    root = Path(path)
    if not root.is_dir():
        err.write(f"pyhelper audit: {root} is not a folder\n")
        return 2
    cache = LockCache()
    try:
        found = [
            locked_project(pyproject, cache) for pyproject in find_pyprojects(root.absolute(), strict=True)
        ]
    except OSError as error:
        err.write(f"pyhelper audit: cannot read {error.filename}: {error.strerror or error}\n")
        return 2
    unreadable = [item for item in found if isinstance(item, Finding)]
    projects = [item for item in found if item is not None and not isinstance(item, Finding)]
    problems = [f"{relative(f.path)}:{f.range.start.line + 1}: {f.message}" for f in unreadable]
    for project in projects:
        problems += ignored_advisories(project)[1]
    if not projects and not problems:
        problems.append(f"no locked project under {relative(root.absolute())}: nothing to audit")
    results: list[ProjectHealth] = []
    if not problems:
        client = None if offline else IndexClient()
        try:
            results = [check_health(project, client, HttpCache(), ignore, osv) for project in projects]
        finally:
            if client is not None:
                client.close()
    findings = sorted(
        {f: None for result in results for f in result.findings},
        key=lambda f: (str(f.path), f.range.start, f.code),
    )
    unchecked = [(result, item) for result in results for item in result.unchecked]
    problems += [_unchecked_line(result, item) for result, item in unchecked]
    render = {"text": _text, "json": _json, "github": _github, "sarif": _sarif}[output_format]
    out.write(render(findings, problems, results))
    if problems:
        return 2
    return 1 if findings else 0


def _unchecked_line(result: ProjectHealth, item: Unchecked) -> str:
    offline = " (offline)" if item.offline else ""
    return (
        f"{relative(result.project.lockfile)}: {item.name} {item.version} not checked{offline}: {item.reason}"
    )


def _summary(findings: list[Finding], problems: list[str], results: list[ProjectHealth]) -> str:
    checked = sum(len(result.packages) for result in results)
    ignored = sum(result.ignored for result in results)
    parts = [f"{checked} locked package{'s' if checked != 1 else ''} checked"]
    if ignored:
        parts.append(f"{ignored} accepted advisor{'ies' if ignored != 1 else 'y'} ignored")
    if problems:
        offline = all(" not checked (offline): " in problem for problem in problems)
        parts.append("health not checked (offline)" if offline else f"{len(problems)} not checked")
    if findings:
        parts.append(f"{len(findings)} problem{'s' if len(findings) != 1 else ''} found")
    elif not problems:
        parts.append("no known vulnerabilities or yanked versions")
    return ", ".join(parts)


def _text(findings: list[Finding], problems: list[str], results: list[ProjectHealth]) -> str:
    lines = [*text_lines(findings), *(f"error: {problem}" for problem in problems)]
    lines.append(_summary(findings, problems, results))
    return "\n".join(lines) + "\n"


def _json(findings: list[Finding], problems: list[str], results: list[ProjectHealth]) -> str:
    packages = [
        {
            "lockfile": relative(result.project.lockfile),
            "name": health.name,
            "version": health.version,
            "advisories": [advisory._asdict() for advisory in health.advisories],
            "yanked": health.yanked,
            "yankReason": health.yank_reason,
            "latest": health.latest,
            "latestAllowed": health.latest_allowed,
            "upgradeTo": health.upgrade_to,
        }
        for result in results
        for health in result.packages.values()
    ]
    return render_json(findings, notChecked=problems, packages=packages)


def _github(findings: list[Finding], problems: list[str], results: list[ProjectHealth]) -> str:
    lines = [f"::error title=pyhelper audit::{github_escape(problem)}\n" for problem in problems]
    return render_github(findings) + "".join(lines)


def _sarif(findings: list[Finding], problems: list[str], results: list[ProjectHealth]) -> str:
    import json

    def location(f: Finding) -> dict[str, object]:
        return {
            "physicalLocation": {
                "artifactLocation": {"uri": relative(f.path)},
                "region": {
                    "startLine": f.range.start.line + 1,
                    "startColumn": f.range.start.character + 1,
                    "endLine": f.range.end.line + 1,
                    "endColumn": f.range.end.character + 1,
                },
            }
        }

    rules = sorted({f.code for f in findings})
    run = {
        "tool": {
            "driver": {
                "name": "pyhelper audit",
                "version": __version__,
                "informationUri": "https://github.com/lockstep/lockstep",
                "rules": [
                    {"id": code, "shortDescription": {"text": REGISTRY[code].summary}} for code in rules
                ],
            }
        },
        "results": [
            {
                "ruleId": f.code,
                "level": _SARIF_LEVEL.get(f.severity, "note"),
                "message": {"text": f.message},
                "locations": [location(f)],
            }
            for f in findings
        ],
        "invocations": [
            {
                "executionSuccessful": not problems,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": problem}} for problem in problems
                ],
            }
        ],
    }
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
