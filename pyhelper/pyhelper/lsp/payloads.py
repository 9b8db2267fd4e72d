"""The engine's models as the protocol's payloads: the camelCase dicts are built here and nowhere else."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from pyhelper import codes
from pyhelper.findings import Severity
from pyhelper.lsp.protocol import (
    AdvisoryInfo,
    DependencyGroupInfo,
    DependencyHealth,
    DependencyInfo,
    DriftInfo,
    FindingLevel,
    HealthSummary,
    InterpreterChoice,
    InterpreterInfo,
    PackageHealthInfo,
    ProjectDetails,
    ProjectInfo,
    VenvInfo,
)

if TYPE_CHECKING:
    from pyhelper.dependencies import Dependency, DependencyGroup
    from pyhelper.drift.environment import VenvSnapshot
    from pyhelper.drift.session import DriftSummary
    from pyhelper.findings import Finding
    from pyhelper.health.audit import PackageHealth, ProjectHealth
    from pyhelper.health.index import Advisory
    from pyhelper.interpreters.choice import InterpreterDecision
    from pyhelper.interpreters.model import Interpreter
    from pyhelper.projects import Project
    from pyhelper.venvs import Venv


def venv_info(venv: Venv) -> VenvInfo:
    return {
        "path": str(venv.path),
        "name": venv.name,
        "python": str(venv.python) if venv.python else None,
        "version": venv.version,
        "resolved": str(venv.resolved),
        "link": venv.link,
        "listedIn": str(venv.listed_in) if venv.listed_in else None,
    }


def project_info(
    project: Project, drift: DriftSummary | None = None, health: HealthSummary | None = None
) -> ProjectInfo:
    """The project as `lockstep/projects` lists it; with its drift and its health once checked."""
    info: ProjectInfo = {
        "name": project.name,
        "root": str(project.root),
        "pyproject": str(project.pyproject),
        "manager": project.manager,
        "lockfile": str(project.lockfile) if project.lockfile else None,
        "pylock": [str(path) for path in project.pylock],
        "requiresPython": project.requires_python,
        "pythonVersion": project.python_version,
        "venv": venv_info(project.venv) if project.venv else None,
        "workspaceRoot": str(project.workspace_root) if project.workspace_root else None,
        "pyprojectError": project.pyproject_error,
    }
    if drift is not None:
        info["drift"] = drift_info(drift)
    if health is not None:
        info["health"] = health
    return info


def drift_info(drift: DriftSummary) -> DriftInfo:
    return {
        "state": drift.state,
        "lockIssues": drift.lock_issues,
        "missing": drift.missing,
        "mismatched": drift.mismatched,
        "extraneous": drift.extraneous,
        "pythonMismatch": drift.python_mismatch,
        "lockfile": str(drift.lockfile) if drift.lockfile else None,
        "problem": drift.problem,
        "revision": drift.revision,
    }


def interpreter_info(interpreter: Interpreter) -> InterpreterInfo:
    return {
        "path": interpreter.path,
        "version": interpreter.version,
        "implementation": interpreter.implementation,
        "kind": interpreter.kind,
        "managed": interpreter.managed,
        "prefix": interpreter.prefix,
        "architecture": interpreter.architecture,
        "freeThreaded": interpreter.free_threaded,
        "name": interpreter.name,
        "base": interpreter.base,
    }


def choice_info(choice: InterpreterDecision) -> InterpreterChoice:
    install = choice.install
    return {
        "chosen": choice.chosen.path if choice.chosen else None,
        "candidates": [
            {"path": c.interpreter.path, "fits": c.fits, "reason": c.reason} for c in choice.candidates
        ],
        "install": None
        if install is None
        else {
            "implementation": install.implementation,
            "specifier": install.specifier,
            "freeThreaded": install.free_threaded,
            "prereleases": install.prereleases,
            "version": install.version,
            "label": install.label,
        },
        "message": choice.message,
        "request": choice.request.text if choice.request else None,
        "notes": list(choice.notes),
    }


_LEVELS: dict[Severity, FindingLevel] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "information",
    Severity.HINT: "hint",
}


def dependency_info(
    dependency: Dependency, findings: Sequence[Finding], health: DependencyHealth | None
) -> DependencyInfo:
    """A requirement row; `findings` are the dependency's as the user's settings show them."""
    worst = min(findings, key=lambda f: f.severity, default=None)
    return {
        "name": dependency.name,
        "requirement": dependency.requirement,
        "line": dependency.range.start.line,
        "character": dependency.range.start.character,
        "locked": dependency.locked,
        "installed": dependency.installed,
        "severity": _LEVELS[worst.severity] if worst else None,
        "code": worst.code if worst else None,
        "message": "\n".join(f.message for f in findings) or None,
        "health": health,
    }


def dependency_group_info(
    group: DependencyGroup,
    shown: Callable[[Sequence[Finding]], Sequence[Finding]],
    health: Callable[[Dependency], DependencyHealth | None],
) -> DependencyGroupInfo:
    return {
        "kind": group.kind,
        "name": group.name,
        "dependencies": [dependency_info(d, shown(d.findings), health(d)) for d in group.dependencies],
    }


def health_summary(result: ProjectHealth, outdated: bool) -> HealthSummary:
    """The project row's counts; `outdated`: the `lockstep.health.outdated` setting."""
    packages = result.packages.values()
    required = result.project.required
    stale = [h for h in packages if outdated and h.name in required and _newer(h.latest, h.version)]
    # A hash, not the data (as drift's revision): equal within one helper process, which is all it is for.
    revision = hash((tuple(packages), tuple(result.unchecked), len(stale)))
    return {
        "checked": len(result.packages),
        "vulnerable": sum(1 for h in packages if h.advisories),
        "yanked": sum(1 for h in packages if h.yanked),
        "outdated": len(stale),
        "unchecked": len(result.unchecked),
        "offline": any(item.offline for item in result.unchecked),
        "problem": result.unchecked[0].reason if result.unchecked else None,
        "revision": format(revision & (2**64 - 1), "016x"),
    }


def dependency_health(
    result: ProjectHealth,
    name: str,
    levels: Mapping[codes.Code, Severity],
    locked: Callable[[str], Sequence[str | None]],
    outdated: bool,
) -> DependencyHealth | None:
    """What the last check says about requirement `name` and the packages it brings in (the shortest
    chain from a direct requirement, as the diagnostics place them). `levels`: the health codes the
    settings show, at their level; `locked`: a package's versions in the lock now (an answer about a
    version no longer locked is left out); `outdated`: the `lockstep.health.outdated` setting."""
    from pyhelper.health.audit import versions_label

    def current(package: str, version: str) -> bool:
        return version in locked(package)

    def brings(package: str) -> bool:
        chain = chains.get(package)
        return chain is not None and chain[0] == name

    chains = result.project.chains
    brought = [h for package, h in result.packages.items() if brings(package) and current(package, h.version)]
    problems = [p for h in brought if (p := _package_problem(h, chains[h.name], levels)) is not None]
    own = result.packages.get(name)
    own = own if own is not None and current(name, own.version) else None
    unchecked = [u.reason for u in result.unchecked if u.name == name and current(name, u.version)]
    if own is None and not unchecked and not problems:
        return None
    found = [levels[codes.LOCK_VULNERABLE] for p in problems if p["advisories"]]
    found += [levels[codes.LOCK_YANKED] for p in problems if p["yanked"]]
    versions = own if outdated else None
    return {
        "level": _LEVELS[min(found)] if found else None,
        "problems": problems,
        "latest": versions.latest if versions else None,
        "versions": versions_label(versions) if versions else None,
        "outdated": versions is not None and _newer(versions.latest, versions.version),
        "unchecked": unchecked[0] if unchecked else None,
    }


def _package_problem(
    health: PackageHealth, chain: Sequence[str], levels: Mapping[codes.Code, Severity]
) -> PackageHealthInfo | None:
    advisories = health.advisories if codes.LOCK_VULNERABLE in levels else ()
    yanked = health.yanked and codes.LOCK_YANKED in levels
    if not advisories and not yanked:
        return None
    return {
        "name": health.name,
        "version": health.version,
        "through": list(chain) if len(chain) > 1 else [],
        "advisories": [_advisory_info(advisory) for advisory in advisories],
        "yanked": yanked,
        "yankReason": health.yank_reason if yanked else None,
        "upgradeTo": health.upgrade_to,
    }


def _advisory_info(advisory: Advisory) -> AdvisoryInfo:
    return {
        "id": advisory.id,
        "aliases": list(advisory.aliases),
        "summary": advisory.summary,
        "fixedIn": list(advisory.fixed_in),
        "link": advisory.link,
    }


def _newer(latest: str | None, locked: str) -> bool:
    try:
        return latest is not None and Version(latest) > Version(locked)
    except InvalidVersion:
        return False


def project_details(
    project: Project,
    groups: Sequence[DependencyGroup],
    shown: Callable[[Sequence[Finding]], Sequence[Finding]],
    health: Callable[[Dependency], DependencyHealth | None],
    snapshot: VenvSnapshot | None,
    selected: int | None,
    problem: str | None,
) -> ProjectDetails:
    """What the Projects view lists under a project; `shown` applies the diagnostics settings, `health`
    gives a requirement's health from the last check."""
    venv = project.venv
    return {
        "root": str(project.root),
        "groups": [dependency_group_info(group, shown, health) for group in groups],
        "environment": None
        if venv is None
        else {
            "path": str(venv.path),
            "python": venv.version,
            "packages": len(snapshot.packages) if snapshot is not None else 0,
        },
        "lockfile": None
        if project.lockfile is None
        else {"path": str(project.lockfile), "selected": selected},
        "problem": problem,
    }
